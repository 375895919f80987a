// libcurl's process-wide initialization, done once for every user of curl (the LLM
// client, the SMTP mailer, the SNS certificate fetch): curl_global_init is not
// thread-safe, so it must run once, before any handle exists.
#pragma once

namespace rkd {

// Calls curl_global_init the first time, from any thread; later calls return at once.
// Call it before creating a curl handle. Returns false when curl could not initialize.
bool InitCurlOnce();

}  // namespace rkd
