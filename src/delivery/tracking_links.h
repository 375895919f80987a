// Open and click tracking for an email's HTML: every http(s) link is routed through
// {public_url}/t/c/TOKEN, where TOKEN signs the email id and the original URL (so the
// redirect can only lead where the email itself pointed: no open redirect), and a 1×1
// pixel {public_url}/t/o/TOKEN.gif is added. Links back to Rekindle itself (unsubscribe)
// are left alone. Pure; thread-safe.
#pragma once

#include <string>

namespace rkd {

std::string AddTracking(const std::string& html, const std::string& public_url, const std::string& secret,
                        const std::string& email_id);

}  // namespace rkd
