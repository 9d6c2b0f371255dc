#include "XlsxWorkbook.h"

#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace captrack::report::detail
{

namespace
{
// Excel's most characters in a cell, counted as UTF-16 code units (a character beyond U+FFFF takes two).
constexpr std::size_t MAX_CELL_UNITS = 32767;
// Days from Excel's day 0 (1899-12-30) to 1970-01-01, Date's day 0.
constexpr long EXCEL_DAY_OF_1970 = 25569;
// 1900-03-01, the first day after Excel's fictitious 1900-02-29.
constexpr double FIRST_TRUE_EXCEL_DAY = 61;

[[noreturn]] void fail(const std::string& what, int error)
{
    throw Poco::IOException("xlsx: " + what + ": " + lxw_strerror(static_cast<lxw_error>(error)));
}

lxw_format* numberFormat(lxw_workbook* workbook, const char* pattern)
{
    lxw_format* format = workbook_add_format(workbook);
    format_set_num_format(format, pattern);
    return format;
}

XlsxFormats formatsOf(lxw_workbook* workbook)
{
    XlsxFormats formats;
    formats.header = workbook_add_format(workbook);
    format_set_bold(formats.header);
    format_set_bottom(formats.header, LXW_BORDER_THIN);
    formats.bold = workbook_add_format(workbook);
    format_set_bold(formats.bold);
    formats.whole = numberFormat(workbook, "0");
    formats.decimal = numberFormat(workbook, "0.00");
    formats.euros = numberFormat(workbook, "#,##0 \"€\"");
    formats.date = numberFormat(workbook, "yyyy-mm-dd");
    formats.percent = numberFormat(workbook, "0\"%\"");
    return formats;
}

std::string privateDirectory()
{
    std::string pattern = Poco::Path::temp() + "captrack-xlsx-XXXXXX";
    if (!mkdtemp(pattern.data()))
        throw Poco::IOException("xlsx: cannot make a temporary directory under " + Poco::Path::temp() + ": " +
                                std::strerror(errno));
    return pattern;
}
} // namespace

double excelDay(const domain::Date& date)
{
    const double day = static_cast<double>(date.days() + EXCEL_DAY_OF_1970);
    return day < FIRST_TRUE_EXCEL_DAY ? day - 1 : day;
}

std::string cellText(const std::string& value)
{
    if (value.size() <= MAX_CELL_UNITS) // fewer bytes than units: it fits
        return value;
    std::size_t units = 0;
    std::size_t cut = std::string::npos; // where the text is cut when it does not fit: room for "…" left
    for (std::size_t offset = 0; offset < value.size();)
    {
        const auto decoded = domain::utf8::decodeAt(value, offset);
        units += decoded.codePoint > 0xFFFF ? 2 : 1;
        offset += decoded.length;
        if (units <= MAX_CELL_UNITS - 1)
            cut = offset;
        if (units > MAX_CELL_UNITS)
            return value.substr(0, cut) + "…";
    }
    return value;
}

XlsxSheet::XlsxSheet(lxw_worksheet* sheet, const XlsxFormats& formats, const std::vector<XlsxColumn>& columns)
    : _sheet(sheet), _formats(formats), _columns(static_cast<unsigned>(columns.size()))
{
    for (unsigned c = 0; c < _columns; ++c)
    {
        check(worksheet_set_column(_sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].width,
                                   nullptr));
        check(worksheet_write_string(_sheet, 0, static_cast<lxw_col_t>(c), cellText(columns[c].header).c_str(),
                                     _formats.header));
    }
    worksheet_freeze_panes(_sheet, 1, 0);
}

void XlsxSheet::check(int error) const
{
    if (error != LXW_NO_ERROR)
        fail("cannot write row " + std::to_string(_row + 1) + ", column " + std::to_string(_column + 1), error);
}

XlsxSheet& XlsxSheet::row()
{
    ++_row;
    _column = 0;
    return *this;
}

XlsxSheet& XlsxSheet::text(const std::string& value)
{
    return stringCell(value, nullptr);
}

XlsxSheet& XlsxSheet::maybeText(const std::optional<std::string>& value)
{
    return value ? text(*value) : blank();
}

XlsxSheet& XlsxSheet::label(const std::string& value)
{
    return stringCell(value, _formats.bold);
}

XlsxSheet& XlsxSheet::whole(Poco::Int64 value)
{
    return numberCell(static_cast<double>(value), _formats.whole);
}

XlsxSheet& XlsxSheet::decimal(double value)
{
    return numberCell(value, _formats.decimal);
}

