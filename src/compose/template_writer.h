// The offline Writer: Mustache templates (subject, text, html) personalized with the
// client's name, order history and preferred categories. Templates come from
// RKD_TEMPLATES_DIR when set (files subject.mustache, text.mustache, html.mustache),
// else from the copies built into the binary (templates/reengagement/). A journey step's
// message picks its own set when there is one (a subfolder of that name, e.g.
// winback-2/; built in: templates/winback-2/, templates/winback-3/), else the default
// set (winback-1 is the default's). A message stored in the dashboard (issue 12) comes
// with the request and is used instead. Thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "compose/writer.h"
#include "domain/message.h"

namespace rkd {

class TemplateWriter final : public Writer {
 public:
  // Loads and checks the three templates; a template that does not parse fails here.
  static Result<std::unique_ptr<TemplateWriter>> Load(const std::string& templates_dir);
  ~TemplateWriter() override;
  // The step's message: the stored one the request carries (issue 12), else the built-in
  // set of that name, else the default set.
  Result<ComposedEmail> Compose(const ComposeRequest& request) override;
  // `message` parsed and rendered once, for a preview or a check before it is saved; a
  // template that does not parse is an InvalidArgument naming its field.
  static Result<ComposedEmail> Render(const MessageContent& message, const ComposeRequest& request);
  // The built-in messages as loaded: winback-1 (the default set) first, then the others
  // by name; version 0.
  std::vector<MessageVersion> BuiltInMessages() const;

 private:
  struct Templates;
  explicit TemplateWriter(std::unique_ptr<Templates> t);
  std::unique_ptr<Templates> templates_;
};

}  // namespace rkd
