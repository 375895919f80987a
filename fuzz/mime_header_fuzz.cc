// Fuzzes the MIME rendering of the header fields a client or a model controls
// (delivery/mime.h): the recipient's name and the subject. Properties:
//   - EncodeHeaderWord's output, with its folds ("\r\n ") taken out, has no CR, LF or
//     other control character and no byte above 0x7e; each encoded word is at most 75
//     characters; the encoded words decode back to the input;
//   - in RenderMime's output, the header block is lines ending in CRLF, each a field
//     "Name: value" or a fold starting with a space, and exactly the fields written
//     (no value injects one), all of them printable ASCII.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "delivery/mime.h"
#include "fuzz_check.h"

namespace {

bool IsPlainAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  static const std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// The text an encoded header value stands for: RFC 2047 words separated by folds.
std::optional<std::string> DecodeHeaderWords(std::string_view encoded) {
  std::string out;
  size_t i = 0;
  while (i < encoded.size()) {
    if (i > 0) {
      if (encoded.compare(i, 3, "\r\n ") != 0) return std::nullopt;
      i += 3;
    }
    if (encoded.compare(i, 10, "=?UTF-8?B?") != 0) return std::nullopt;
    const size_t end = encoded.find("?=", i + 10);
    if (end == std::string_view::npos) return std::nullopt;
    if (end + 2 - i > 75) return std::nullopt;  // RFC 2047 §2: an encoded word is at most 75 characters
    auto bytes = Base64Decode(encoded.substr(i + 10, end - i - 10));
    if (!bytes) return std::nullopt;
    out += *bytes;
    i = end + 2;
  }
  return out;
}

void CheckEncodedWord(const std::string& text) {
  const std::string encoded = rkd::EncodeHeaderWord(text);
  std::string unfolded;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += encoded[i];
  }
  FUZZ_CHECK(IsPlainAscii(unfolded), "an encoded header is printable ASCII apart from its folds");
  if (IsPlainAscii(text)) {
    FUZZ_CHECK(encoded == text, "plain ASCII stays as it is");
  } else {
    auto decoded = DecodeHeaderWords(encoded);
    FUZZ_CHECK(decoded.has_value(), "a non-ASCII header is RFC 2047 words of at most 75 characters");
    FUZZ_CHECK(*decoded == text, "the encoded words decode to the text");
  }
}

void CheckRenderedHeaders(const std::string& name, const std::string& subject) {
  rkd::MailMessage m;
  m.message_id = "0193a1b2-email@rekindle.test";
  m.from = "Rekindle <hello@rekindle.test>";
  m.to_address = "client@example.com";
  m.to_name = name;
  m.subject = subject;
  m.text = "hello";
  m.html = "<p>hello</p>";
  m.date = 1'795'000'000'000;
  m.list_unsubscribe = "<https://rekindle.test/u/TOKEN>";
  m.one_click_unsubscribe = true;
  const std::string mime = rkd::RenderMime(m);
  const size_t end = mime.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string::npos, "the header block ends with an empty line");
  const std::string headers = mime.substr(0, end + 2);
  std::map<std::string, int> fields;
  size_t i = 0;
  while (i < headers.size()) {
    const size_t eol = headers.find("\r\n", i);
    FUZZ_CHECK(eol != std::string::npos, "header lines end in CRLF");
    const std::string line = headers.substr(i, eol - i);
    FUZZ_CHECK(line.find('\r') == std::string::npos && line.find('\n') == std::string::npos, "no bare CR or LF");
    FUZZ_CHECK(IsPlainAscii(line), "header lines are printable ASCII");
    if (!line.empty() && line[0] == ' ') {
      FUZZ_CHECK(!fields.empty(), "a fold continues a field");
    } else {
      const size_t colon = line.find(": ");
      FUZZ_CHECK(colon != std::string::npos && colon > 0, "a header line is Name: value");
      ++fields[line.substr(0, colon)];
    }
    i = eol + 2;
  }
  const std::map<std::string, int> expected = {{"Message-ID", 1},
                                               {"Date", 1},
                                               {"From", 1},
                                               {"To", 1},
                                               {"Subject", 1},
                                               {"List-Unsubscribe", 1},
                                               {"List-Unsubscribe-Post", 1},
                                               {"MIME-Version", 1},
                                               {"Content-Type", 1}};
  FUZZ_CHECK(fields == expected, "exactly the fields written, each once");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  // The first NUL (if any) splits the input into a name and a subject.
  const size_t nul = input.find('\0');
  const std::string name = nul == std::string::npos ? input : input.substr(0, nul);
  const std::string subject = nul == std::string::npos ? input : input.substr(nul + 1);
  FUZZ_NO_THROW({
    CheckEncodedWord(input);
    CheckRenderedHeaders(name, subject);
  });
  return 0;
}
