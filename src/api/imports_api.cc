// /api/imports (issue 10): a file's clients or orders imported in the background, with
// its progress and summary; /api/imports/preview: the first rows of a file and the
// column mapping an import would use, before it starts.
#include <sstream>

#include "api/api.h"
#include "api/import_jobs.h"
#include "api/list_filters.h"
#include "http/envelope.h"
#include "import/row_parser.h"

namespace rkd {
namespace {

using nlohmann::json;

constexpr int kPreviewRows = 10;

const std::string& Get(const QueryParams& q, const std::string& name) {
  static const std::string kEmpty;
  auto it = q.find(name);
  return it == q.end() ? kEmpty : it->second;
}

Result<bool> Flag(const QueryParams& q, const std::string& name) {
  const std::string& v = Get(q, name);
  if (v.empty() || v == "false") return false;
  if (v == "true") return true;
  return Status::InvalidArgument(name + " must be true or false", name);
}

// The options both routes read: kind, format (csv by default), map, ignoreUnknown.
Result<ImportOptions> ParseCommonOptions(const QueryParams& q) {
  ImportOptions o;
  const std::string& kind = Get(q, "kind");
  if (kind == "clients")
    o.kind = ImportKind::kClients;
  else if (kind == "orders")
    o.kind = ImportKind::kOrders;
  else
    return Status::InvalidArgument("kind must be clients or orders", "kind");
  auto format = ParseImportFormat(Get(q, "format").empty() ? "csv" : Get(q, "format"));
  if (!format.ok()) return format.status();
  o.format = *format;
  if (FormatHoldsOnlyOrders(o.format) && o.kind != ImportKind::kOrders)
    return Status::InvalidArgument(
        std::string("format ") + ImportFormatName(o.format) + " reads orders only: kind must be orders", "kind");
  auto map = ParseColumnMap(Get(q, "map"));
  if (!map.ok()) return map.status();
  o.column_map = *map;
  auto ignore = Flag(q, "ignoreUnknown");
  if (!ignore.ok()) return ignore.status();
  o.ignore_unknown = *ignore;
  return o;
}

// The first rows of a sample and the mapping its columns get.
Result<json> Preview(const std::string& sample, const ImportOptions& o) {
  std::istringstream in(sample);
  auto reader = MakeRecordReader(o.format, in);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> columns = (*reader)->columns();
  std::vector<SourceRecord> records;
  for (SourceRecord r; static_cast<int>(records.size()) < kPreviewRows;) {
    auto more = (*reader)->Next(&r);
    if (!more.ok()) {
      if (records.empty()) return more.status();
      break;  // the sample was cut mid-record: what came before stands
    }
    if (!*more) break;
    if (!r.error.empty()) continue;
    if (o.format == ImportFormat::kJsonl)  // JSON Lines: the columns are the keys seen
      for (const auto& [k, v] : r.fields)
        if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    records.push_back(r);
  }
  const ColumnMapping mapping = MapColumns(o.kind, columns, o.column_map);
  json rows = json::array();
  for (const SourceRecord& r : records) {
    json row = json::array();
    for (const std::string& c : columns) {
      auto it = std::find_if(r.fields.begin(), r.fields.end(), [&](const auto& f) { return f.first == c; });
      row.push_back(it == r.fields.end() ? "" : it->second);
    }
    rows.push_back(std::move(row));
  }
  json fields = json::array();
  for (const std::string& f : ImportFields(o.kind)) fields.push_back(f);
  return json{{"format", ImportFormatName(o.format)},
              {"columns", columns},
              {"mapping", mapping.field_to_column},
              {"unknown", mapping.unknown},
              {"missing", mapping.missing},
              {"fields", std::move(fields)},
              {"rows", std::move(rows)}};
}

}  // namespace

void RegisterImportRoutes(Router& router, ApiContext& ctx, ImportJobs& jobs) {
  // A file's own type (text/plain, which any web page may send without a preflight, is not one).
  const RouteOptions files{.accepts = {"text/csv", "application/x-ndjson", "application/octet-stream"}};
  router.Add(
      "POST", "/api/imports/preview",
      [](HttpRequest& req) {
        auto options = ParseCommonOptions(req.query);
        if (!options.ok()) return ErrorResponse(options.status());
        if (req.body.empty()) return ErrorResponse(Status::InvalidArgument("the sample is empty", "body"));
        auto preview = Preview(req.body, *options);
        if (!preview.ok()) return ErrorResponse(preview.status());
        return DataResponse(*preview);
      },
      files);

  router.Add(
      "POST", "/api/imports",
      [&ctx, &jobs](HttpRequest& req) {
        auto options = ParseCommonOptions(req.query);
        if (!options.ok()) return ErrorResponse(options.status());
        for (const auto& [name, target] :
             {std::pair{"skipInvalid", &options->skip_invalid}, std::pair{"dryRun", &options->dry_run}}) {
          auto v = Flag(req.query, name);
          if (!v.ok()) return ErrorResponse(v.status());
          *target = *v;
        }
        auto sweep = Flag(req.query, "sweep");
        if (!sweep.ok()) return ErrorResponse(sweep.status());
        if (req.body.empty()) return ErrorResponse(Status::InvalidArgument("the file is empty", "body"));
        options->at_risk_below = ctx.rules.threshold;
        auto started =
            jobs.Start(std::move(req.body), *options, *sweep, ImportFormatName(options->format), req.key_name);
        if (!started.ok()) return ErrorResponse(started.status());
        HttpResponse resp = DataResponse(*started, 202);
        resp.headers.emplace_back("Location", "/api/imports/" + (*started)["id"].get<std::string>());
        return resp;
      },
      files);

  router.Add("GET", "/api/imports/:importId", [&ctx](HttpRequest& req) {
    auto job = ctx.store.GetImportJob(req.Param("importId"));
    if (!job.ok()) return ErrorResponse(job.status());
    return DataResponse(ImportJobJson(*job, true));
  });

  router.Add("GET", "/api/imports", [&ctx](HttpRequest& req) {
    int limit = 20;
    if (const std::string& l = Get(req.query, "limit"); !l.empty()) {
      try {
        size_t used = 0;
        limit = std::stoi(l, &used);
        if (used != l.size() || limit < 1 || limit > 100) throw std::out_of_range(l);
      } catch (const std::exception&) {
        return ErrorResponse(Status::InvalidArgument("limit must be a whole number from 1 to 100", "limit"));
      }
    }
    auto list = ctx.store.ListImportJobs(limit);
    if (!list.ok()) return ErrorResponse(list.status());
    json items = json::array();
    for (const ImportJob& job : *list) items.push_back(ImportJobJson(job, false));
    return ListResponse(items, "");
  });
}

}  // namespace rkd
