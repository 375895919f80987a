// Fuzzes the page cursors (store/cursor.h, store/list_query.h). Properties:
//   - decoding never throws, whatever the bytes (a malformed cursor is a 400, not a 500);
//   - a decoded cursor encodes to a cursor that decodes to the same position;
//   - a rejected cursor names the field "cursor";
//   - the user list's and the key lists' decoders never throw either, and what they
//     accept round-trips through their encoders.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "store/cursor.h"
#include "store/list_query.h"

namespace {

void CheckUserCursor(const std::string& cursor, rkd::UserSort sort, bool descending) {
  rkd::UserQuery q;
  q.cursor = cursor;
  q.sort = sort;
  q.descending = descending;
  FUZZ_NO_THROW({
    auto decoded = rkd::DecodeUserCursor(q);
    if (!decoded.ok()) FUZZ_CHECK(decoded.status().field() == "cursor", "a rejected user cursor names cursor");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  FUZZ_NO_THROW({
    auto decoded = rkd::DecodeCursor(input);
    if (!decoded.ok()) {
      FUZZ_CHECK(decoded.status().field() == "cursor", "a rejected cursor names cursor");
    } else {
      FUZZ_CHECK(decoded->is_object(), "a cursor is a JSON object");
      const std::string encoded = rkd::EncodeCursor(*decoded);
      auto again = rkd::DecodeCursor(encoded);
      FUZZ_CHECK(again.ok(), "an encoded cursor decodes");
      FUZZ_CHECK(*again == *decoded, "encode(decode(x)) decodes to the same position");
      FUZZ_CHECK(rkd::EncodeCursor(*again) == encoded, "encoding is stable");
    }
  });

  for (auto sort :
       {rkd::UserSort::kCreatedAt, rkd::UserSort::kScore, rkd::UserSort::kLastOrderDate, rkd::UserSort::kName})
    for (bool descending : {false, true}) CheckUserCursor(input, sort, descending);

  FUZZ_NO_THROW({
    auto key = rkd::DecodeKeyCursor(input);
    if (!key.ok()) {
      FUZZ_CHECK(key.status().field() == "cursor", "a rejected key cursor names cursor");
    } else if (key->has_value()) {
      const auto& [k, id] = **key;
      auto again = rkd::DecodeKeyCursor(rkd::EncodeKeyCursor(k, id));
      FUZZ_CHECK(again.ok() && again->has_value(), "an encoded key cursor decodes");
      FUZZ_CHECK((*again)->first == k && (*again)->second == id, "key cursors round-trip");
    }
  });
  return 0;
}
