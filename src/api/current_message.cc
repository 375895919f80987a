#include "api/current_message.h"

namespace rkd {

Result<MessageVersion> CurrentMessage(Store& store, const TemplateWriter& templates, const std::string& name,
                                      const std::string& field) {
  auto stored = store.GetMessage(name, std::nullopt);
  if (stored.ok() || !stored.status().IsNotFound()) return stored;
  for (MessageVersion& m : templates.BuiltInMessages())
    if (m.name == name) return std::move(m);
  return Status::NotFound("no message named " + name, field);
}

}  // namespace rkd
