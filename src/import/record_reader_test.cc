#include "import/record_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rkd {
namespace {

struct ReadOutcome {
  Status status;                      // the reader's whole-file error, if any
  std::vector<SourceRecord> records;  // what was read before it
  int64_t bytes_read = 0;
};

ReadOutcome ReadAll(ImportFormat format, const std::string& text) {
  ReadOutcome outcome;
  std::istringstream in(text);
  auto reader = MakeRecordReader(format, in);
  if (!reader.ok()) {
    outcome.status = reader.status();
    return outcome;
  }
  SourceRecord record;  // reused, as the importer does
  for (;;) {
    Result<bool> next = (*reader)->Next(&record);
    if (!next.ok()) {
      outcome.status = next.status();
      break;
    }
    if (!*next) break;
    outcome.records.push_back(record);
  }
  outcome.bytes_read = (*reader)->bytes_read();
  return outcome;
}

std::string ValueOf(const SourceRecord& r, const std::string& name) {
  for (const auto& [n, v] : r.fields)
    if (n == name) return v;
  return "<absent>";
}

TEST(RecordReaderCsv, ReadsHeaderAndRowsWithLineNumbers) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, "email,name\na@x.com,Ann\nb@x.com,Bob\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].line, 2);
  EXPECT_EQ(out.records[1].line, 3);
  EXPECT_EQ(ValueOf(out.records[1], "email"), "b@x.com");
  EXPECT_EQ(ValueOf(out.records[1], "name"), "Bob");
  EXPECT_EQ(out.bytes_read, 35);
}

TEST(RecordReaderCsv, SkipsUtf8BomAndReadsCrlf) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv,
                                  "\xEF\xBB\xBF"
                                  "email,name\r\na@x.com,Ann\r\nb@x.com,\r\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].fields[0].first, "email");  // not "\xEF\xBB\xBF" "email"
  EXPECT_EQ(ValueOf(out.records[0], "name"), "Ann");   // no trailing '\r'
  EXPECT_EQ(ValueOf(out.records[1], "name"), "");
  EXPECT_EQ(out.records[1].line, 3);
}

TEST(RecordReaderCsv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const std::string text =
      "email,name\n"
      "a@x.com,\"Smith, Ann\"\n"               // line 2
      "b@x.com,\"Bob \"\"The Builder\"\"\"\n"  // line 3
      "c@x.com,\"two\nlines\r\nthree\"\n"      // lines 4-6
      "d@x.com,Dee\n";                         // line 7
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, text);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(ValueOf(out.records[0], "name"), "Smith, Ann");
  EXPECT_EQ(ValueOf(out.records[1], "name"), "Bob \"The Builder\"");
  EXPECT_EQ(ValueOf(out.records[2], "name"), "two\nlines\r\nthree");
  EXPECT_EQ(out.records[2].line, 4);
  EXPECT_EQ(out.records[3].line, 7);
  EXPECT_EQ(ValueOf(out.records[3], "name"), "Dee");
}

TEST(RecordReaderCsv, UnterminatedQuoteNamesTheLineItOpensOn) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, "email,name\na@x.com,Ann\nb@x.com,\"Bob\nc@x.com,Cy\n");
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), Code::kInvalidArgument);
  EXPECT_NE(out.status.message().find("line 3"), std::string::npos) << out.status.message();
  EXPECT_NE(out.status.message().find("never closed"), std::string::npos) << out.status.message();
  EXPECT_EQ(out.records.size(), 1u);
}

TEST(RecordReaderCsv, RowWithWrongFieldCountIsAnErrorRecordAndReadingGoesOn) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, "email,name\na@x.com,Ann,extra\nb@x.com\nc@x.com,Cy\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[0].line, 2);
  EXPECT_EQ(out.records[0].error, "3 fields where the header has 2");
  EXPECT_TRUE(out.records[0].fields.empty());
  EXPECT_EQ(out.records[1].line, 3);
  EXPECT_EQ(out.records[1].error, "1 field where the header has 2");
  EXPECT_EQ(out.records[2].error, "");
  EXPECT_EQ(ValueOf(out.records[2], "name"), "Cy");
}

