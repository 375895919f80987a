// POST /api/test-email (issue 12): the win-back email rendered as a client would get it
// (the writer, the brand, the footer) and sent to an address the user types, so that a
// marketer sees what goes out before it does. It is marked as a test (a "[Test]" subject
// and a line at the top), carries no tracking and an unsubscribe link that unsubscribes
// no one, and nothing counts it: no email record, no cap, no metric, no journey step.
#include <mutex>

#include "api/api.h"
#include "api/validation.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/rate_limiter.h"
#include "base/text_encoding.h"
#include "compose/sample_client.h"
#include "compose/writer.h"
#include "delivery/email_footer.h"
#include "delivery/mailer.h"
#include "http/envelope.h"

namespace rkd {
namespace {

using nlohmann::json;

struct TestRequest {
  std::string to;
  std::optional<std::string> user_id;
  std::optional<int64_t> step;
};

Result<TestRequest> ParseTestRequest(const std::string& body) {
  auto j = ParseJsonObject(body);
  if (!j.ok()) return j.status();
  TestRequest r;
  for (const auto& [key, value] : j->items()) {
    if (key == "to") {
      if (!value.is_string() || !IsValidEmailAddress(value.get<std::string>()))
        return Status::InvalidArgument("to must be a valid email address", "to");
      r.to = value.get<std::string>();
    } else if (key == "userId") {
      if (value.is_null()) continue;
      if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 200)
        return Status::InvalidArgument("userId must be a client's id", "userId");
      r.user_id = value.get<std::string>();
    } else if (key == "step") {
      if (value.is_null()) continue;
      if (!value.is_number_integer()) return Status::InvalidArgument("step must be a whole number", "step");
      r.step = value.get<int64_t>();
    } else {
      return Status::InvalidArgument(key + " is not a known field", key);
    }
  }
  if (r.to.empty()) return Status::InvalidArgument("to is required: the address the test goes to", "to");
  return r;
}

// A line at the top of both bodies, so that no one mistakes the test for the real thing.
void MarkAsTest(const std::string& note, ComposedEmail* email) {
  email->subject = "[Test] " + email->subject;
  email->text = "[" + note + "]\n\n" + email->text;
  const std::string banner = "<div style=\"background:#fff3cd;color:#664d03;padding:8px 12px;font-size:13px;\">" +
                             HtmlEscape(note) + "</div>\n";
  const size_t body = email->html.find("<body");
  const size_t open_end = body == std::string::npos ? std::string::npos : email->html.find('>', body);
  email->html.insert(open_end == std::string::npos ? 0 : open_end + 1, "\n" + banner);
}

// At most `per_minute` tests a minute in this process, whoever asks.
class TestEmailLimit {
 public:
  explicit TestEmailLimit(int per_minute) : limiter_(per_minute, 0) {}
  // 0 when a test may go now; else the seconds to wait.
  int64_t TryTake() {
    std::lock_guard lock(mu_);
    uint64_t ticket = 0;
    const auto wait = limiter_.TryAcquire(RateLimiter::Clock::now(), 0, &ticket);
    return wait.count() <= 0 ? 0 : std::chrono::ceil<std::chrono::seconds>(wait).count();
  }

 private:
  std::mutex mu_;
  RateLimiter limiter_;
};

}  // namespace

void RegisterTestEmailRoutes(Router& router, ApiContext& ctx, TestEmailOptions options) {
  auto limit = std::make_shared<TestEmailLimit>(options.per_minute);
  router.Add("POST", "/api/test-email", [&ctx, options, limit](HttpRequest& req) {
    if (!options.writer || !options.mailer) return ErrorResponse(Status::Unavailable("this server sends no email"));
    auto request = ParseTestRequest(req.body);
    if (!request.ok()) return ErrorResponse(request.status());
    const Millis now = ctx.clock.Now();

    auto journey = ctx.store.GetJourney();
    if (!journey.ok()) return ErrorResponse(journey.status());
    const auto& steps = journey->definition.steps;
    const int64_t step = request->step.value_or(1);
    if (step < 1 || step > static_cast<int64_t>(steps.size()))
      return ErrorResponse(Status::InvalidArgument(
          "step must be between 1 and " + std::to_string(steps.size()) + " (the journey's steps)", "step"));

    User client = SampleClient(now);
    if (request->user_id) {
      auto user = ctx.store.GetUser(*request->user_id);
      if (user.status().IsNotFound()) return ErrorResponse(Status::NotFound("no client with that id", "userId"));
      if (!user.ok()) return ErrorResponse(user.status());
      client = std::move(user).value();
    }

    auto rows = ctx.store.GetSettings();
    if (!rows.ok()) return ErrorResponse(rows.status());
    const ShopSettings settings = SettingsFromRows(*rows);
    if (const auto missing = MissingForSending(settings); !missing.empty()) {
      std::string names;
      for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
      return ErrorResponse(Status::FailedPrecondition(
          "a test goes out as the real email would: set " + names + " in Settings first", missing.front()));
    }
    if (const int64_t wait = limit->TryTake(); wait > 0) {
      HttpResponse r = ErrorResponse(429, "rate_limited",
                                     "too many test emails: at most " + std::to_string(options.per_minute) +
                                         " a minute; try again in " + std::to_string(wait) + " s");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }

    const std::string public_url = settings.public_url.empty() ? options.public_url : settings.public_url;
    const std::string shop_url = settings.shop_url.empty() ? options.shop_url : settings.shop_url;
    // A real unsubscribe link would unsubscribe the client the test is rendered for.
    const std::string unsubscribe = public_url + "/u/test-email";
    // The step's message as the marketer stored it, else the built-in one.
    const std::string& name = steps[step - 1].message;
    auto stored = ctx.store.GetMessage(name, std::nullopt);
    if (!stored.ok() && !stored.status().IsNotFound()) return ErrorResponse(stored.status());
    auto composed = options.writer->Compose(ComposeRequest{client, client.engagement_score, now, shop_url, unsubscribe,
                                                           static_cast<int>(step), static_cast<int>(steps.size()), name,
                                                           Brand::From(settings), stored.ok() ? &*stored : nullptr});
    if (!composed.ok()) return ErrorResponse(composed.status());
    AppendFooter(settings.postal_address, unsubscribe, &composed->text, &composed->html);
    MarkAsTest("This is a test of step " + std::to_string(step) + " of " + std::to_string(steps.size()) +
                   " of the win-back email, rendered for " + client.name + ". No client received it.",
               &*composed);

    MailMessage message;
    message.message_id = "test-" + NewUuid() + "@rekindle";
    message.from = settings.MailFrom();
    message.reply_to = settings.reply_to;
    message.to_address = request->to;
    message.subject = composed->subject;
    message.text = composed->text;
    message.html = composed->html;
    message.date = now;
    const SendResult sent = options.mailer->Send(message);
    if (!sent.ok()) return ErrorResponse(502, "unavailable", "the mailer did not take the test: " + sent.detail);
    LogInfo("test email sent", {{"step", step}, {"writer", composed->writer}, {"by", req.key_name}});
    return DataResponse(json{{"to", request->to},
                             {"subject", composed->subject},
                             {"step", step},
                             {"steps", steps.size()},
                             {"writer", composed->writer},
                             {"client",
                              {{"userId", request->user_id ? json(*request->user_id) : json(nullptr)},
                               {"name", client.name},
                               {"sample", !request->user_id}}},
                             {"delivery", sent.detail}});
  });
}

}  // namespace rkd
