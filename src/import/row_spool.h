// The import's first pass keeps the rows it validated here, so the second pass writes
// them without parsing the file again (and standard input, read once, can be imported):
// an unnamed temporary file (unlinked at once: a crash leaves nothing), written and read
// back sequentially through a large buffer. Rows come back as they went in.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "base/status.h"
#include "domain/import_rows.h"

namespace rkd {

class RowSpool {
 public:
  // A spool in `dir` (created when missing).
  static Result<RowSpool> Open(const std::string& dir);
  RowSpool(RowSpool&& other) noexcept;
  RowSpool& operator=(RowSpool&&) = delete;
  RowSpool(const RowSpool&) = delete;
  ~RowSpool();

  Status Write(const ClientRow& row);
  Status Write(const OrderRow& row);
  // Ends writing and rewinds: the Read calls give the rows back in order, then nullopt.
  Status Rewind();
  Result<std::optional<ClientRow>> ReadClient();
  Result<std::optional<OrderRow>> ReadOrder();

 private:
  explicit RowSpool(std::FILE* file) : file_(file) {}
  void PutInt(int64_t v);
  void PutString(const std::string& s);
  bool GetInt(int64_t* v);
  bool GetString(std::string* s);
  Status WriteStatus() const;

  std::FILE* file_;
  bool failed_ = false;
};

}  // namespace rkd