// Invalid UTF-8 in a data row reaches the row parser, which names the field
// (RowParserOrders.InvalidUtf8NamesItsField); in the header it stops the file.
TEST(RecordReaderCsv, InvalidUtf8InARowIsLeftToTheParser) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, "email,name\na@x.com,Ann\nb@x.com,B\xC3\x28ob\nc@x.com,Cy\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[1].line, 3);
  EXPECT_EQ(out.records[1].error, "");
  EXPECT_EQ(ValueOf(out.records[1], "name"), "B\xC3\x28ob");
  EXPECT_EQ(out.records[2].error, "");
  EXPECT_FALSE(ReadAll(ImportFormat::kCsv,
                       "em\xFF"
                       "ail,name\na,b\n")
                   .status.ok());
  // Valid multi-byte text passes.
  const ReadOutcome ok = ReadAll(ImportFormat::kCsv, "name\nZoë 東京\n");
  ASSERT_EQ(ok.records.size(), 1u);
  EXPECT_EQ(ok.records[0].error, "");
  EXPECT_EQ(ValueOf(ok.records[0], "name"), "Zoë 東京");
}

TEST(RecordReaderCsv, EmptyFileIsAnError) {
  for (const std::string& text : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n\r\n\n")}) {
    const ReadOutcome out = ReadAll(ImportFormat::kCsv, text);
    ASSERT_FALSE(out.status.ok());
    EXPECT_EQ(out.status.message(), "the file is empty");
  }
}

TEST(RecordReaderCsv, HeaderOnlyHasNoRows) {
  std::istringstream in("email,name\r\n");
  auto reader = MakeRecordReader(ImportFormat::kCsv, in);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->columns(), (std::vector<std::string>{"email", "name"}));
  SourceRecord r;
  auto next = (*reader)->Next(&r);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(*next);
}

TEST(RecordReaderCsv, SemicolonOrTabHeaderSaysTheDelimiterLooksWrong) {
  for (const std::string& text : {std::string("email;name\na@x.com;Ann\n"), std::string("email\tname\na\tb\n")}) {
    const ReadOutcome out = ReadAll(ImportFormat::kCsv, text);
    ASSERT_FALSE(out.status.ok());
    EXPECT_NE(out.status.message().find("delimiter looks wrong"), std::string::npos) << out.status.message();
    EXPECT_NE(out.status.message().find("line 1"), std::string::npos) << out.status.message();
  }
  // One column without either character is fine.
  EXPECT_TRUE(ReadAll(ImportFormat::kCsv, "email\na@x.com\n").status.ok());
}

TEST(RecordReaderCsv, BlankLinesAreSkippedButCounted) {
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, "\nemail,name\n\na@x.com,Ann\n\r\n\nb@x.com,Bob");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].line, 4);
  EXPECT_EQ(out.records[1].line, 7);
  EXPECT_EQ(ValueOf(out.records[1], "name"), "Bob");  // the last line has no line end
}

TEST(RecordReaderCsv, MalformedQuotingAndLoneCarriageReturnAreErrors) {
  const ReadOutcome after_quote = ReadAll(ImportFormat::kCsv, "email,name\na@x.com,\"Ann\"x\n");
  ASSERT_FALSE(after_quote.status.ok());
  EXPECT_NE(after_quote.status.message().find("line 2"), std::string::npos) << after_quote.status.message();
  const ReadOutcome lone_cr = ReadAll(ImportFormat::kCsv, "email,name\ra@x.com,Ann\r");
  ASSERT_FALSE(lone_cr.status.ok());
  EXPECT_NE(lone_cr.status.message().find("carriage return"), std::string::npos) << lone_cr.status.message();
}

TEST(RecordReaderCsv, HeaderNamesMustBeDistinctAndNonEmpty) {
  const ReadOutcome twice = ReadAll(ImportFormat::kCsv, "email,name,email\n");
  ASSERT_FALSE(twice.status.ok());
  EXPECT_NE(twice.status.message().find("email twice"), std::string::npos) << twice.status.message();
  const ReadOutcome unnamed = ReadAll(ImportFormat::kCsv, "email,,name\n");
  ASSERT_FALSE(unnamed.status.ok());
  EXPECT_NE(unnamed.status.message().find("column 2"), std::string::npos) << unnamed.status.message();
}

