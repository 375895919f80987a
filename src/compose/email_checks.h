// The checks a written email passes before anything is sent (whoever wrote it): a
// one-line subject of 1–120 characters; a non-empty text body under the size cap; the
// call-to-action link present in the text and as a link in the HTML; no unfilled
// placeholders ({{…}}, {name}, [Name], <NAME>); the client's name spelled as stored; and
// HTML that the sanitizer leaves as it is. Pure and thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "compose/writer.h"

namespace rkd {

constexpr size_t kMaxSubjectChars = 120;
constexpr size_t kMaxBodyBytes = 64 * 1024;

// Trims the subject to one line and sanitizes the HTML in place (SanitizeHtml); returns
// how many unsafe pieces the HTML lost.
int NormalizeEmail(ComposedEmail* email);

// InvalidArgument naming the first check that fails; `cta_prefix` is the shop link every
// email must carry (ComposeRequest::shop_url).
Status CheckEmail(const ComposedEmail& email, const std::string& user_name, const std::string& cta_prefix);

// The first unfilled placeholder in `s`, or "" when there is none.
std::string FindPlaceholder(const std::string& s);

// The number of characters (UTF-8 code points) in `s`.
size_t Utf8Length(const std::string& s);

}  // namespace rkd
