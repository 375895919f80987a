#include "import/row_spool.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

namespace rkd {
namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr int64_t kMaxString = 64 << 20;  // a row's field is bounded by the parser far below this

}  // namespace

Result<RowSpool> RowSpool::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string path = dir + "/rekindle-import-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return Status::Internal("cannot create a spool file in " + dir + ": " + std::strerror(errno));
  unlink(path.c_str());  // unnamed from now on: it goes with the process
  std::FILE* file = fdopen(fd, "w+b");
  if (!file) {
    close(fd);
    return Status::Internal(std::string("cannot open the spool file: ") + std::strerror(errno));
  }
  std::setvbuf(file, nullptr, _IOFBF, kBufferBytes);
  return RowSpool(file);
}

RowSpool::RowSpool(RowSpool&& other) noexcept : file_(std::exchange(other.file_, nullptr)), failed_(other.failed_) {}

RowSpool::~RowSpool() {
  if (file_) std::fclose(file_);
}

void RowSpool::PutInt(int64_t v) {
  if (std::fwrite(&v, sizeof v, 1, file_) != 1) failed_ = true;
}

void RowSpool::PutString(const std::string& s) {
  PutInt(static_cast<int64_t>(s.size()));
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), file_) != s.size()) failed_ = true;
}

bool RowSpool::GetInt(int64_t* v) { return std::fread(v, sizeof *v, 1, file_) == 1; }

bool RowSpool::GetString(std::string* s) {
  int64_t n = 0;
  if (!GetInt(&n) || n < 0 || n > kMaxString) return false;
  s->resize(static_cast<size_t>(n));
  return n == 0 || std::fread(s->data(), 1, s->size(), file_) == s->size();
}

Status RowSpool::WriteStatus() const {
  return failed_ ? Status::Internal("cannot write the import's spool file (is the disk full?)") : Status::Ok();
}

Status RowSpool::Write(const ClientRow& r) {
  PutInt(r.line);
  PutString(r.external_id);
  PutString(r.email);
  PutString(r.name);
  PutInt(r.preferred_categories ? static_cast<int64_t>(r.preferred_categories->size()) : -1);
  if (r.preferred_categories)
    for (const std::string& c : *r.preferred_categories) PutString(c);
  PutString(r.time_zone);
  PutInt(r.created_at ? 1 : 0);
  PutInt(r.created_at.value_or(0));
  return WriteStatus();
}

Status RowSpool::Write(const OrderRow& r) {
  PutInt(r.line);
  PutString(r.external_id);
  PutInt(r.derived_id ? 1 : 0);
  PutString(r.user_id);
  PutString(r.client_external_id);
  PutString(r.client_email);
  PutString(r.client_name);
  PutInt(r.order_date);
  PutInt(r.total_cents);
  PutInt(r.item_count);
  PutInt(static_cast<int64_t>(r.items.size()));
  for (const OrderItem& i : r.items) {
    PutString(i.item_id);
    PutString(i.product_id);
    PutString(i.name);
    PutString(i.category);
    PutInt(std::llround(i.price * 100));
    PutInt(i.quantity);
  }
  PutString(r.status);
  return WriteStatus();
}

Status RowSpool::Rewind() {
  RKD_RETURN_IF_ERROR(WriteStatus());
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    return Status::Internal(std::string("cannot rewind the import's spool file: ") + std::strerror(errno));
  return Status::Ok();
}

namespace {
Status Truncated() { return Status::Internal("the import's spool file is truncated"); }
}  // namespace

Result<std::optional<ClientRow>> RowSpool::ReadClient() {
  ClientRow r;
  if (!GetInt(&r.line)) return std::optional<ClientRow>();  // the end
  int64_t categories = 0, has_created = 0, created = 0;
  bool ok = GetString(&r.external_id) && GetString(&r.email) && GetString(&r.name) && GetInt(&categories);
  if (ok && categories >= 0) {
    r.preferred_categories.emplace(static_cast<size_t>(categories));
    for (std::string& c : *r.preferred_categories) ok = ok && GetString(&c);
  }
  ok = ok && GetString(&r.time_zone) && GetInt(&has_created) && GetInt(&created);
  if (!ok) return Truncated();
  if (has_created) r.created_at = created;
  return std::optional<ClientRow>(std::move(r));
}

Result<std::optional<OrderRow>> RowSpool::ReadOrder() {
  OrderRow r;
  if (!GetInt(&r.line)) return std::optional<OrderRow>();
  int64_t derived = 0, items = 0;
  bool ok = GetString(&r.external_id) && GetInt(&derived) && GetString(&r.user_id) &&
            GetString(&r.client_external_id) && GetString(&r.client_email) && GetString(&r.client_name) &&
            GetInt(&r.order_date) && GetInt(&r.total_cents) && GetInt(&r.item_count) && GetInt(&items) && items >= 0;
  if (ok) {
    r.items.resize(static_cast<size_t>(items));
    for (OrderItem& i : r.items) {
      int64_t cents = 0;
      ok = ok && GetString(&i.item_id) && GetString(&i.product_id) && GetString(&i.name) && GetString(&i.category) &&
           GetInt(&cents) && GetInt(&i.quantity);
      i.price = static_cast<double>(cents) / 100.0;
    }
  }
  ok = ok && GetString(&r.status);
  if (!ok) return Truncated();
  r.derived_id = derived != 0;
  return std::optional<OrderRow>(std::move(r));
}

}  // namespace rkd
