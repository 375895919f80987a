#include "import/row_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "domain/order.h"

namespace rkd {
namespace {

const Millis kNow = *ParseRfc3339("2026-12-01T12:00:00Z");

// Every record of `text` through a RowParser: the rows, or the reader's whole-file error.
struct Parsed {
  Status status;
  std::vector<std::variant<ParsedRow, RowError>> rows;
};

Parsed ParseAll(ImportKind kind, ImportFormat format, const std::string& text, RowParserOptions options = {}) {
  Parsed out;
  std::istringstream in(text);
  auto reader = MakeRecordReader(format, in);
  if (!reader.ok()) {
    out.status = reader.status();
    return out;
  }
  options.kind = kind;
  options.format = format;
  if (options.now == 0) options.now = kNow;
  auto parser = RowParser::Make(options, (*reader)->columns());
  if (!parser.ok()) {
    out.status = parser.status();
    return out;
  }
  SourceRecord record;
  for (;;) {
    auto next = (*reader)->Next(&record);
    if (!next.ok()) {
      out.status = next.status();
      break;
    }
    if (!*next) break;
    out.rows.push_back((*parser)->Parse(record));
  }
  return out;
}

const ClientRow& Client(const std::variant<ParsedRow, RowError>& r) {
  if (const RowError* e = std::get_if<RowError>(&r))
    ADD_FAILURE() << "line " << e->line << ", " << e->field << ": " << e->reason;
  return std::get<ClientRow>(std::get<ParsedRow>(r));
}

const OrderRow& Order(const std::variant<ParsedRow, RowError>& r) {
  if (const RowError* e = std::get_if<RowError>(&r))
    ADD_FAILURE() << "line " << e->line << ", " << e->field << ": " << e->reason;
  return std::get<OrderRow>(std::get<ParsedRow>(r));
}

RowError Error(const std::variant<ParsedRow, RowError>& r) {
  if (const RowError* e = std::get_if<RowError>(&r)) return *e;
  ADD_FAILURE() << "the row was accepted";
  return {};
}

// One order line's outcome, from a CSV with the given totalValue and orderDate.
std::variant<ParsedRow, RowError> OneOrder(const std::string& total, const std::string& date) {
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv,
                      "clientExternalId,orderDate,totalValue\nc1,\"" + date + "\",\"" + total + "\"\n");
  EXPECT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.rows.size(), 1u);
  return p.rows.empty() ? std::variant<ParsedRow, RowError>(RowError{}) : p.rows[0];
}

TEST(RowParserMapping, HeaderNamesMatchIgnoringCaseSpacesUnderscoresAndDashes) {
  const ColumnMapping m =
      MapColumns(ImportKind::kClients, {"External ID", "E-Mail", "full_name", "TIME_ZONE", "Shoe size"}, {});
  EXPECT_EQ(m.field_to_column.at("externalId"), "External ID");
  EXPECT_EQ(m.field_to_column.at("email"), "E-Mail");
  EXPECT_EQ(m.field_to_column.at("timeZone"), "TIME_ZONE");
  EXPECT_EQ(m.field_to_column.count("name"), 0u);  // "fullname" is not "name"
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"full_name", "Shoe size"}));
  EXPECT_TRUE(m.missing.empty());

  const ColumnMapping orders = MapColumns(ImportKind::kOrders, {"order_date", "Customer"}, {});
  EXPECT_EQ(orders.missing, (std::vector<std::string>{"totalValue", "userId, clientExternalId or email"}));
  EXPECT_EQ(orders.unknown, (std::vector<std::string>{"Customer"}));
}

TEST(RowParserMapping, MapOverridesNameTheColumnOfAField) {
  auto map = ParseColumnMap("email=Contact, external_id = Customer No");
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->at("email"), "Contact");
  EXPECT_EQ(map->at("externalId"), "Customer No");  // the field's canonical name
  const ColumnMapping m = MapColumns(ImportKind::kClients, {"Customer No", "Contact", "email"}, *map);
  EXPECT_EQ(m.field_to_column.at("externalId"), "Customer No");
  EXPECT_EQ(m.field_to_column.at("email"), "Contact");
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"email"}));  // email reads from Contact now

  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "Customer No,Contact\nC-1,Ann@Example.com\n",
                      {.column_map = *map});
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Client(p.rows[0]).external_id, "C-1");
  EXPECT_EQ(Client(p.rows[0]).email, "Ann@Example.com");
}

