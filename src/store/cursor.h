// Opaque page cursors: a JSON object (the last row's sort key and id, and the sort it
// belongs to) in unpadded base64url, so clients cannot depend on what is inside.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"

namespace rkd {

std::string EncodeCursor(const nlohmann::json& position);
// InvalidArgument (field "cursor") when `cursor` is not one of ours.
Result<nlohmann::json> DecodeCursor(const std::string& cursor);

}  // namespace rkd
