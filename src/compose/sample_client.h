// The client a message is rendered for when the user names none (a preview, a check
// before saving, "send a test to me"; issue 12): a regular with a history and two
// categories, so that every part of the message shows. Pure.
#pragma once

#include "base/time.h"
#include "domain/user.h"

namespace rkd {

User SampleClient(Millis now);

}  // namespace rkd