TEST(RowParserMapping, MalformedMapsAreRefusedNamingMap) {
  for (const std::string spec : {"email", "=Contact", "shoeSize=Size", "email=A,e-mail=B"}) {
    auto map = ParseColumnMap(spec);
    ASSERT_FALSE(map.ok()) << spec;
    EXPECT_EQ(map.status().field(), "map") << spec;
  }
  EXPECT_TRUE(ParseColumnMap("").ok());
  // A mapped column that the header lacks, and an orders-only field for clients.
  Parsed absent = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email\na@x.com\n",
                           {.column_map = {{"externalId", "Customer"}}});
  EXPECT_NE(absent.status.message().find("column Customer"), std::string::npos) << absent.status.message();
  Parsed wrong_kind = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email,Total\na@x.com,1\n",
                               {.column_map = {{"totalValue", "Total"}}});
  EXPECT_NE(wrong_kind.status.message().find("not a field of clients"), std::string::npos)
      << wrong_kind.status.message();
}

TEST(RowParserMapping, UnknownAndMissingColumnsStopTheFile) {
  Parsed unknown = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email,Shoe size\na@x.com,42\n");
  ASSERT_FALSE(unknown.status.ok());
  EXPECT_EQ(unknown.status.field(), "columns");
  EXPECT_NE(unknown.status.message().find("Shoe size"), std::string::npos) << unknown.status.message();
  Parsed ignored =
      ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email,Shoe size\na@x.com,42\n", {.ignore_unknown = true});
  ASSERT_TRUE(ignored.status.ok()) << ignored.status.message();
  EXPECT_EQ(Client(ignored.rows[0]).email, "a@x.com");

  Parsed missing = ParseAll(ImportKind::kOrders, ImportFormat::kCsv, "email,totalValue\na@x.com,1\n");
  ASSERT_FALSE(missing.status.ok());
  EXPECT_NE(missing.status.message().find("no column for orderDate"), std::string::npos) << missing.status.message();

  Parsed twice = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email,E-mail\na@x.com,b@x.com\n");
  ASSERT_FALSE(twice.status.ok());
  EXPECT_NE(twice.status.message().find("both read as email"), std::string::npos) << twice.status.message();
}

TEST(RowParserMapping, ExportColumnsAreAcceptedAndIgnored) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv,
                      "userId,externalId,email,name,orderCount,totalSpent,engagementScore,updatedAt\n"
                      "u1,C-1,a@x.com,Ann,3,10.00,0.5,2026-01-01T00:00:00Z\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Client(p.rows[0]).name, "Ann");
}

TEST(RowParserClients, ReadsEveryField) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv,
                      "externalId,email,name,preferredCategories,timeZone,createdAt\n"
                      "C-1, ann@x.com ,Ann Lee,jazz| rock ;pop,Europe/Berlin,2024-03-01\n"
                      "C-2,,,,,\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  const ClientRow& a = Client(p.rows[0]);
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.external_id, "C-1");
  EXPECT_EQ(a.email, "ann@x.com");  // trimmed
  EXPECT_EQ(a.name, "Ann Lee");
  EXPECT_EQ(*a.preferred_categories, (std::vector<std::string>{"jazz", "rock", "pop"}));
  EXPECT_EQ(a.time_zone, "Europe/Berlin");
  EXPECT_EQ(*a.created_at, *ParseRfc3339("2024-03-01T00:00:00Z"));
  const ClientRow& b = Client(p.rows[1]);
  EXPECT_EQ(b.email, "");
  ASSERT_TRUE(b.preferred_categories.has_value());  // the column is there, empty
  EXPECT_TRUE(b.preferred_categories->empty());
  EXPECT_FALSE(b.created_at.has_value());

  Parsed no_column = ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email\na@x.com\n");
  EXPECT_FALSE(Client(no_column.rows[0]).preferred_categories.has_value());
}

