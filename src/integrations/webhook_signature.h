// The signature a shop's platform puts on each webhook delivery: base64 of
// HMAC-SHA256(secret, raw body), in X-Shopify-Hmac-Sha256 (Shopify) or
// X-WC-Webhook-Signature (WooCommerce). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rkd {

// base64(HMAC-SHA256(secret, body)).
std::string WebhookSignature(std::string_view secret, std::string_view body);

// Whether `header` is the signature of `body` under one of `secrets` (two during a
// rotation: the old and the new). Compared in constant time, as decoded bytes; an empty
// secret never matches, nor does a header that is not base64 of 32 bytes.
bool WebhookSignatureMatches(const std::vector<std::string>& secrets, std::string_view body, std::string_view header);

}  // namespace rkd
