// The offline Writer: Mustache templates (subject, text, html) personalized with the
// client's name, order history and preferred categories. Templates come from
// RKD_TEMPLATES_DIR when set (files subject.mustache, text.mustache, html.mustache),
// else from the copies built into the binary (templates/reengagement/). A journey step's
// message picks its own set when there is one (a subfolder of that name, e.g.
// winback-2/; built in: templates/winback-2/, templates/winback-3/), else the default
// set (winback-1 is the default's). Thread-safe.
#pragma once

#include <memory>

#include "compose/writer.h"

namespace rkd {

class TemplateWriter final : public Writer {
 public:
  // Loads and checks the three templates; a template that does not parse fails here.
  static Result<std::unique_ptr<TemplateWriter>> Load(const std::string& templates_dir);
  ~TemplateWriter() override;
  Result<ComposedEmail> Compose(const ComposeRequest& request) override;

 private:
  struct Templates;
  explicit TemplateWriter(std::unique_ptr<Templates> t);
  std::unique_ptr<Templates> templates_;
};

}  // namespace rkd