TEST(RowParserClients, BadValuesNameTheirFieldAndLine) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv,
                      "externalId,email,timeZone,createdAt\n"
                      "C-1,not-an-address,,\n"       // 2
                      ",,,\n"                        // 3
                      "C-3,c@x.com,Mars/Olympus,\n"  // 4
                      "C-4,d@x.com,,2027-01-01\n"    // 5
                      "\" C-5\",e@x.com,,\n");       // 6
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 5u);
  EXPECT_EQ(Error(p.rows[0]).field, "email");
  EXPECT_EQ(Error(p.rows[0]).line, 2);
  EXPECT_EQ(Error(p.rows[1]).reason, "a client needs an externalId or an email");
  EXPECT_EQ(Error(p.rows[2]).field, "timeZone");
  EXPECT_EQ(Error(p.rows[3]).field, "createdAt");
  EXPECT_EQ(Error(p.rows[3]).reason, "2027-01-01 is in the future");
  // Trimmed values: " C-5" reads as "C-5".
  EXPECT_EQ(Client(p.rows[4]).external_id, "C-5");
}

TEST(RowParserClients, CsvDropsTheApostropheAnExportPutsBeforeAFormula) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv,
                      "externalId,name\n"
                      "C-1,'=SUM(A1)\n"
                      "C-2,'+1 555\n"
                      "C-3,'@home\n"
                      "C-4,'-dash\n"
                      "C-5,O'Brien\n"
                      "C-6,'plain\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Client(p.rows[0]).name, "=SUM(A1)");
  EXPECT_EQ(Client(p.rows[1]).name, "+1 555");
  EXPECT_EQ(Client(p.rows[2]).name, "@home");
  EXPECT_EQ(Client(p.rows[3]).name, "-dash");
  EXPECT_EQ(Client(p.rows[4]).name, "O'Brien");
  EXPECT_EQ(Client(p.rows[5]).name, "'plain");  // only before = + - @ TAB CR
  // JSON Lines has no such guard: its text is taken as it is.
  Parsed j = ParseAll(ImportKind::kClients, ImportFormat::kJsonl, "{\"externalId\":\"C-1\",\"name\":\"'=x\"}\n");
  EXPECT_EQ(Client(j.rows[0]).name, "'=x");
}

TEST(RowParserMapping, ImportFieldsListTheWritableFieldsInOrder) {
  EXPECT_EQ(ImportFields(ImportKind::kClients),
            (std::vector<std::string>{"externalId", "email", "name", "preferredCategories", "timeZone", "createdAt"}));
  EXPECT_EQ(ImportFields(ImportKind::kOrders),
            (std::vector<std::string>{"externalId", "userId", "clientExternalId", "email", "name", "orderDate",
                                      "totalValue", "itemCount", "items", "status"}));
}

TEST(RowParserClients, DuplicateIdsAndEmailsInOneFileAreRejected) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kCsv,
                      "externalId,email\n"
                      "C-1,ann@x.com\n"    // 2
                      "C-2,ANN@x.com\n"    // 3: the same address
                      "C-1,bob@x.com\n"    // 4: the same id
                      "C-3,bob@x.com\n");  // 5: fine (line 4 was rejected and claimed nothing)
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Client(p.rows[0]).external_id, "C-1");
  EXPECT_EQ(Error(p.rows[1]).field, "email");
  EXPECT_EQ(Error(p.rows[1]).reason, "ANN@x.com appears again (first on line 2)");
  EXPECT_EQ(Error(p.rows[2]).field, "externalId");
  EXPECT_EQ(Error(p.rows[2]).reason, "C-1 appears again (first on line 2)");
  EXPECT_EQ(Client(p.rows[3]).email, "bob@x.com");
}

