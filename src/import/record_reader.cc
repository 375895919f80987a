#include "import/record_reader.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/text_encoding.h"
#include "import/shopify_orders_export.h"

namespace rkd {
namespace {

constexpr size_t kChunkBytes = size_t{64} * 1024;
// A record (or a JSON line) longer than this is refused: it bounds memory, and a real
// one is never this long (an unclosed quote swallowing the rest of a file is).
constexpr size_t kMaxRecordBytes = size_t{1024} * 1024;
constexpr int kMaxJsonDepth = 64;

Status LineError(int64_t line, const std::string& why) {
  return Status::InvalidArgument("line " + std::to_string(line) + ": " + why);
}

Status EmptyFile() { return Status::InvalidArgument("the file is empty"); }

// The stream's bytes, a chunk at a time: the readers scan the chunk in place.
class Input {
 public:
  explicit Input(std::istream& in) : in_(in) { buf_.reserve(kChunkBytes); }

  // Whether a byte is available (refilling the chunk when it is used up).
  bool Available() { return pos_ < buf_.size() || Fill(); }
  char Peek() const { return buf_[pos_]; }
  void Advance() { ++pos_; }
  // The rest of the current chunk; Skip(n) consumes n bytes of it.
  std::string_view Rest() const { return std::string_view(buf_).substr(pos_); }
  void Skip(size_t n) { pos_ += n; }
  int64_t bytes_read() const { return consumed_ + static_cast<int64_t>(pos_); }

  // Skips a UTF-8 byte order mark at the very start.
  void SkipBom() {
    if (!Available()) return;
    // The mark is 3 bytes; a first chunk shorter than that is the whole file.
    if (Rest().substr(0, 3) == "\xEF\xBB\xBF") Skip(3);
  }

