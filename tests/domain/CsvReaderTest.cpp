#include "captrack/domain/CsvReader.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::domain::readCsv;

/// RFC 4180 as spreadsheets write it, and the problems a hand-edited file has.
class CsvReaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CsvReaderTest);
    CPPUNIT_TEST(testQuotedFieldsKeepCommasQuotesAndLineBreaks);
    CPPUNIT_TEST(testLineEndsByteOrderMarkAndBlankLines);
    CPPUNIT_TEST(testProblemsNameTheirLine);
    CPPUNIT_TEST_SUITE_END();

public:
    void testQuotedFieldsKeepCommasQuotesAndLineBreaks()
    {
        const auto document = readCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n,,\r\n", 10, 8);
        CPPUNIT_ASSERT(document.problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), document.records.size());
        const auto& second = document.records[1].fields;
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), second.size());
        CPPUNIT_ASSERT_EQUAL(std::string("x, y"), second[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("say \"hi\""), second[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("two\r\nlines"), second[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), document.records[1].line);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), document.records[2].line); // after a field of two lines
        CPPUNIT_ASSERT(document.records[2].fields == std::vector<std::string>({"", "", ""}));
    }

    void testLineEndsByteOrderMarkAndBlankLines()
    {
        const auto document = readCsv("\xEF\xBB\xBFname,n\n\nA,1\r\nB,2", 10, 8);
        CPPUNIT_ASSERT(document.problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), document.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("name"), document.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), document.records[1].line);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), document.records[2].fields[1]);
        CPPUNIT_ASSERT(readCsv("", 10, 8).records.empty());
    }

    void testProblemsNameTheirLine()
    {
        const auto quoteInside = readCsv("a\nb\"c\n", 10, 8);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), quoteInside.problems.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), quoteInside.problems[0].line);
        const auto afterQuote = readCsv("a\n\"b\"c\n", 10, 8);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), afterQuote.problems.at(0).line);
        const auto neverClosed = readCsv("a\nb\n\"c,\nd\n", 10, 8);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), neverClosed.problems.at(0).line);
        CPPUNIT_ASSERT(neverClosed.problems[0].message.find("never closed") != std::string::npos);
        const auto tooMany = readCsv("a\n1\n2\n3\n", 3, 8);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), tooMany.records.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), tooMany.problems.at(0).line);
        const auto tooWide = readCsv("a,b\n" + std::string(100000, ','), 10, 8);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), tooWide.problems.at(0).line);
        CPPUNIT_ASSERT(tooWide.problems[0].message.find("more than 8 fields") != std::string::npos);
        // Odd endings: a lone CR is data, a quote at the very end never closes, a BOM alone is nothing.
        CPPUNIT_ASSERT_EQUAL(std::string("x\ry"), readCsv("x\ry", 10, 8).records.at(0).fields.at(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), readCsv("a,\"", 10, 8).problems.size());
        CPPUNIT_ASSERT(readCsv("\xEF\xBB\xBF", 10, 8).records.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CsvReaderTest);