TEST(RowParserClients, JsonLinesCategoriesAndKeysCheckedLikeAHeader) {
  Parsed p = ParseAll(ImportKind::kClients, ImportFormat::kJsonl,
                      "{\"externalId\":\"C-1\",\"preferredCategories\":[\"jazz\",\"a|b\"],\"timeZone\":null}\n"
                      "{\"external_id\":\"C-2\",\"shoeSize\":42}\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(*Client(p.rows[0]).preferred_categories, (std::vector<std::string>{"jazz", "a|b"}));
  EXPECT_EQ(Client(p.rows[0]).time_zone, "");
  EXPECT_NE(Error(p.rows[1]).reason.find("shoeSize is not a field of clients"), std::string::npos);

  Parsed ignored = ParseAll(ImportKind::kClients, ImportFormat::kJsonl, "{\"external_id\":\"C-2\",\"shoeSize\":42}\n",
                            {.ignore_unknown = true});
  EXPECT_EQ(Client(ignored.rows[0]).external_id, "C-2");
}

TEST(RowParserOrders, AmountsAreExactCents) {
  const std::vector<std::pair<std::string, int64_t>> good = {
      {"12.5", 1250}, {"12.50", 1250},  {"7", 700},   {".5", 50},     {"0.005", 1},
      {"0.0049", 0},  {"19.999", 2000}, {"0.10", 10}, {"+3.01", 301}, {"1234567.89", 123456789}};
  for (const auto& [text, cents] : good) EXPECT_EQ(Order(OneOrder(text, "2024-01-01")).total_cents, cents) << text;
  for (const std::string text : {"-1", "-0.01", "1e3", "abc", "", "1,000", "12.5.1", ".", "$5", "1 000"}) {
    const RowError e = Error(OneOrder(text, "2024-01-01"));
    EXPECT_EQ(e.field, "totalValue") << text;
    EXPECT_EQ(e.line, 2) << text;
  }
  EXPECT_EQ(Error(OneOrder("-5.00", "2024-01-01")).reason, "-5.00 is negative");
  EXPECT_EQ(Error(OneOrder("", "2024-01-01")).reason, "is required");
}

TEST(RowParserOrders, DatesInEveryAcceptedFormAndNeitherFutureNorBefore1970) {
  EXPECT_EQ(Order(OneOrder("1", "2024-03-01")).order_date, *ParseRfc3339("2024-03-01T00:00:00Z"));
  EXPECT_EQ(Order(OneOrder("1", "2024-03-01T10:00:00+02:00")).order_date, *ParseRfc3339("2024-03-01T08:00:00Z"));
  EXPECT_EQ(Order(OneOrder("1", "2024-03-01T10:00:00.250Z")).order_date, *ParseRfc3339("2024-03-01T10:00:00.250Z"));
  EXPECT_EQ(Order(OneOrder("1", "19970101")).order_date, *ParseRfc3339("1997-01-01"));
  EXPECT_EQ(Order(OneOrder("1", "1700000000000")).order_date, 1700000000000);  // epoch ms
  // Within a day of now is allowed (time zones ahead of UTC); beyond it is not.
  EXPECT_TRUE(std::holds_alternative<ParsedRow>(OneOrder("1", "2026-12-02T06:00:00Z")));
  const RowError future = Error(OneOrder("1", "2027-01-01"));
  EXPECT_EQ(future.field, "orderDate");
  EXPECT_EQ(future.reason, "2027-01-01 is in the future");
  EXPECT_EQ(Error(OneOrder("1", "1969-12-31")).reason, "1969-12-31 is before 1970");
  for (const std::string bad : {"2024-02-30", "01/03/2024", "yesterday", "", "19971301", "2024-03-01T10:00:00"})
    EXPECT_EQ(Error(OneOrder("1", bad)).field, "orderDate") << bad;
}

TEST(RowParserOrders, DerivedIdsCountEachClientsLinesPerDay) {
  const std::string text =
      "clientExternalId,email,userId,orderDate,totalValue\n"
      "00002,,,19970112,12.00\n"              // 2
      "00002,,,1997-01-12T23:00:00Z,77.00\n"  // 3: the same UTC day
      ",Ann@X.com,,1997-01-12,5\n"            // 4
      ",ann@x.com,,1997-01-12,6\n"            // 5: the same client (case)
      "00002,,,19970113,1\n"                  // 6: another day
      "00002,z@x.com,u-9,19970112,1\n";       // 7: userId first
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv, text);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 6u);
  EXPECT_EQ(Order(p.rows[0]).external_id, "x:00002/1997-01-12/1");
  EXPECT_TRUE(Order(p.rows[0]).derived_id);
  EXPECT_EQ(Order(p.rows[1]).external_id, "x:00002/1997-01-12/2");
  EXPECT_EQ(Order(p.rows[2]).external_id, "e:ann@x.com/1997-01-12/1");
  EXPECT_EQ(Order(p.rows[3]).external_id, "e:ann@x.com/1997-01-12/2");
  EXPECT_EQ(Order(p.rows[4]).external_id, "x:00002/1997-01-13/1");
  EXPECT_EQ(Order(p.rows[5]).external_id, "u:u-9/1997-01-12/1");
  EXPECT_EQ(Order(p.rows[5]).user_id, "u-9");
  EXPECT_EQ(Order(p.rows[5]).client_email, "z@x.com");

  // A second parser over the same lines derives the same ids (re-imports store nothing new).
  Parsed again = ParseAll(ImportKind::kOrders, ImportFormat::kCsv, text);
  for (size_t i = 0; i < p.rows.size(); ++i) EXPECT_EQ(Order(again.rows[i]).external_id, Order(p.rows[i]).external_id);
}