  // The next line without its "\n" (and a "\r" before it); false at the end. A line
  // longer than kMaxRecordBytes sets *too_long (the rest of it is skipped).
  bool ReadLine(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    if (!Available()) return false;
    for (;;) {
      const std::string_view rest = Rest();
      const size_t nl = rest.find('\n');
      const size_t take = nl == std::string_view::npos ? rest.size() : nl;
      if (line->size() + take <= kMaxRecordBytes) {
        line->append(rest.data(), take);
      } else {
        *too_long = true;
      }
      if (nl != std::string_view::npos) {
        Skip(nl + 1);
        break;
      }
      Skip(take);
      if (!Available()) break;
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

 private:
  bool Fill() {
    if (eof_) return false;
    consumed_ += static_cast<int64_t>(buf_.size());
    buf_.resize(kChunkBytes);
    in_.read(buf_.data(), static_cast<std::streamsize>(kChunkBytes));
    buf_.resize(static_cast<size_t>(in_.gcount()));
    pos_ = 0;
    if (buf_.empty()) eof_ = true;
    return !buf_.empty();
  }

  std::istream& in_;
  std::string buf_;
  size_t pos_ = 0;
  int64_t consumed_ = 0;
  bool eof_ = false;
};

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string Trimmed(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

// RFC 4180 with LF accepted for CRLF. Blank lines between records are skipped; a
// carriage return outside quotes must end a line (old Mac files are refused, not misread).
class CsvReader final : public RecordReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  Status ReadHeader() {
    in_.SkipBom();
    SourceRecord header;
    size_t count = 0;
    bool got = false;
    RKD_RETURN_IF_ERROR(ReadRecord(&header, &count, &got));
    if (!got) return EmptyFile();
    if (bad_utf8_line_) return LineError(bad_utf8_line_, "the header is not valid UTF-8");
    for (size_t i = 0; i < count; ++i) {
      std::string name = Trimmed(header.fields[i].second);
      if (name.empty()) return LineError(header.line, "column " + std::to_string(i + 1) + " of the header has no name");
      if (std::find(columns_.begin(), columns_.end(), name) != columns_.end())
        return LineError(header.line, "the header names column " + name + " twice");
      columns_.push_back(std::move(name));
    }
    if (columns_.size() == 1) {
      for (const char* delimiter : {";", "\t"}) {
        if (columns_[0].find(delimiter) != std::string::npos)
          return LineError(header.line, std::string("the header is one column holding '") +
                                            (*delimiter == ';' ? ";" : "\\t") +
                                            "': the delimiter looks wrong (columns are read separated by commas)");
      }
    }
    return Status::Ok();
  }

  const std::vector<std::string>& columns() const override { return columns_; }
  int64_t bytes_read() const override { return in_.bytes_read(); }

  Result<bool> Next(SourceRecord* out) override {
    size_t count = 0;
    bool got = false;
    out->error.clear();
    RKD_RETURN_IF_ERROR(ReadRecord(out, &count, &got));
    if (!got) return false;
    if (count != columns_.size()) {
      out->error = std::to_string(count) + (count == 1 ? " field" : " fields") + " where the header has " +
                   std::to_string(columns_.size());
    }
    // Invalid UTF-8 in a data row is left to the row parser, which names the field.
    if (!out->error.empty()) {
      out->fields.clear();
      return true;
    }
    out->fields.resize(count);
    for (size_t i = 0; i < count; ++i)
      if (out->fields[i].first != columns_[i]) out->fields[i].first = columns_[i];
    return true;
  }

 private:
  // Reads one record's values into rec->fields[0..*count).second (growing it as needed;
  // the strings are reused, so a caller that passes the same record avoids allocations).
  Status ReadRecord(SourceRecord* rec, size_t* count, bool* got) {
    *count = 0;
    *got = false;
    bad_utf8_line_ = 0;
    // Blank lines.
    for (;;) {
      if (!in_.Available()) return Status::Ok();
      const char c = in_.Peek();
      if (c == '\n') {
        in_.Advance();
        ++line_;
      } else if (c == '\r') {
        RKD_RETURN_IF_ERROR(EndOfLine());
      } else {
        break;
      }
    }
    *got = true;
    rec->line = line_;
    size_t bytes = 0;
    for (;;) {  // one field per pass
      if (*count == rec->fields.size()) rec->fields.emplace_back();
      std::string& value = rec->fields[(*count)++].second;
      value.clear();
      if (in_.Available() && in_.Peek() == '"') {
        const int64_t open_line = line_;
        in_.Advance();
        for (;;) {
          if (!in_.Available()) return LineError(open_line, "a quoted field opened on this line is never closed");
          const std::string_view rest = in_.Rest();
          size_t n = 0;
          while (n < rest.size() && rest[n] != '"' && rest[n] != '\n') ++n;
          value.append(rest.data(), n);
          in_.Skip(n);
          if (n == rest.size()) continue;
          in_.Advance();
          if (rest[n] == '\n') {
            value.push_back('\n');
            ++line_;
          } else if (in_.Available() && in_.Peek() == '"') {
            value.push_back('"');
            in_.Advance();
          } else {
            break;
          }
          if (bytes + value.size() > kMaxRecordBytes) return TooLong(rec->line);
        }
      } else {
        for (;;) {
          if (!in_.Available()) break;
          const std::string_view rest = in_.Rest();
          size_t n = 0;
          while (n < rest.size() && rest[n] != ',' && rest[n] != '\n' && rest[n] != '\r') ++n;
          value.append(rest.data(), n);
          in_.Skip(n);
          if (n < rest.size()) break;
          if (bytes + value.size() > kMaxRecordBytes) return TooLong(rec->line);
        }
      }
      bytes += value.size();
      if (bytes > kMaxRecordBytes) return TooLong(rec->line);
      if (!bad_utf8_line_ && !IsValidUtf8(value)) bad_utf8_line_ = line_;
      if (!in_.Available()) return Status::Ok();
      const char c = in_.Peek();
      if (c == ',') {
        in_.Advance();
        continue;
      }
      if (c == '\n' || c == '\r') return EndOfLine();
      return LineError(line_, "a quoted field must be followed by a comma or the end of the line");
    }
  }

  // At "\n", "\r\n" or a "\r" that ends the file: consumes it and counts the line.
  Status EndOfLine() {
    if (in_.Peek() == '\r') {
      in_.Advance();
      if (in_.Available() && in_.Peek() != '\n')
        return LineError(line_, "a carriage return that does not end the line (CRLF or LF line ends are read)");
      if (!in_.Available()) {
        ++line_;
        return Status::Ok();
      }
    }
    in_.Advance();
    ++line_;
    return Status::Ok();
  }

  Status TooLong(int64_t line) {
    return LineError(line, "the record is longer than 1 MiB (a quote that is never closed?)");
  }

  Input in_;
  std::vector<std::string> columns_;
  int64_t line_ = 1;
  int64_t bad_utf8_line_ = 0;  // the line of the record's first invalid UTF-8, or 0
};

// Counts the nesting of a JSON text (outside strings), so that a line that nests too
// deep is refused before the recursive parts of the library (dump) meet it.
int JsonDepth(std::string_view s) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

// Shared by the line-oriented formats: blank lines are skipped, and a file without a
// single non-blank line is empty.
class LineReader : public RecordReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) { in_.SkipBom(); }
  int64_t bytes_read() const override { return in_.bytes_read(); }

  Result<bool> Next(SourceRecord* out) override {
    bool too_long = false;
    while (in_.ReadLine(&line_text_, &too_long)) {
      ++line_;
      out->line = line_;
      out->error.clear();
      if (!too_long && IsBlank(line_text_)) continue;
      if (too_long) {
        out->error = "the line is longer than 1 MiB";
      } else if (!IsValidUtf8(line_text_)) {
        out->error = "the text is not valid UTF-8";
      } else if (!ParseLine(line_text_, out)) {
        continue;
      }
      any_ = true;
      if (!out->error.empty()) out->fields.clear();
      return true;
    }
    if (!any_ && !skipped_any_) return EmptyFile();
    return false;
  }

