#include "app/demo_data.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

namespace rkd {
namespace {

const char* const kFirstNames[] = {"Olivia", "Liam",  "Emma",   "Noah",  "Ava",    "Elijah", "Sophia", "James",
                                   "Mia",    "Lucas", "Amelia", "Mateo", "Harper", "Ethan",  "Aisha",  "Kenji",
                                   "Priya",  "Diego", "Chloe",  "Omar",  "Ingrid", "Tomás",  "Zara",   "Wei"};
const char* const kLastNames[] = {"Smith",  "Johnson", "Garcia",    "Brown",  "Nguyen", "Patel", "Kim",
                                  "Müller", "Rossi",   "Hernández", "Okafor", "Silva",  "Cohen", "Larsen",
                                  "Dubois", "Tanaka",  "Walker",    "Reyes",  "Singh",  "Novak"};
struct Category {
  const char* name;
  const char* products[4];
};
const Category kCatalog[] = {
    {"Dresses", {"Wrap Midi Dress", "Linen Shirt Dress", "Satin Slip Dress", "Knit Sweater Dress"}},
    {"Denim", {"Straight-Leg Jeans", "Denim Jacket", "Wide-Leg Jeans", "Denim Skirt"}},
    {"Knitwear", {"Merino Crewneck", "Cashmere Cardigan", "Cable-Knit Sweater", "Ribbed Turtleneck"}},
    {"Shoes", {"Leather Loafers", "White Sneakers", "Ankle Boots", "Strappy Sandals"}},
    {"Accessories", {"Leather Belt", "Silk Scarf", "Canvas Tote", "Gold Hoop Earrings"}},
    {"Outerwear", {"Wool Coat", "Trench Coat", "Quilted Vest", "Rain Shell"}},
    {"Activewear", {"Running Tights", "Sports Bra", "Zip Training Top", "Yoga Joggers"}},
    {"Tops", {"Oxford Shirt", "Silk Blouse", "Striped Tee", "Linen Camp Shirt"}},
};
constexpr int kCategories = sizeof(kCatalog) / sizeof(kCatalog[0]);

std::string Lower(std::string s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

}  // namespace

DemoData GenerateDemoData(int count, uint64_t seed, Millis now) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  DemoData out;
  out.users.reserve(count);
  for (int n = 0; n < count; ++n) {
    User u;
    u.user_id = "demo-" + std::to_string(seed) + "-" + std::to_string(n + 1);
    const std::string first = kFirstNames[pick(std::size(kFirstNames))];
    const std::string last = kLastNames[pick(std::size(kLastNames))];
    u.name = first + " " + last;
    u.email = Lower(first) + "." + Lower(last) + "." + std::to_string(n + 1) + "@example.com";
    u.created_at = now - static_cast<Millis>(uniform(20, 900) * kMillisPerDay);
    const int cats = 1 + pick(3);
    const int first_cat = pick(kCategories);
    for (int c = 0; c < cats; ++c) u.preferred_categories.push_back(kCatalog[(first_cat + c * 3) % kCategories].name);

    // Recency segments: 30% ordered in the last month, 16% one to two months ago, 12%
    // two to three, 35% over three months, 7% never; about 30% end up at risk.
    const double segment = uniform(0, 1);
    const double age_days = static_cast<double>(now - u.created_at) / kMillisPerDay;
    double days_ago;
    if (segment < 0.07) {
      out.users.push_back(std::move(u));
      continue;
    } else if (segment < 0.37) {
      days_ago = uniform(0, 30);
    } else if (segment < 0.53) {
      days_ago = uniform(31, 60);
    } else if (segment < 0.65) {
      days_ago = uniform(61, 90);
    } else {
      days_ago = uniform(91, 400);
    }
    days_ago = std::min(days_ago, age_days);
    // Frequency: loyal clients order often; most order a few times.
    const double loyalty = uniform(0, 1);
    const int orders = loyalty < 0.5 ? 1 + pick(3) : loyalty < 0.85 ? 3 + pick(6) : 8 + pick(18);
    const double typical_value = std::exp(uniform(std::log(25.0), std::log(320.0)));
    const Millis last_order = now - static_cast<Millis>(days_ago * kMillisPerDay);
    for (int k = 0; k < orders; ++k) {
      Order o;
      o.order_id = u.user_id + "-o" + std::to_string(k + 1);
      o.user_id = u.user_id;
      // The last order is at `last_order`; earlier ones spread back toward createdAt.
      o.order_date =
          k == orders - 1
              ? last_order
              : u.created_at + static_cast<Millis>(uniform(0, 1) * static_cast<double>(last_order - u.created_at));
      const int lines = 1 + pick(3);
      for (int l = 0; l < lines; ++l) {
        const Category& cat = kCatalog[first_cat];
        OrderItem item;
        item.product_id = "sku-" + std::to_string(first_cat) + std::to_string(pick(4));
        item.item_id = o.order_id + "-" + std::to_string(l + 1);
        item.name = cat.products[item.product_id.back() - '0'];
        item.category = cat.name;
        item.quantity = 1 + (pick(5) == 0);
        item.price = std::round(typical_value / lines * uniform(0.7, 1.3) * 100) / 100;
        o.total_value += item.price * static_cast<double>(item.quantity);
      }
      o.total_value = std::round(o.total_value * 100) / 100;
      o.created_at = o.order_date;
      out.orders.push_back(std::move(o));
    }
    std::sort(out.orders.end() - orders, out.orders.end(),
              [](const Order& a, const Order& b) { return a.order_date < b.order_date; });
    u.order_count = orders;
    for (auto o = out.orders.end() - orders; o != out.orders.end(); ++o)
      u.total_spent_cents += std::llround(o->total_value * 100);
    u.average_order_value = AverageOrderValue(u.total_spent_cents, orders);
    u.first_order_date = (out.orders.end() - orders)->order_date;
    u.last_order_date = last_order;
    out.users.push_back(std::move(u));
  }
  return out;
}

}  // namespace rkd
