// Exports (issue 10): clients, orders and emails as CSV (RFC 4180, a header of the
// fields' names) or JSON Lines, with the columns an import reads back, so exporting and
// importing into an empty store reproduces the clients and their orders. Orders name
// their client by the shop's id and address (not by Rekindle's id, which an empty store
// does not have). Written row by row: an export streams, whatever its size.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/email.h"
#include "domain/order.h"
#include "domain/user.h"
#include "import/record_reader.h"
#include "store/store.h"

namespace rkd {

enum class ExportKind { kClients, kOrders, kEmails };

// "clients" | "orders" | "emails"; InvalidArgument (field "kind") otherwise.
Result<ExportKind> ParseExportKind(const std::string& name);

class ExportWriter {
 public:
  // `format` is kCsv or kJsonl. Writes the CSV header at once.
  ExportWriter(ExportKind kind, ImportFormat format, std::ostream& out);
  void Write(const User& user);
  // An order with its client (for the client's shop id and address).
  void Write(const Order& order, const User& client);
  // An email with its client's address and name.
  void Write(const Email& email, const User* client);

 private:
  void Emit(const std::vector<std::string>& values);

  ExportKind kind_;
  ImportFormat format_;
  std::ostream& out_;
};

// Page by page through the store into `writer`; each returns how many rows. The clients
// and emails a list's filter holds (the query's limit and cursor are the export's own),
// every order, or a whole table.
Result<int64_t> ExportClients(Store& store, UserQuery query, ExportWriter& writer);
Result<int64_t> ExportEmails(Store& store, EmailQuery query, ExportWriter& writer);
Result<int64_t> ExportOrders(Store& store, ExportWriter& writer);
Result<int64_t> ExportAll(Store& store, ExportKind kind, ExportWriter& writer);

}  // namespace rkd
