// One record of the change stream `user_changes` (the DynamoDB stream of the seed,
// NEW_AND_OLD_IMAGES): written in the same transaction as the user write it records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"
#include "domain/user.h"

namespace rkd {

enum class ChangeOp { kInsert, kModify, kRemove };
const char* ChangeOpName(ChangeOp op);  // "INSERT", "MODIFY", "REMOVE"

struct UserChange {
  int64_t seq = 0;  // strictly increasing across the stream
  std::string user_id;
  ChangeOp op = ChangeOp::kInsert;
  std::optional<User> old_image;  // absent for INSERT
  std::optional<User> new_image;  // absent for REMOVE
  Millis changed_at = 0;
};

}  // namespace rkd
