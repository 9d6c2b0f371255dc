#pragma once

// Folder-private: the one place that calls libxlsxwriter. The Excel renderers (PortfolioXlsx.cpp,
// SummaryXlsx.cpp, RecordsXlsx.cpp) describe sheets and cells; this writes them.

#include "captrack/domain/Date.h"

#include <Poco/Types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace captrack::report::detail
{

/// A column of a table sheet: its header and its width in characters.
struct XlsxColumn
{
    std::string header;
    double width = 12;
};

/// The cell formats of a workbook, made once per workbook.
struct XlsxFormats
{
    lxw_format* header = nullptr;
    lxw_format* bold = nullptr;
    lxw_format* whole = nullptr;
    lxw_format* decimal = nullptr;
    lxw_format* euros = nullptr;
    lxw_format* date = nullptr;
    lxw_format* percent = nullptr;
};

/// One table sheet: a bold header row, frozen, then rows written top down and left to right (each row is
/// final once the next begins: the workbook's constant-memory mode) with typed cells, and an
/// autofilter over the header and the data rows. Numbers are numbers (euros with a euro format, progress
/// with a percent sign), dates are Excel dates with a `yyyy-mm-dd` format, text is always a string cell
/// (never a formula), made displayable (domain::displayableText) and cut to Excel's 32,767 characters.
/// Belongs to its workbook; not thread-safe.
class XlsxSheet
{
public:
    XlsxSheet(lxw_worksheet* sheet, const XlsxFormats& formats, const std::vector<XlsxColumn>& columns);

    /// Starts the next row (the first after the header); the cells that follow go left to right.
    XlsxSheet& row();
    XlsxSheet& text(const std::string& value);
    /// A text cell, or an empty one for none.
    XlsxSheet& maybeText(const std::optional<std::string>& value);
    /// A text cell in bold (the label of a totals row).
    XlsxSheet& label(const std::string& value);
    XlsxSheet& whole(Poco::Int64 value);
    XlsxSheet& decimal(double value);
    XlsxSheet& euros(Poco::Int64 value);
    /// A number 0..100 shown with a percent sign (its value stays the number, e.g. 57).
    XlsxSheet& percent(double value);
    XlsxSheet& date(const domain::Date& value);
    /// A date cell, or an empty one for none.
    XlsxSheet& maybeDate(const std::optional<domain::Date>& value);
    XlsxSheet& boolean(bool value);
    /// An empty cell: a value that is absent (JSON null), never a zero.
    XlsxSheet& blank();

    /// Puts the autofilter over the header and the rows written so far (call before a totals row that
    /// must stay out of sorting and filtering).
    void filterRowsSoFar();

private:
    void check(int error) const;
    /// A string cell (worksheet_write_string: never a formula) and a number cell, in the format given.
    XlsxSheet& stringCell(const std::string& value, lxw_format* format);
    XlsxSheet& numberCell(double value, lxw_format* format);

    lxw_worksheet* _sheet;
    const XlsxFormats& _formats;
    unsigned _columns;
    unsigned _row = 0;
    unsigned _column = 0;
};

/// An .xlsx workbook being written. libxlsxwriter 1.1 writes only to a file, so the workbook lives in a
/// private directory made for it (mode 0700, under Poco::Path::temp(), i.e. $TMPDIR or /tmp) with the
/// library's own temporary files, and the destructor removes that directory whatever happened.
/// Poco::IOException when the directory or the file cannot be made or read. Not thread-safe; one per
/// document (separate workbooks may be written on separate threads).
class XlsxWorkbook
{
public:
    /// `documentDate`: the day the document describes (a report's as_of), written as the workbook's
    /// creation time (midnight UTC), so that the same report gives the same bytes, whenever it is
    /// rendered (a published snapshot equals the live report of its day). None: the time of writing.
    explicit XlsxWorkbook(std::optional<domain::Date> documentDate = std::nullopt);
    ~XlsxWorkbook();
    XlsxWorkbook(const XlsxWorkbook&) = delete;
    XlsxWorkbook& operator=(const XlsxWorkbook&) = delete;

    /// Adds a table sheet named `name` (at most 31 characters, none of []:*?/\) with these columns.
    /// The sheet is owned by the workbook and valid until bytes().
    [[nodiscard]] XlsxSheet& addSheet(const std::string& name, const std::vector<XlsxColumn>& columns);

    /// Closes the workbook and returns the .xlsx file's bytes. Call once; nothing may be added after.
    [[nodiscard]] std::string bytes();

private:
    std::string _directory;
    std::string _file;
    lxw_workbook* _workbook = nullptr;
    XlsxFormats _formats;
    std::vector<std::unique_ptr<XlsxSheet>> _sheets;
};

/// Adds the sheet "Summary" of a workbook: one figure a row, with columns Figure (what a person reads),
/// Value and API field (where the JSON answer of the same request has it, e.g. `totals.budget_eur`).
[[nodiscard]] XlsxSheet& addFiguresSheet(XlsxWorkbook& workbook);

/// The media type of an .xlsx workbook.
inline const char* const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's day number of a date (the 1900 date system: 1899-12-30 is day 0, with Excel's fictitious
/// 1900-02-29 accounted for, so 1900-03-01 is day 61 and 1970-01-01 day 25569).
[[nodiscard]] double excelDay(const domain::Date& date);

/// `value` cut to at most Excel's 32,767 characters of a cell (code points), "…" last when cut; never
/// splits a code point.
[[nodiscard]] std::string cellText(const std::string& value);

} // namespace captrack::report::detail
