#include "store/cursor.h"

#include "base/text_encoding.h"

namespace rkd {

std::string EncodeCursor(const nlohmann::json& position) { return Base64UrlEncode(position.dump()); }

Result<nlohmann::json> DecodeCursor(const std::string& cursor) {
  auto text = Base64UrlDecode(cursor);
  if (!text) return Status::InvalidArgument("cursor is not valid", "cursor");
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument("cursor is not valid", "cursor");
  return j;
}

}  // namespace rkd