TEST(RecordReaderCsv, RecordsAcrossChunkBoundariesKeepValuesAndLines) {
  // ~300 KiB: several 64 KiB chunks, with quoted multi-line values falling on boundaries.
  std::string text = "id,note\r\n";
  const int kRows = 5000;
  for (int i = 0; i < kRows; ++i)
    text += std::to_string(i) + ",\"row " + std::to_string(i) + "\nsecond \"\"line\"\", padding padding\"\r\n";
  const ReadOutcome out = ReadAll(ImportFormat::kCsv, text);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), static_cast<size_t>(kRows));
  for (int i = 0; i < kRows; ++i) {
    ASSERT_EQ(out.records[i].line, 2 + 2 * i) << i;
    ASSERT_EQ(ValueOf(out.records[i], "note"), "row " + std::to_string(i) + "\nsecond \"line\", padding padding") << i;
  }
  EXPECT_EQ(out.bytes_read, static_cast<int64_t>(text.size()));
}

TEST(RecordReaderJsonl, ReadsObjectsKeepingNestedJsonAndDroppingNulls) {
  const std::string text =
      "{\"externalId\":\"o-1\",\"totalValue\":12.5,\"itemCount\":3,\"gift\":true,\"note\":null,"
      "\"items\":[{\"productId\":\"p\",\"quantity\":2}],\"meta\":{\"a\":1}}\n"
      "\n"
      "  \n"
      "{\"externalId\":\"o-2\"}\r\n";
  const ReadOutcome out = ReadAll(ImportFormat::kJsonl, text);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 2u);
  const SourceRecord& r = out.records[0];
  EXPECT_EQ(r.line, 1);
  EXPECT_EQ(ValueOf(r, "externalId"), "o-1");
  EXPECT_EQ(ValueOf(r, "totalValue"), "12.5");
  EXPECT_EQ(ValueOf(r, "itemCount"), "3");
  EXPECT_EQ(ValueOf(r, "gift"), "true");
  EXPECT_EQ(ValueOf(r, "note"), "<absent>");
  EXPECT_EQ(ValueOf(r, "items"), "[{\"productId\":\"p\",\"quantity\":2}]");
  EXPECT_EQ(ValueOf(r, "meta"), "{\"a\":1}");
  EXPECT_EQ(out.records[1].line, 4);
  EXPECT_EQ(out.records[1].fields.size(), 1u);
}

