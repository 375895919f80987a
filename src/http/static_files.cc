#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/envelope.h"

namespace rkd {
namespace {

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

bool ReadFile(const std::filesystem::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

HttpResponse StaticFiles::Serve(const HttpRequest& req) const {
  namespace fs = std::filesystem;
  const std::string& path = req.path;
  // No "..", no backslashes, no NULs: the path can only name files under root_.
  if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos)
    return ErrorResponse(404, "not_found", "no such file");
  const fs::path root(root_);
  fs::path file = root / path.substr(1);
  std::error_code ec;
  const bool is_file = !path.empty() && path.back() != '/' && fs::is_regular_file(file, ec);
  if (!is_file) {
    // A client-side route (no extension) gets the app; a missing asset is a 404.
    if (fs::path(path).has_extension()) return ErrorResponse(404, "not_found", "no such file: " + path);
    file = root / "index.html";
  }
  HttpResponse resp;
  if (!ReadFile(file, &resp.body)) {
    resp = ErrorResponse(
        404, "not_found",
        "the dashboard is not built (no " + file.string() + "); run `make web`, or use the API under /api");
    return resp;
  }
  resp.content_type = ContentType(file.extension().string());
  const bool hashed_asset = path.rfind("/assets/", 0) == 0 && is_file;
  resp.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return resp;
}

}  // namespace rkd