TEST(RowParserOrders, ExplicitIdsMustBeUniqueInTheFile) {
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv,
                      "externalId,clientExternalId,orderDate,totalValue,status,itemCount\n"
                      "A-1,c1,2024-01-01,1,SHIPPED,3\n"
                      "A-2,c1,2024-01-01,1,,\n"
                      "A-1,c2,2024-01-02,2,,\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  const OrderRow& first = Order(p.rows[0]);
  EXPECT_EQ(first.external_id, "A-1");
  EXPECT_FALSE(first.derived_id);
  EXPECT_EQ(first.status, "SHIPPED");
  EXPECT_EQ(first.item_count, 3);
  EXPECT_EQ(Order(p.rows[1]).status, "CREATED");
  EXPECT_EQ(Order(p.rows[1]).item_count, 0);
  EXPECT_EQ(Error(p.rows[2]).field, "externalId");
  EXPECT_EQ(Error(p.rows[2]).reason, "A-1 appears again (first on line 2)");
}

TEST(RowParserOrders, IdsAndOrdinalsHoldOverThousandsOfLines) {
  // Enough lines to grow the parser's tables several times.
  std::string text = "externalId,clientExternalId,orderDate,totalValue\n";
  const int kLines = 5000;
  for (int i = 0; i < kLines; ++i) text += "A-" + std::to_string(i) + ",c" + std::to_string(i % 7) + ",2024-01-01,1\n";
  for (int i = 0; i < kLines; ++i) text += ",c1,2024-01-0" + std::to_string(1 + i % 3) + ",1\n";
  text += "A-1234,c1,2024-01-01,1\n";
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv, text);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 2u * kLines + 1);
  for (int i = 0; i < kLines; ++i) ASSERT_TRUE(std::holds_alternative<ParsedRow>(p.rows[i])) << i;
  // Line i of the second block is c1's (i / 3 + 1)th line on its day.
  for (int i = 0; i < kLines; ++i)
    ASSERT_EQ(Order(p.rows[kLines + i]).external_id,
              "x:c1/2024-01-0" + std::to_string(1 + i % 3) + "/" + std::to_string(i / 3 + 1))
        << i;
  EXPECT_EQ(Error(p.rows.back()).reason, "A-1234 appears again (first on line 1236)");
}

