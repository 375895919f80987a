// RFC 5322 / MIME rendering of a MailMessage: multipart/alternative (text, then HTML),
// UTF-8 bodies in quoted-printable, non-ASCII header text as RFC 2047 encoded words,
// CRLF line ends. Pure.
#pragma once

#include <string>

#include "delivery/mailer.h"

namespace rkd {

std::string RenderMime(const MailMessage& message);

// Helpers exposed for tests.
std::string QuotedPrintable(const std::string& utf8);
std::string EncodeHeaderWord(const std::string& utf8);  // as is when plain ASCII
std::string Rfc5322Date(Millis t);                      // "Wed, 25 Nov 2026 14:24:03 +0000"

}  // namespace rkd
