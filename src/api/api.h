// The REST API's resources. Each Register* adds one resource's routes to the router;
// handlers are stateless (parse, validate, call the store, serialize) and share an
// ApiContext that must outlive the router.
#pragma once

#include <string>
#include <vector>

#include "api/delivery_alerts.h"
#include "api/validation.h"
#include "base/time.h"
#include "bus/bus.h"
#include "domain/score.h"
#include "domain/targeting.h"
#include "http/router.h"
#include "pipeline/sweeper.h"
#include "store/store.h"

namespace rkd {

// Built with designated initializers, every field by name: ApiContext{.store = …,
// .rules = …, .clock = …, …}; the fields after `clock` may be left out.
struct ApiContext {
  Store& store;
  const ScoreRules& rules;
  const Clock& clock;
  std::string version;
  Millis started_at = 0;
  Bus* bus = nullptr;          // null: the queue routes answer 503
  Sweeper* sweeper = nullptr;  // null: POST /api/sweep answers 503
  // Null: /health checks the store only, and GET /api/alerts answers 503.
  DeliveryAlerts* alerts = nullptr;
  int attribution_days = 7;
  double holdout_share = 0.1;
  PageLimits page_limits;  // every list's page size (RKD_DEFAULT_PAGE_LIMIT, RKD_MAX_PAGE_LIMIT)
  Targeting targeting;     // RKD_TARGETING: the dry run chooses clients as the pipeline does
};

// Who made a change, as stored versions and switches record it: the API key's name
// (never the key), or "api" on a server without keys.
inline std::string Author(const HttpRequest& req) { return req.key_name.empty() ? "api" : req.key_name; }

// GET /health (open; the documented rule: 503 when the store or the bus does not answer,
// else 200 with status "ok" or "degraded" and the reasons) and GET /api/alerts (the
// dashboard's banner: failed deliveries in the window, dead letters, the last error).
void RegisterHealthRoutes(Router& router, ApiContext& ctx);
void RegisterUserRoutes(Router& router, ApiContext& ctx);
void RegisterOrderRoutes(Router& router, ApiContext& ctx);
// GET /api/emails/:emailId adds `previewHtml`, the HTML without open pixel or tracked
// links (RemoveTracking), so the dashboard's preview records nothing; `public_url` and
// `secret` are those the tracking links were made with.
void RegisterEmailRoutes(Router& router, ApiContext& ctx, const std::string& public_url, const std::string& secret);
void RegisterQueueRoutes(Router& router, ApiContext& ctx);
void RegisterMetricsRoutes(Router& router, ApiContext& ctx);
void RegisterSuppressionRoutes(Router& router, ApiContext& ctx);
void RegisterEffectivenessRoutes(Router& router, ApiContext& ctx);
// /api/journey (GET, PUT), /api/journey/versions and POST /api/journey/dry-run (issue
// 16). `cooldown` is RKD_EMAIL_COOLDOWN_DAYS (a later step's delay may not be shorter);
// `gate` answers the dry run's "not now" (null: always open).
class SendGate;  // pipeline/send_gate.h
struct JourneyApiOptions {
  Millis cooldown = 7 * kMillisPerDay;
  SendGate* gate = nullptr;
};
void RegisterJourneyRoutes(Router& router, ApiContext& ctx, JourneyApiOptions options);
// /api/settings (the shop's settings) and /api/sending (the pause switch, the caps'
// counts). `cache`, when not null, is the email workers' SettingsCache in this process:
// a change is seen by them at once.
class SettingsCache;  // pipeline/settings_cache.h
void RegisterSettingsRoutes(Router& router, ApiContext& ctx, SettingsCache* cache);
// /t/o/:token and /t/c/:token (outside /api): open pixel and click redirects.
void RegisterTrackingRoutes(Router& router, ApiContext& ctx, const std::string& secret);
// /u/:token (outside /api): one-click unsubscribe; `secret` signs the tokens.
void RegisterUnsubscribeRoutes(Router& router, ApiContext& ctx, const std::string& secret);
// /hooks/ses (outside /api): SES bounces and complaints via SNS (signature checked
// against a certificate from an allow-listed host) or posted with a shared secret.
struct SesHookOptions {
  std::string secret;                    // RKD_SES_WEBHOOK_SECRET; empty: SNS signatures only
  std::vector<std::string> cert_hosts;   // RKD_SNS_CERT_HOSTS
  bool allow_insecure_cert_url = false;  // RKD_SNS_ALLOW_INSECURE_CERT_URL (tests only)
  std::vector<std::string> topic_arns;   // RKD_SNS_TOPIC_ARNS; empty: any topic
  int max_age_s = 3600;                  // RKD_SNS_MAX_AGE_S: a signed message older than this is a replay
};
void RegisterSesHookRoutes(Router& router, ApiContext& ctx, const SesHookOptions& options);
// /api/webhooks (issue 17): outgoing webhooks' endpoints and deliveries. `sender`, when
// not null, is woken by a new endpoint, a deletion or a replay.
class WebhookSender;  // integrations/webhook_sender.h
// `allow_internal` (RKD_WEBHOOK_ALLOW_INTERNAL): a URL may name a loopback, private or
// link-local IP or localhost.
void RegisterWebhookRoutes(Router& router, ApiContext& ctx, WebhookSender* sender, bool allow_internal);
// /hooks/shopify and /hooks/woocommerce (outside /api): a shop platform's webhooks,
// verified by their HMAC signatures, recorded once per delivery and applied by the hook
// applier; and GET /api/integrations/deliveries, the latest deliveries (issue 17).
class HookApplier;  // integrations/hook_applier.h
struct ShopHookOptions {
  std::vector<std::string> shopify_secrets;      // RKD_SHOPIFY_WEBHOOK_SECRETS; empty: not connected
  std::vector<std::string> woocommerce_secrets;  // RKD_WOOCOMMERCE_WEBHOOK_SECRETS
  HookApplier* applier = nullptr;                // woken when a delivery is recorded
};
void RegisterShopHookRoutes(Router& router, ApiContext& ctx, const ShopHookOptions& options);
// POST /api/identify and POST /api/track: a CDP's events (the Segment spec), recorded once
// per messageId and applied by `applier` (issue 17).
void RegisterCdpRoutes(Router& router, ApiContext& ctx, HookApplier* applier);
// GET /api/integrations/sync and POST /api/integrations/sync/:source: the shops'
// reconciliation with their REST APIs (issue 17). `sync` null: none is configured.
class ShopSync;  // integrations/shop_sync.h
void RegisterShopSyncRoutes(Router& router, ApiContext& ctx, ShopSync* sync);
// /api/imports (POST a file: 202 and the job; GET one or the newest) and
// /api/imports/preview (a file's first rows and their column mapping), issue 10.
class ImportJobs;  // api/import_jobs.h
void RegisterImportRoutes(Router& router, ApiContext& ctx, ImportJobs& jobs);
// POST /api/test-email (issue 12): the win-back email, rendered for a client or a sample
// one with the shop's brand, sent to the address given, marked as a test and counted
// nowhere; at most `per_minute` a minute in this process. No writer or mailer: 503.
class Writer;  // compose/writer.h
class Mailer;  // delivery/mailer.h
struct TestEmailOptions {
  Writer* writer = nullptr;
  Mailer* mailer = nullptr;
  std::string public_url, shop_url;  // the configuration's, for settings that name none
  int per_minute = 10;
};
void RegisterTestEmailRoutes(Router& router, ApiContext& ctx, TestEmailOptions options);
// /api/messages (issue 12): the win-back messages, built in (`templates`, version 0) and
// stored with versions; GET lists or shows one, POST creates, PUT saves a new version,
// POST …/preview renders one or a draft for a client. `cache`, when not null, is the email
// workers' MessageCache in this process: a save is used at once.
class TemplateWriter;  // compose/template_writer.h
class MessageCache;    // pipeline/message_cache.h
struct MessageApiOptions {
  TemplateWriter* templates = nullptr;
  MessageCache* cache = nullptr;
  std::string public_url, shop_url;  // the configuration's, for settings that name none
};
void RegisterMessageRoutes(Router& router, ApiContext& ctx, MessageApiOptions options);
// /api/experiments (issue 12): start (one at a time), list, show with results and the
// decision, stop, promote a variant into the message under test. The caches, when not
// null, are the email workers' in this process: a start, stop or promotion is used at once.
class ExperimentCache;  // pipeline/experiment_cache.h
struct ExperimentApiOptions {
  TemplateWriter* templates = nullptr;
  ExperimentCache* cache = nullptr;
  MessageCache* messages = nullptr;
};
void RegisterExperimentRoutes(Router& router, ApiContext& ctx, ExperimentApiOptions options);
// /api/exports/clients|emails|orders: a list's filter as CSV or JSON Lines (issue 10).
void RegisterExportRoutes(Router& router, ApiContext& ctx);

}  // namespace rkd
