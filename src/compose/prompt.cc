#include "compose/prompt.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace rkd {

std::string CallToActionUrl(const std::string& shop_url) {
  return shop_url + (shop_url.find('?') == std::string::npos ? "?" : "&") +
         "utm_source=rekindle&utm_medium=email&utm_campaign=reengagement";
}

int EstimateTokens(const std::string& text) { return static_cast<int>(text.size() / 4) + 1; }

Prompt BuildPrompt(const ComposeRequest& req, bool json_instruction) {
  const User& u = req.user;
  Prompt p;
  p.cta_url = CallToActionUrl(req.shop_url);
  p.system =
      "You write short re-engagement emails for an online shop, to customers who have not ordered for a while. "
      "Each email: (1) is friendly and personal, greeting the customer by the name given, spelled exactly as given; "
      "(2) mentions their order history; (3) suggests new items from their preferred categories; "
      "(4) has one clear call to action to visit the shop, using exactly the link given (unchanged, in the text and "
      "as the href of a link in the HTML); (5) has a subject line of at most 80 characters. "
      "Write 80 to 150 words. Never use placeholders such as [Name] or {{name}}, never invent discounts, prices "
      "or product names, and do not sign with a person's name. The HTML uses only simple tags (p, a, strong, em, "
      "ul, li, br), no scripts, no styles, no images. Do not add an unsubscribe line: it is added for you.";
  // The marketer's own instructions for this message (issue 12), within the rules above:
  // the link, the format and the checks still apply.
  if (req.stored && !req.stored->content.instructions.empty())
    p.system += " The shop adds these instructions for this email: " + req.stored->content.instructions;
  if (json_instruction)
    p.system +=
        " Reply with one JSON object and nothing else: {\"subject\": string, \"text\": string (the plain-text "
        "body), \"html\": string (the same body as HTML)}.";
  nlohmann::json profile = {
      {"name", u.name},
      {"orderCount", u.order_count},
      {"averageOrderValue", std::round(u.average_order_value * 100) / 100},
      {"preferredCategories", u.preferred_categories},
      {"shopLink", p.cta_url},
      {"currency", req.brand.currency},
      {"signOff", req.brand.sign_off},
  };
  if (!req.brand.shop_name.empty()) profile["shopName"] = req.brand.shop_name;
  if (u.last_order_date) {
    profile["lastOrderDate"] = FormatRfc3339(*u.last_order_date).substr(0, 10);
    profile["daysSinceLastOrder"] = WholeDaysBetween(*u.last_order_date, req.now);
  } else {
    profile["lastOrderDate"] = nullptr;
  }
  // A win-back journey sends up to `steps` emails: a reminder must read as one, not as
  // the first email again, and the last one says it is the last for a while.
  std::string which;
  if (req.steps > 1 && req.step > 1) {
    which = "This is reminder " + std::to_string(req.step - 1) + " (email " + std::to_string(req.step) + " of " +
            std::to_string(req.steps) +
            "): the customer already received our earlier email and did not come back. Do not repeat it: follow "
            "up briefly, in a different angle" +
            (req.step == req.steps ? ", and say kindly that this is our last note about it for a while.\n" : ".\n");
  } else if (req.steps > 1) {
    which = "This is the first of up to " + std::to_string(req.steps) + " emails.\n";
  }
  p.user = which + "Write the re-engagement email for this customer, ending it with the signOff line as given:\n" +
           profile.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  return p;
}

}  // namespace rkd