TEST(RowParserOrders, AnOrderNeedsItsClientAndWholeCounts) {
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv,
                      "clientExternalId,email,orderDate,totalValue,itemCount\n"
                      ",,2024-01-01,1,\n"
                      "c1,,2024-01-01,1,2.5\n"
                      "c1,,2024-01-01,1,-2\n"
                      ",bad@,2024-01-01,1,\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Error(p.rows[0]).field, "clientExternalId");
  EXPECT_EQ(Error(p.rows[1]).field, "itemCount");
  EXPECT_EQ(Error(p.rows[2]).reason, "-2 is negative");
  EXPECT_EQ(Error(p.rows[3]).field, "email");
}

TEST(RowParserOrders, JsonLinesNestedItems) {
  Parsed p = ParseAll(
      ImportKind::kOrders, ImportFormat::kJsonl,
      "{\"externalId\":\"o-1\",\"email\":\"a@x.com\",\"orderDate\":\"2024-05-01T10:00:00Z\",\"totalValue\":30.5,"
      "\"items\":[{\"productId\":\"p1\",\"name\":\"Blue\",\"category\":\"jazz\",\"price\":10.25,\"quantity\":2},"
      "{\"productId\":\"p2\",\"price\":10}]}\n"
      "{\"externalId\":\"o-2\",\"email\":\"a@x.com\",\"orderDate\":1714557600000,\"totalValue\":1,"
      "\"items\":[{\"productId\":\"p1\",\"price\":-1}]}\n"
      "{\"externalId\":\"o-3\",\"email\":\"a@x.com\",\"orderDate\":1714557600000,\"totalValue\":1,\"items\":{}}\n"
      "[\"not an object\"]\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 4u);
  const OrderRow& o = Order(p.rows[0]);
  EXPECT_EQ(o.total_cents, 3050);
  ASSERT_EQ(o.items.size(), 2u);
  EXPECT_EQ(o.items[0].product_id, "p1");
  EXPECT_EQ(o.items[0].name, "Blue");
  EXPECT_EQ(o.items[0].category, "jazz");
  EXPECT_DOUBLE_EQ(o.items[0].price, 10.25);
  EXPECT_EQ(o.items[0].quantity, 2);
  EXPECT_EQ(o.items[1].quantity, 1);
  EXPECT_EQ(o.item_count, 3);  // the quantities' sum
  const RowError negative = Error(p.rows[1]);
  EXPECT_EQ(negative.field, "items");
  EXPECT_NE(negative.reason.find("items[0].price must not be negative"), std::string::npos) << negative.reason;
  EXPECT_EQ(Error(p.rows[2]).field, "items");
  // A line the reader could not read is rejected with the reader's reason.
  EXPECT_EQ(Error(p.rows[3]).line, 4);
  EXPECT_EQ(Error(p.rows[3]).reason, "the line is not a JSON object");
}

TEST(RowParserOrders, ReaderErrorRecordsBecomeRowErrors) {
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCsv,
                      "clientExternalId,orderDate,totalValue\nc1,2024-01-01\nc1,2024-01-01,\xFF\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Error(p.rows[0]).line, 2);
  EXPECT_EQ(Error(p.rows[0]).reason, "2 fields where the header has 3");
  EXPECT_EQ(Error(p.rows[1]).field, "totalValue");
  EXPECT_EQ(Error(p.rows[1]).reason, "is not valid UTF-8");
}

// "field=" reads the field from no column: the column that would match it by name is
// ignored, neither read nor unknown (the dashboard un-maps a detected field this way).
TEST(RowParserMapping, AnEmptyColumnUnmapsAField) {
  auto map = ParseColumnMap("timeZone=");
  ASSERT_TRUE(map.ok()) << map.status().message();
  const ColumnMapping m = MapColumns(ImportKind::kClients, {"email", "Time Zone"}, *map);
  EXPECT_EQ(m.field_to_column.count("timeZone"), 0u);
  EXPECT_TRUE(m.unknown.empty());
  Parsed p =
      ParseAll(ImportKind::kClients, ImportFormat::kCsv, "email,Time Zone\na@x.com,Not/AZone\n", {.column_map = *map});
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(Client(p.rows[0]).time_zone, "");  // not read: the bad zone is no error
}

TEST(RowParserOrders, CdnowSampleLinesBecomeOrders) {
  std::ifstream f(std::string(RKD_SOURCE_DIR) + "/tests/data/cdnow_sample_excerpt.txt", std::ios::binary);
  std::stringstream text;
  text << f.rdbuf();
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kCdnow, text.str());
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 20u);
  int64_t total = 0;
  for (const auto& r : p.rows) total += Order(r).total_cents;
  // 29.33 + 29.73 + ... + 84.46: the excerpt's 20 amounts.
  EXPECT_EQ(total, 101889);
  const OrderRow& first = Order(p.rows[0]);  // " 00004 0001 19970101  2   29.33"
  EXPECT_EQ(first.client_external_id, "00004");
  EXPECT_EQ(first.order_date, *ParseRfc3339("1997-01-01"));
  EXPECT_EQ(first.item_count, 2);
  EXPECT_EQ(first.total_cents, 2933);
  EXPECT_EQ(first.external_id, "x:00004/1997-01-01/1");
  EXPECT_EQ(Order(p.rows[19]).external_id, "x:00111/1998-01-18/1");
}

