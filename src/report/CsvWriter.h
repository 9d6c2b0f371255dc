#pragma once

#include <Poco/Types.h>

#include <string>
#include <vector>

namespace captrack::report::detail
{

/// Builds an RFC 4180 CSV document: CRLF line ends, fields with a comma, quote, CR or LF quoted and
/// quotes doubled. Text cells carry only displayable text (domain::displayableText: U+FFFD for control
/// characters but tab, CR and LF, for bidirectional controls and invalid UTF-8) and are guarded
/// against formula injection: one starting with = + - @ (or a tab or CR) gets a leading apostrophe,
/// so spreadsheets show it as text. Not thread-safe; one per document.
class CsvWriter
{
public:
    /// Appends a text cell to the current line (guarded and quoted as needed).
    void text(const std::string& value);
    /// Appends a whole-number cell to the current line.
    void number(Poco::Int64 value);
    /// Appends a number already written as text (e.g. "12.5"); not guarded, quoted if needed.
    void numeric(const std::string& value);
    /// Ends the current line with CRLF.
    void endLine();

    /// The document so far.
    [[nodiscard]] const std::string& str() const noexcept { return _out; }

    /// `value` as one CSV field: made displayable, guarded against formula injection, quoted if needed.
    [[nodiscard]] static std::string textField(const std::string& value);

private:
    void append(const std::string& field);

    std::string _out;
    bool _lineStarted = false;
};

} // namespace captrack::report::detail
