// The footer every email carries, whichever Writer wrote it: the sender's postal address
// and the unsubscribe link (the law in many places, and what mailbox providers expect).
#pragma once

#include <string>

namespace rkd {

// Appends the footer to the text body, and to the HTML body before </body> (or at its end).
void AppendFooter(const std::string& postal_address, const std::string& unsubscribe_url, std::string* text,
                  std::string* html);

}  // namespace rkd