TEST(ImportRows, ClientKeyAndDerivedId) {
  OrderRow row;
  row.client_email = "Ann@X.com";
  EXPECT_EQ(ClientKeyOf(row), "e:ann@x.com");
  row.client_external_id = "C-1";
  EXPECT_EQ(ClientKeyOf(row), "x:C-1");
  row.user_id = "u1";
  EXPECT_EQ(ClientKeyOf(row), "u:u1");
  EXPECT_EQ(DerivedOrderId("u:u1", *ParseRfc3339("2024-02-29T23:59:59Z"), 3), "u:u1/2024-02-29/3");
}

// Shopify's orders export: one row per line item, the order's own fields on its first
// row only (the columns of Admin → Orders → Export, some left out).
const std::string kShopifyExport =
    "Name,Email,Financial Status,Paid at,Accepts Marketing,Currency,Subtotal,Total,Created at,Lineitem quantity,"
    "Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Zip,Billing Phone,Shipping Name,Cancelled at,"
    "Refunded Amount,Id\r\n"
    "#1001,ada@example.com,paid,2026-09-03 10:15:00 -0400,no,USD,47.00,56.29,2026-09-03 10:14:00 -0400,2,"
    "\"Fern Print, Large\",16.00,FERN-1,Ada Lovelace,'02134,'+1 555 0100,Ada L,,,'5512345678901\r\n"
    "#1001,ada@example.com,,,,,,,,1,Mug,15.00,MUG,,,,,,,\r\n"
    "#1002,bob@example.com,partially_refunded,,yes,USD,,100.00,2026-10-01 08:00:00 +0200,1,Lamp,100.00,,,,,"
    "Bob B,,30.00,5512345678902\r\n"
    "#1003,ada@example.com,paid,,no,USD,,20.00,2026-11-02 09:00:00 +0000,1,Mug,20.00,MUG,Ada Lovelace,,,,"
    "2026-11-03 10:00:00 +0000,,\r\n"
    "#1004,cy@example.com,refunded,,no,USD,,12.00,2026-11-04 09:00:00 +0000,1,Mug,12.00,MUG,Cy,,,,,12.00,"
    "5512345678904\r\n";

const OrderRow& OrderAt(const Parsed& p, size_t i) { return std::get<OrderRow>(std::get<ParsedRow>(p.rows.at(i))); }

