#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/envelope.h"
#include "http/web_files.h"

namespace rkd {
namespace {

namespace fs = std::filesystem;

// The first path segments of the dashboard's client-side routes (web/src/App.tsx): the
// browser asks for them on a reload or a shared link, and gets the app.
constexpr std::array<std::string_view, 11> kClientRoutes = {"clients",      "emails",       "effectiveness", "journey",
                                                            "settings",     "suppressions", "import",        "model",
                                                            "integrations", "messages",     "experiments"};

// The dashboard's own pages load only their own scripts, styles and data, and images
// over https (the shop's logo in Settings, issue 12). An email's preview (a srcdoc frame)
// adds its own policy, img-src data: only, so it loads no remote image at all.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

const char* ContentType(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool IsUnder(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end() && p != path.end();
}

}  // namespace

StaticFiles::StaticFiles() : embedded_(&WebFiles()) {}

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(root, ec), ec).string();
}

std::optional<std::string> StaticFiles::Read(const std::string& relative) const {
  if (embedded_) {
    auto it = embedded_->find(relative);
    if (it == embedded_->end()) return std::nullopt;
    return std::string(it->second);
  }
  // Resolve every symlink, then insist the file still lies under the root.
  std::error_code ec;
  const fs::path root(root_);
  const fs::path file = fs::canonical(root / relative, ec);
  if (ec || !IsUnder(file, root) || !fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HttpResponse StaticFiles::Serve(const HttpRequest& req) const {
  // The normalised segments hold no "/", ".", ".." nor control characters; a dot-file
  // (.env, .git) is never part of the dashboard.
  std::string relative;
  for (const std::string& s : req.segments) {
    if (s.empty() || s[0] == '.') return ErrorResponse(404, "not_found", "no such file: " + req.path);
    relative += (relative.empty() ? "" : "/") + s;
  }
  std::optional<std::string> body;
  bool is_file = false;
  if (!relative.empty() && (body = Read(relative))) {
    is_file = true;
  } else if (relative.empty() ||
             std::find(kClientRoutes.begin(), kClientRoutes.end(), req.segments[0]) != kClientRoutes.end()) {
    relative = "index.html";
    body = Read(relative);
    if (!body)
      return ErrorResponse(404, "not_found",
                           embedded_ ? "this binary was built without the dashboard; run `make web`, rebuild, or "
                                       "use the API under /api"
                                     : "the dashboard is not built (no index.html in " + root_ + "); run `make web`");
  } else {
    return ErrorResponse(404, "not_found", "no such file: " + req.path);
  }
  HttpResponse resp;
  resp.body = std::move(*body);
  resp.content_type = ContentType(fs::path(relative).extension().string());
  const bool hashed_asset = is_file && req.segments.size() > 1 && req.segments[0] == "assets";
  resp.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (relative == "index.html") {
    resp.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    resp.headers.emplace_back("X-Frame-Options", "DENY");
    resp.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  return resp;
}

}  // namespace rkd