 protected:
  // Fills `out` from one non-blank line (or sets out->error): true for a record, false
  // for a line that is skipped (CDNOW's header).
  virtual bool ParseLine(const std::string& text, SourceRecord* out) = 0;
  bool any_ = false;          // a record was returned
  bool skipped_any_ = false;  // a non-blank line was skipped (a header)

 private:
  Input in_;
  std::string line_text_;
  int64_t line_ = 0;
};

class JsonLinesReader final : public LineReader {
 public:
  using LineReader::LineReader;
  const std::vector<std::string>& columns() const override { return columns_; }

 protected:
  bool ParseLine(const std::string& text, SourceRecord* out) override {
    out->fields.clear();
    if (JsonDepth(text) > kMaxJsonDepth) {
      out->error = "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return true;
    }
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      out->error = j.is_discarded() ? "the line is not valid JSON" : "the line is not a JSON object";
      return true;
    }
    for (const auto& [key, value] : j.items()) {
      if (value.is_null()) continue;
      out->fields.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    return true;
  }

 private:
  std::vector<std::string> columns_;  // none: each record brings its keys
};

// CDNOW's transaction log: "customer_id YYYYMMDD items amount", whitespace-separated
// (the master file, with an optional header line), or the 1/10 sample's five columns
// "master_id sample_id YYYYMMDD items amount", whose master id is the customer id.
class CdnowReader final : public LineReader {
 public:
  using LineReader::LineReader;
  const std::vector<std::string>& columns() const override { return columns_; }

 protected:
  bool ParseLine(const std::string& text, SourceRecord* out) override {
    tokens_.clear();
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      const size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
      if (i > start) tokens_.emplace_back(text.data() + start, i - start);
    }
    const bool first = !any_ && !skipped_any_;
    if (first && !std::all_of(tokens_[0].begin(), tokens_[0].end(), [](char c) { return c >= '0' && c <= '9'; })) {
      skipped_any_ = true;  // the master file's header line
      return false;
    }
    if (tokens_.size() != 4 && tokens_.size() != 5) {
      out->error = std::to_string(tokens_.size()) +
                   " columns; a CDNOW line has 4 (customer id, YYYYMMDD, number of items, amount), or 5 in the "
                   "sample file (with the sample's customer id second)";
      return true;
    }
    const size_t skip = tokens_.size() - 4;  // the sample's own customer id
    out->fields.resize(4);
    for (size_t k = 0; k < 4; ++k) {
      if (out->fields[k].first != columns_[k]) out->fields[k].first = columns_[k];
      const std::string_view token = tokens_[k == 0 ? 0 : k + skip];
      out->fields[k].second.assign(token.data(), token.size());
    }
    return true;
  }

 private:
  const std::vector<std::string> columns_ = {"clientExternalId", "orderDate", "itemCount", "totalValue"};
  std::vector<std::string_view> tokens_;
};

}  // namespace

Result<ImportFormat> ParseImportFormat(const std::string& name) {
  if (name == "csv") return ImportFormat::kCsv;
  if (name == "jsonl") return ImportFormat::kJsonl;
  if (name == "cdnow") return ImportFormat::kCdnow;
  if (name == "shopify") return ImportFormat::kShopify;
  return Status::InvalidArgument("format must be csv, jsonl, cdnow or shopify", "format");
}

const char* ImportFormatName(ImportFormat format) {
  switch (format) {
    case ImportFormat::kCsv:
      return "csv";
    case ImportFormat::kJsonl:
      return "jsonl";
    case ImportFormat::kCdnow:
      return "cdnow";
    case ImportFormat::kShopify:
      return "shopify";
  }
  return "csv";
}

bool FormatHoldsOnlyOrders(ImportFormat format) {
  return format == ImportFormat::kCdnow || format == ImportFormat::kShopify;
}

Result<ImportFormat> FormatOfPath(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == "csv") return ImportFormat::kCsv;
    if (ext == "jsonl" || ext == "ndjson") return ImportFormat::kJsonl;
    if (ext == "txt") return ImportFormat::kCdnow;
  }
  return Status::InvalidArgument("cannot tell the format of " +
                                     (path.empty() || path == "-" ? std::string("standard input") : path) +
                                     " from its name; give the format (csv, jsonl or cdnow)",
                                 "format");
}

Result<std::unique_ptr<RecordReader>> MakeRecordReader(ImportFormat format, std::istream& in) {
  switch (format) {
    case ImportFormat::kCsv:
    case ImportFormat::kShopify: {
      auto reader = std::make_unique<CsvReader>(in);
      RKD_RETURN_IF_ERROR(reader->ReadHeader());
      if (format == ImportFormat::kShopify) return MakeShopifyOrdersReader(std::move(reader));
      return std::unique_ptr<RecordReader>(std::move(reader));
    }
    case ImportFormat::kJsonl:
      return std::unique_ptr<RecordReader>(std::make_unique<JsonLinesReader>(in));
    case ImportFormat::kCdnow:
      return std::unique_ptr<RecordReader>(std::make_unique<CdnowReader>(in));
  }
  return Status::Internal("unknown import format");
}

}  // namespace rkd