TEST(RowParserShopify, AnOrdersExportReadsOneOrderPerGroupOfLineItemRows) {
  Parsed p = ParseAll(ImportKind::kOrders, ImportFormat::kShopify, kShopifyExport);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.rows.size(), 4u);
  for (const auto& row : p.rows) ASSERT_TRUE(std::holds_alternative<ParsedRow>(row)) << std::get<RowError>(row).reason;
  const OrderRow& first = OrderAt(p, 0);
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.external_id, "5512345678901");  // the Id (the webhooks' order id), its apostrophe off
  EXPECT_EQ(first.client_email, "ada@example.com");
  EXPECT_EQ(first.client_name, "Ada Lovelace");
  EXPECT_EQ(first.order_date, *ParseRfc3339("2026-09-03T14:14:00Z"));
  EXPECT_EQ(first.total_cents, 5629);
  EXPECT_EQ(first.item_count, 3);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].name, "Fern Print, Large");
  EXPECT_EQ(first.items[0].product_id, "FERN-1");
  EXPECT_EQ(first.items[0].quantity, 2);
  EXPECT_DOUBLE_EQ(first.items[0].price, 16.0);
  EXPECT_EQ(first.items[1].name, "Mug");
  EXPECT_EQ(first.status, kOrderCreated);
  const OrderRow& refunded_in_part = OrderAt(p, 1);
  EXPECT_EQ(refunded_in_part.line, 4);
  EXPECT_EQ(refunded_in_part.total_cents, 7000);     // Total less Refunded Amount
  EXPECT_EQ(refunded_in_part.client_name, "Bob B");  // no Billing Name: the Shipping Name
  EXPECT_EQ(refunded_in_part.order_date, *ParseRfc3339("2026-10-01T06:00:00Z"));
  EXPECT_EQ(refunded_in_part.status, kOrderCreated);
  const OrderRow& cancelled = OrderAt(p, 2);
  EXPECT_EQ(cancelled.external_id, "#1003");  // no Id: the Name
  EXPECT_EQ(cancelled.status, kOrderCancelled);
  const OrderRow& refunded = OrderAt(p, 3);
  EXPECT_EQ(refunded.status, kOrderCancelled);
  EXPECT_EQ(refunded.total_cents, 0);
}

TEST(RowParserShopify, AMissingColumnOrABadRowIsNamed) {
  Parsed missing = ParseAll(ImportKind::kOrders, ImportFormat::kShopify, "Name,Email,Total\n#1,a@x.com,1.00\n");
  EXPECT_EQ(missing.status.code(), Code::kInvalidArgument);
  EXPECT_NE(missing.status.message().find("has no Created at"), std::string::npos) << missing.status.message();
  // A bad date and a bad total are rejected on the order's first line; an order named
  // again later is a duplicate.
  Parsed bad = ParseAll(ImportKind::kOrders, ImportFormat::kShopify,
                        "Name,Email,Total,Created at\n#1,a@x.com,1.00,yesterday\n#2,a@x.com,-3,2026-01-01 00:00:00 "
                        "+0000\n#3,a@x.com,1.00,2026-01-01 00:00:00 +0000\n#3,a@x.com,,\n#4,b@x.com,2,2026-01-02 "
                        "00:00:00 +0000\n#3,a@x.com,1.00,2026-01-03 00:00:00 +0000\n");
  ASSERT_TRUE(bad.status.ok()) << bad.status.message();
  ASSERT_EQ(bad.rows.size(), 5u);
  EXPECT_EQ(std::get<RowError>(bad.rows[0]).field, "orderDate");
  EXPECT_EQ(std::get<RowError>(bad.rows[0]).line, 2);
  EXPECT_EQ(std::get<RowError>(bad.rows[1]).field, "totalValue");
  EXPECT_EQ(OrderAt(bad, 2).line, 4);  // #3's two rows, one order
  EXPECT_EQ(OrderAt(bad, 3).external_id, "#4");
  EXPECT_EQ(std::get<RowError>(bad.rows[4]).field, "externalId");
  EXPECT_EQ(*ParseImportFormat("shopify"), ImportFormat::kShopify);
  EXPECT_TRUE(FormatHoldsOnlyOrders(ImportFormat::kShopify));
  EXPECT_STREQ(ImportFormatName(ImportFormat::kShopify), "shopify");
}

}  // namespace
}  // namespace rkd