TEST(RecordReaderJsonl, LinesThatAreNotObjectsAreErrorRecords) {
  const ReadOutcome out = ReadAll(ImportFormat::kJsonl, "[1,2]\n{\"a\":\n{\"a\":\"b\"}\n\"text\"\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(out.records[0].error, "the line is not a JSON object");
  EXPECT_EQ(out.records[1].error, "the line is not valid JSON");
  EXPECT_EQ(out.records[1].line, 2);
  EXPECT_EQ(out.records[2].error, "");
  EXPECT_EQ(out.records[3].error, "the line is not a JSON object");
  const ReadOutcome deep =
      ReadAll(ImportFormat::kJsonl, "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}\n");
  ASSERT_EQ(deep.records.size(), 1u);
  EXPECT_NE(deep.records[0].error.find("nests deeper"), std::string::npos);
  const ReadOutcome bad_utf8 = ReadAll(ImportFormat::kJsonl, "{\"name\":\"\xFF\"}\n");
  ASSERT_EQ(bad_utf8.records.size(), 1u);
  EXPECT_EQ(bad_utf8.records[0].error, "the text is not valid UTF-8");
}

TEST(RecordReaderJsonl, EmptyFileIsAnError) {
  for (const std::string& text : {std::string(), std::string("\n  \n")}) {
    const ReadOutcome out = ReadAll(ImportFormat::kJsonl, text);
    ASSERT_FALSE(out.status.ok());
    EXPECT_EQ(out.status.message(), "the file is empty");
  }
}

std::string ExcerptText() {
  std::ifstream f(std::string(RKD_SOURCE_DIR) + "/tests/data/cdnow_sample_excerpt.txt", std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(RecordReaderCdnow, ReadsTheSampleFilesLinesWithTheMasterCustomerId) {
  const std::string text = ExcerptText();
  ASSERT_FALSE(text.empty()) << "tests/data/cdnow_sample_excerpt.txt";
  const ReadOutcome out = ReadAll(ImportFormat::kCdnow, text);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 20u);
  // " 00004 0001 19970101  2   29.33"
  const SourceRecord& first = out.records[0];
  EXPECT_EQ(first.line, 1);
  EXPECT_EQ(first.error, "");
  EXPECT_EQ(ValueOf(first, "clientExternalId"), "00004");
  EXPECT_EQ(ValueOf(first, "orderDate"), "19970101");
  EXPECT_EQ(ValueOf(first, "itemCount"), "2");
  EXPECT_EQ(ValueOf(first, "totalValue"), "29.33");
  // " 00111 0006 19980118  4   84.46"
  EXPECT_EQ(out.records[19].line, 20);
  EXPECT_EQ(ValueOf(out.records[19], "clientExternalId"), "00111");
  EXPECT_EQ(ValueOf(out.records[19], "totalValue"), "84.46");
}

TEST(RecordReaderCdnow, MasterFileHeaderIsSkippedAndBadLinesAreErrorRecords) {
  // The first lines of CDNOW_master.txt, as the file has them (CRLF).
  const std::string text =
      " customer_id  date number_of_cds  dollar_value\r\n"
      " 00001 19970101  1   11.77\r\n"
      " 00002 19970112  1   12.00\r\n"
      " 00002 19970112  5   77.00\r\n"
      " 00003 19970102  2\r\n";
  std::istringstream in(text);
  auto reader = MakeRecordReader(ImportFormat::kCdnow, in);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->columns(),
            (std::vector<std::string>{"clientExternalId", "orderDate", "itemCount", "totalValue"}));
  const ReadOutcome out = ReadAll(ImportFormat::kCdnow, text);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(out.records[0].line, 2);
  EXPECT_EQ(ValueOf(out.records[0], "clientExternalId"), "00001");
  EXPECT_EQ(ValueOf(out.records[2], "itemCount"), "5");
  EXPECT_EQ(out.records[3].line, 5);
  EXPECT_NE(out.records[3].error.find("3 columns"), std::string::npos) << out.records[3].error;
  // A header-only file holds no orders, and says so without calling it empty.
  const ReadOutcome header_only = ReadAll(ImportFormat::kCdnow, " customer_id  date number_of_cds  dollar_value\r\n");
  EXPECT_TRUE(header_only.status.ok());
  EXPECT_TRUE(header_only.records.empty());
  EXPECT_EQ(ReadAll(ImportFormat::kCdnow, "").status.message(), "the file is empty");
}

TEST(RecordReaderFormat, ByNameAndByPath) {
  EXPECT_EQ(*ParseImportFormat("csv"), ImportFormat::kCsv);
  EXPECT_EQ(*ParseImportFormat("jsonl"), ImportFormat::kJsonl);
  EXPECT_EQ(*ParseImportFormat("cdnow"), ImportFormat::kCdnow);
  EXPECT_EQ(ParseImportFormat("xml").status().field(), "format");
  EXPECT_EQ(*FormatOfPath("clients.CSV"), ImportFormat::kCsv);
  EXPECT_EQ(*FormatOfPath("/tmp/a.b/orders.ndjson"), ImportFormat::kJsonl);
  EXPECT_EQ(*FormatOfPath("orders.jsonl"), ImportFormat::kJsonl);
  EXPECT_EQ(*FormatOfPath("CDNOW_master.txt"), ImportFormat::kCdnow);
  EXPECT_FALSE(FormatOfPath("-").ok());
  EXPECT_FALSE(FormatOfPath("/tmp/a.b/orders").ok());
  EXPECT_EQ(FormatOfPath("data.xlsx").status().field(), "format");
}

}  // namespace
}  // namespace rkd
