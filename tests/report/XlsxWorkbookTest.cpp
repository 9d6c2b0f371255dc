#include "XlsxWorkbook.h"

#include "captrack/Errors.h"
#include "captrack/domain/Utf8.h"
#include "captrack/report/Renderers.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>

using namespace captrack;
using domain::Date;
using report::detail::cellText;
using report::detail::excelDay;
using report::detail::XlsxWorkbook;

namespace
{
/// UTF-16 code units, as Excel counts a cell's characters.
std::size_t utf16Units(const std::string& text)
{
    std::size_t units = 0;
    for (std::size_t offset = 0; offset < text.size();)
    {
        const auto decoded = domain::utf8::decodeAt(text, offset);
        CPPUNIT_ASSERT_MESSAGE("a code point was split", decoded.valid);
        units += decoded.codePoint > 0xFFFF ? 2 : 1;
        offset += decoded.length;
    }
    return units;
}

/// The process's open file descriptors.
std::size_t openFiles()
{
    std::vector<std::string> names;
    Poco::File("/proc/self/fd").list(names);
    return names.size();
}

std::string repeated(const std::string& piece, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

/// Points TMPDIR at a directory of its own for the test's life, so that what a workbook leaves there shows.
class PrivateTemp
{
public:
    PrivateTemp() : _old(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "")
    {
        _dir.createDirectories();
        setenv("TMPDIR", (_dir.path() + "/").c_str(), 1);
    }
    ~PrivateTemp()
    {
        if (_old.empty())
            unsetenv("TMPDIR");
        else
            setenv("TMPDIR", _old.c_str(), 1);
    }
    [[nodiscard]] std::vector<std::string> entries() const
    {
        std::vector<std::string> names;
        Poco::File(_dir.path()).list(names);
        return names;
    }

private:
    std::string _old;
    Poco::TemporaryFile _dir;
};
} // namespace

/// The Excel writer's own rules: day numbers, the cell length limit, and that a workbook leaves no file.
class XlsxWorkbookTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(XlsxWorkbookTest);
    CPPUNIT_TEST(testExcelDayNumbers);
    CPPUNIT_TEST(testCellTextFitsExcelsLimit);
    CPPUNIT_TEST(testLongAndFormulaLikeTextIsWritten);
    CPPUNIT_TEST(testNoFileIsLeftBehind);
    CPPUNIT_TEST(testRenderersAnswerWorkbooks);
    CPPUNIT_TEST_SUITE_END();

public:
    void testExcelDayNumbers()
    {
        const std::pair<const char*, double> cases[] = {
            {"1970-01-01", 25569}, {"2026-12-01", 46357}, {"1900-03-01", 61},
            {"1900-02-28", 59},    {"1900-01-01", 1},     {"9999-12-31", 2958465},
        };
        for (const auto& [day, number] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(day, number, excelDay(*Date::parse(day)));
    }

    void testCellTextFitsExcelsLimit()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("Plan B"), cellText("Plan B"));
        const std::string fits = repeated("a", 32767);
        CPPUNIT_ASSERT(cellText(fits) == fits);
        const std::string over = repeated("a", 32768);
        CPPUNIT_ASSERT_EQUAL(repeated("a", 32766) + "…", cellText(over));
        // Two-byte letters: counted as characters, not bytes.
        const std::string accents = repeated("é", 32767);
        CPPUNIT_ASSERT(cellText(accents) == accents);
        // Emoji are two UTF-16 units each: 16,383 of them and a letter fit, one more emoji does not.
        const std::string emojiFit = repeated("😀", 16383) + "a";
        CPPUNIT_ASSERT(cellText(emojiFit) == emojiFit);
        const std::string emojiOver = repeated("😀", 16384);
        const std::string cut = cellText(emojiOver);
        CPPUNIT_ASSERT(utf16Units(cut) <= 32767);
        CPPUNIT_ASSERT_EQUAL(repeated("😀", 16383) + "…", cut);
    }

    void testLongAndFormulaLikeTextIsWritten()
    {
        // Without the cut, libxlsxwriter refuses a string over 32,767 characters (and the request would fail).
        XlsxWorkbook workbook;
        auto& sheet = workbook.addSheet("Texts", {{"Text", 20}});
        sheet.row().text(repeated("x", 100000));
        sheet.row().text("=HYPERLINK(\"http://example.invalid\")");
        sheet.row().text(std::string("bad \x01 byte \xff"));
        sheet.filterRowsSoFar();
        const std::string bytes = workbook.bytes();
        CPPUNIT_ASSERT(bytes.size() > 1000);
        CPPUNIT_ASSERT_EQUAL(std::string("PK"), bytes.substr(0, 2));
    }

    void testNoFileIsLeftBehind()
    {
        PrivateTemp temp;
        const std::size_t filesBefore = openFiles();
        {
            XlsxWorkbook finished;
            finished.addSheet("One", {{"A", 5}}).row().whole(1);
            CPPUNIT_ASSERT(!finished.bytes().empty());
        }
        {
            // Abandoned half-way, as when a renderer throws: the destructor cleans up.
            XlsxWorkbook abandoned;
            abandoned.addSheet("One", {{"A", 5}}).row().text("never written");
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), temp.entries().size());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), temp.entries().size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("open files", filesBefore, openFiles());
    }

    void testRenderersAnswerWorkbooks()
    {
        report::PortfolioReport portfolio;
        portfolio.asOf = *Date::parse("2026-11-26");
        portfolio.rows.push_back({std::string("EAPC"), "Partnership for Peace", {}});
        const auto rendered = report::renderPortfolio(portfolio, report::ReportFormat::Xlsx);
        CPPUNIT_ASSERT_EQUAL(std::string("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                             rendered.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("PK"), rendered.body.substr(0, 2));
        report::StatusSummary summary;
        CPPUNIT_ASSERT_EQUAL(std::string("PK"),
                             report::renderSummary(summary, report::ReportFormat::Xlsx).body.substr(0, 2));
        CPPUNIT_ASSERT(report::portfolioFormat("xlsx") == report::ReportFormat::Xlsx);
        CPPUNIT_ASSERT(report::summaryFormat("xlsx") == report::ReportFormat::Xlsx);
        CPPUNIT_ASSERT(report::listFormat("xlsx") == report::ReportFormat::Xlsx);
        CPPUNIT_ASSERT_THROW(static_cast<void>(report::listFormat("csv")), BadRequestError);
        CPPUNIT_ASSERT_THROW(static_cast<void>(report::renderSummary(summary, report::ReportFormat::Csv)),
                             BadRequestError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(XlsxWorkbookTest);
