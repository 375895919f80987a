// The message a name stands for now (issue 12): its newest stored version, else the
// built-in templates of that name (version 0). Used wherever a message is read as the
// email workers would write it: the messages API and the experiments API.
#pragma once

#include <string>

#include "base/status.h"
#include "compose/template_writer.h"
#include "store/store.h"

namespace rkd {

// NotFound (field `field`) when the name is neither stored nor built in.
Result<MessageVersion> CurrentMessage(Store& store, const TemplateWriter& templates, const std::string& name,
                                      const std::string& field);

}  // namespace rkd
