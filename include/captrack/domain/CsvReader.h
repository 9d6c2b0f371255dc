#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace captrack::domain
{

/// One record of a CSV document: its fields and the line of the document it starts on (1-based).
struct CsvRecord
{
    std::size_t line = 0;
    std::vector<std::string> fields;
};

/// Why a CSV document cannot be read, and where.
struct CsvProblem
{
    std::size_t line = 0;
    std::string message;
};

/// The records of an RFC 4180 document, or the first problem: fields separated by commas, records by CRLF
/// or LF, fields with commas, quotes or line breaks in double quotes with quotes doubled. A UTF-8 byte
/// order mark at the start is skipped (spreadsheets write one); a last line break is optional; blank
/// lines are skipped. Problems: a quote inside an unquoted field, text after a closing quote, a quoted
/// field never closed, more than `maxRecords` records, a record of more than `maxFields` fields.
struct CsvDocument
{
    std::vector<CsvRecord> records;
    std::vector<CsvProblem> problems; ///< empty when the document was read whole
};
[[nodiscard]] CsvDocument readCsv(const std::string& text, std::size_t maxRecords, std::size_t maxFields);

} // namespace captrack::domain
