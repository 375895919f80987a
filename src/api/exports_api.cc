// /api/exports/clients|emails|orders (issue 10): a list's current filter as a file, CSV
// or JSON Lines, with the columns an import reads back: the dashboard's "Download CSV".
// Every matching row, read page by page (the response is built whole: a download of a
// million clients is better served by `rekindle export`).
#include <sstream>

#include "api/api.h"
#include "api/list_filters.h"
#include "api/validation.h"
#include "http/envelope.h"
#include "import/exporter.h"

namespace rkd {
namespace {

Result<ImportFormat> ExportFormat(const QueryParams& q) {
  auto it = q.find("format");
  if (it == q.end() || it->second == "csv") return ImportFormat::kCsv;
  if (it->second == "jsonl") return ImportFormat::kJsonl;
  return Status::InvalidArgument("format must be csv or jsonl", "format");
}

HttpResponse FileResponse(const std::string& kind, ImportFormat format, Millis now, std::string body) {
  HttpResponse resp;
  resp.content_type = format == ImportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  std::string day = FormatRfc3339(now).substr(0, 10);
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + kind + "-" + day +
                                                       (format == ImportFormat::kCsv ? ".csv\"" : ".jsonl\""));
  resp.headers.emplace_back("Cache-Control", "no-store");
  resp.body = std::move(body);
  return resp;
}

}  // namespace

void RegisterExportRoutes(Router& router, ApiContext& ctx) {
  // The clients list's filter (GET /api/users' parameters but limit and cursor).
  router.Add("GET", "/api/exports/clients", [&ctx](HttpRequest& req) {
    auto format = ExportFormat(req.query);
    if (!format.ok()) return ErrorResponse(format.status());
    auto query = ParseUserQuery(req.query, ctx.rules.threshold, ctx.page_limits);
    if (!query.ok()) return ErrorResponse(query.status());
    if (Status st = ApplyStateFilter(req.query, ctx.rules.threshold, &*query); !st.ok()) return ErrorResponse(st);
    std::ostringstream out;
    ExportWriter writer(ExportKind::kClients, *format, out);
    if (auto n = ExportClients(ctx.store, *query, writer); !n.ok()) return ErrorResponse(n.status());
    return FileResponse("clients", *format, ctx.clock.Now(), std::move(out).str());
  });

  // The emails list's filter (GET /api/emails' parameters but limit and cursor).
  router.Add("GET", "/api/exports/emails", [&ctx](HttpRequest& req) {
    auto format = ExportFormat(req.query);
    if (!format.ok()) return ErrorResponse(format.status());
    auto query = ParseEmailListQuery(req.query, ctx.page_limits);
    if (!query.ok()) return ErrorResponse(query.status());
    std::ostringstream out;
    ExportWriter writer(ExportKind::kEmails, *format, out);
    if (auto n = ExportEmails(ctx.store, *query, writer); !n.ok()) return ErrorResponse(n.status());
    return FileResponse("emails", *format, ctx.clock.Now(), std::move(out).str());
  });

  // Every order (no filter).
  router.Add("GET", "/api/exports/orders", [&ctx](HttpRequest& req) {
    auto format = ExportFormat(req.query);
    if (!format.ok()) return ErrorResponse(format.status());
    std::ostringstream out;
    ExportWriter writer(ExportKind::kOrders, *format, out);
    if (auto n = ExportOrders(ctx.store, writer); !n.ok()) return ErrorResponse(n.status());
    return FileResponse("orders", *format, ctx.clock.Now(), std::move(out).str());
  });
}

}  // namespace rkd
