#include "base/curl_global.h"

#include <curl/curl.h>

namespace rkd {

bool InitCurlOnce() {
  // A function-local static is initialized once, and other threads wait for it.
  static const bool kInitialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return kInitialized;
}

}  // namespace rkd
