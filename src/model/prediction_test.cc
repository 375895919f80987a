#include "model/prediction.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/purchase_model.h"

namespace rkd {
namespace {

PurchaseModel BgNbdWeeks() {
  PurchaseModel m;
  m.kind = ModelKind::kBgNbd;
  m.unit = TimeUnit::kWeeks;
  m.bgnbd = {0.2426, 4.4136, 0.7929, 2.4259};
  return m;
}

PurchaseModel ParetoNbdWeeks() {
  PurchaseModel m;
  m.kind = ModelKind::kParetoNbd;
  m.unit = TimeUnit::kWeeks;
  m.paretonbd = {0.5532, 10.5763, 0.6062, 11.6715};
  return m;
}

constexpr GammaGammaParams kSpend{6.249, 3.745, 15.448};

const std::vector<RfmSummary> kClients = {
    {0, 0, 38.86},           {2, 30.43, 38.86, 22.35},
    {1, 1.71, 38.86, 11.77}, {5, 38, 38.86, 40},
    {5, 5, 38.86, 15},       {0, 0, 27},
    {2, 30.43, 38.86, 10},   {0, 0, 0},
};

TEST(ModelKindTest, NamesRoundTrip) {
  for (ModelKind k : {ModelKind::kBgNbd, ModelKind::kParetoNbd}) EXPECT_EQ(ParseModelKind(ModelKindName(k)), k);
  EXPECT_FALSE(ParseModelKind("mbgnbd").has_value());
}

TEST(PurchaseModelTest, ParamsRoundTripAndAreChecked) {
  for (const PurchaseModel& m : {BgNbdWeeks(), ParetoNbdWeeks()}) {
    const Result<PurchaseModel> back = PurchaseModelFromParams(m.kind, m.unit, PurchaseModelParams(m));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(PAlive(*back, kClients[4]), PAlive(m, kClients[4]));
  }
  EXPECT_EQ(
      PurchaseModelFromParams(ModelKind::kBgNbd, TimeUnit::kDays, {{"r", 1}, {"alpha", 2}, {"a", 1}}).status().field(),
      "b");
  EXPECT_EQ(
      PurchaseModelFromParams(ModelKind::kParetoNbd, TimeUnit::kDays, {{"r", 1}, {"alpha", 2}, {"s", -1}, {"beta", 1}})
          .status()
          .code(),
      Code::kInvalidArgument);
}

TEST(PredictionTest, BatchEqualsOneByOne) {
  const PredictionOptions options{13, 12, 0.01};
  for (const PurchaseModel& m : {BgNbdWeeks(), ParetoNbdWeeks()}) {
    const Result<std::vector<ClientPrediction>> all = PredictClients(m, &kSpend, kClients, options);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), kClients.size());
    for (size_t i = 0; i < kClients.size(); ++i) {
      const ClientPrediction one = PredictClient(m, &kSpend, kClients[i], options);
      const ClientPrediction& b = (*all)[i];
      EXPECT_DOUBLE_EQ(b.p_alive, one.p_alive) << i;
      EXPECT_DOUBLE_EQ(b.churn_probability, one.churn_probability) << i;
      EXPECT_DOUBLE_EQ(b.expected_purchases, one.expected_purchases) << i;
      EXPECT_EQ(b.median_time_to_next_purchase, one.median_time_to_next_purchase) << i;
      EXPECT_DOUBLE_EQ(*b.predicted_value, *one.predicted_value) << i;
      // And each field is the model's own function.
      EXPECT_DOUBLE_EQ(b.p_alive, PAlive(m, kClients[i]));
      EXPECT_NEAR(b.expected_purchases, ExpectedPurchases(m, kClients[i], 13), 1e-12);
      EXPECT_DOUBLE_EQ(b.churn_probability, ChurnProbability(m, kClients[i], 13));
      EXPECT_FALSE(std::isnan(b.median_time_to_next_purchase));
      EXPECT_DOUBLE_EQ(*b.expected_spend, GammaGammaExpectedAverageSpend(kSpend, kClients[i].x, kClients[i].monetary));
    }
  }
}

TEST(PredictionTest, UndiscountedValueIsExpectedPurchasesOverTheMonthsTimesSpend) {
  const PurchaseModel m = BgNbdWeeks();
  const RfmSummary c = kClients[1];
  const PredictionOptions options{13, 12, 0.0};
  const ClientPrediction p = PredictClient(m, &kSpend, c, options);
  const double months_in_weeks = 12 * kDaysPerMonth / 7;
  EXPECT_NEAR(p.discounted_purchases, ExpectedPurchases(m, c, months_in_weeks), 1e-9);
  EXPECT_NEAR(*p.predicted_value, ExpectedPurchases(m, c, months_in_weeks) * *p.expected_spend, 1e-9);
  // Discounting lowers it, more with a higher rate; zero months is worth nothing.
  const double v1 = *PredictClient(m, &kSpend, c, {13, 12, 0.01}).predicted_value;
  const double v2 = *PredictClient(m, &kSpend, c, {13, 12, 0.05}).predicted_value;
  EXPECT_LT(v1, *p.predicted_value);
  EXPECT_LT(v2, v1);
  EXPECT_EQ(*PredictClient(m, &kSpend, c, {13, 0, 0.01}).predicted_value, 0);
  EXPECT_DOUBLE_EQ(DiscountedExpectedPurchases(m, c, 12, 0.01),
                   PredictClient(m, &kSpend, c, {13, 12, 0.01}).discounted_purchases);
}

TEST(PredictionTest, DaysAndWeeksAgree) {
  // The same model in days: alpha scales by 7, times too.
  PurchaseModel days = BgNbdWeeks();
  days.unit = TimeUnit::kDays;
  days.bgnbd.alpha *= 7;
  const RfmSummary w = kClients[1], d{w.x, w.t_x * 7, w.T * 7, w.monetary};
  const ClientPrediction pw = PredictClient(BgNbdWeeks(), &kSpend, w, {13, 12, 0.01});
  const ClientPrediction pd = PredictClient(days, &kSpend, d, {91, 12, 0.01});
  EXPECT_NEAR(pw.p_alive, pd.p_alive, 1e-12);
  EXPECT_NEAR(pw.churn_probability, pd.churn_probability, 1e-12);
  EXPECT_NEAR(pw.expected_purchases, pd.expected_purchases, 1e-10);
  EXPECT_NEAR(*pw.predicted_value, *pd.predicted_value, 1e-9);
  EXPECT_NEAR(pw.median_time_to_next_purchase * 7, pd.median_time_to_next_purchase, 1e-8);
}

TEST(PredictionTest, WithoutASpendModelThereIsNoValue) {
  const ClientPrediction p = PredictClient(BgNbdWeeks(), nullptr, kClients[1], {});
  EXPECT_FALSE(p.expected_spend.has_value());
  EXPECT_FALSE(p.predicted_value.has_value());
  EXPECT_GT(p.discounted_purchases, 0);
}

TEST(PredictionTest, BadOptionsAreInvalid) {
  EXPECT_EQ(PredictClients(BgNbdWeeks(), nullptr, kClients, {0, 12, 0.01}).status().field(), "horizon");
  EXPECT_EQ(PredictClients(BgNbdWeeks(), nullptr, kClients, {13, -1, 0.01}).status().field(), "clv_months");
  EXPECT_EQ(PredictClients(BgNbdWeeks(), nullptr, kClients, {13, 12, -1}).status().field(), "monthly_discount_rate");
  EXPECT_TRUE(PredictClients(BgNbdWeeks(), nullptr, {}, {}).ok());
}

}  // namespace
}  // namespace rkd