XlsxSheet& XlsxSheet::euros(Poco::Int64 value)
{
    return numberCell(static_cast<double>(value), _formats.euros);
}

XlsxSheet& XlsxSheet::percent(double value)
{
    return numberCell(value, _formats.percent);
}

XlsxSheet& XlsxSheet::date(const domain::Date& value)
{
    return numberCell(excelDay(value), _formats.date);
}

XlsxSheet& XlsxSheet::maybeDate(const std::optional<domain::Date>& value)
{
    return value ? date(*value) : blank();
}

XlsxSheet& XlsxSheet::stringCell(const std::string& value, lxw_format* format)
{
    check(worksheet_write_string(_sheet, _row, static_cast<lxw_col_t>(_column),
                                 cellText(domain::displayableText(value)).c_str(), format));
    ++_column;
    return *this;
}

XlsxSheet& XlsxSheet::numberCell(double value, lxw_format* format)
{
    check(worksheet_write_number(_sheet, _row, static_cast<lxw_col_t>(_column), value, format));
    ++_column;
    return *this;
}

XlsxSheet& XlsxSheet::boolean(bool value)
{
    check(worksheet_write_boolean(_sheet, _row, static_cast<lxw_col_t>(_column), value ? 1 : 0, nullptr));
    ++_column;
    return *this;
}

XlsxSheet& XlsxSheet::blank()
{
    // libxlsxwriter leaves out a blank cell without a format: nothing is written, which is what a null is.
    ++_column;
    return *this;
}

void XlsxSheet::filterRowsSoFar()
{
    if (_columns > 0)
        check(worksheet_autofilter(_sheet, 0, 0, _row, static_cast<lxw_col_t>(_columns - 1)));
}

XlsxWorkbook::XlsxWorkbook(std::optional<domain::Date> documentDate)
    : _directory(privateDirectory()), _file(_directory + "/workbook.xlsx")
{
    lxw_workbook_options options{};
    options.tmpdir = _directory.data();
    // Each row goes to the sheet's temporary file once the next begins, so a workbook of 100,000 projects
    // costs no more memory than one of ten. It asks that every sheet be written row by row, top down,
    // one sheet after the other: the way XlsxSheet writes them.
    options.constant_memory = LXW_TRUE;
    _workbook = workbook_new_opt(_file.c_str(), &options);
    if (!_workbook)
    {
        rmdir(_directory.c_str());
        throw Poco::IOException("xlsx: cannot start a workbook");
    }
    if (documentDate)
    {
        lxw_doc_properties properties{};
        properties.created = static_cast<time_t>(documentDate->days()) * 86400;
        if (workbook_set_properties(_workbook, &properties) != LXW_NO_ERROR)
        {
            workbook_close(_workbook);
            std::remove(_file.c_str());
            rmdir(_directory.c_str());
            throw Poco::IOException("xlsx: cannot set the workbook's date");
        }
    }
    _formats = formatsOf(_workbook);
}

XlsxWorkbook::~XlsxWorkbook()
{
    // Abandoned (a renderer threw): closing is the library's one way to release everything, the sheets'
    // temporary files included (lxw_workbook_free leaves them open); the file it writes goes below.
    if (_workbook)
        workbook_close(_workbook);
    std::remove(_file.c_str());
    rmdir(_directory.c_str());
}

XlsxSheet& XlsxWorkbook::addSheet(const std::string& name, const std::vector<XlsxColumn>& columns)
{
    lxw_worksheet* sheet = workbook_add_worksheet(_workbook, name.c_str());
    if (!sheet)
        throw Poco::IOException("xlsx: cannot add the sheet '" + name + "'");
    _sheets.push_back(std::make_unique<XlsxSheet>(sheet, _formats, columns));
    return *_sheets.back();
}

XlsxSheet& addFiguresSheet(XlsxWorkbook& workbook)
{
    return workbook.addSheet("Summary", {{"Figure", 28}, {"Value", 40}, {"API field", 34}});
}

std::string XlsxWorkbook::bytes()
{
    // workbook_close frees the workbook whether or not it could write the file.
    const lxw_error closed = workbook_close(_workbook);
    _workbook = nullptr;
    _sheets.clear();
    if (closed != LXW_NO_ERROR)
        fail("cannot write the workbook", closed);
    std::ifstream in(_file, std::ios::binary);
    std::string out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof())
        throw Poco::IOException("xlsx: cannot read the workbook back");
    return out;
}

} // namespace captrack::report::detail
