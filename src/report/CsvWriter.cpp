#include "CsvWriter.h"

#include "captrack/domain/TextRules.h"

namespace captrack::report::detail
{

namespace
{
// OWASP's list of leading characters that make spreadsheets evaluate a cell as a formula.
bool startsFormula(const std::string& value)
{
    return !value.empty() && std::string("=+-@\t\r").find(value.front()) != std::string::npos;
}

bool needsQuotes(const std::string& field)
{
    return field.find_first_of(",\"\r\n") != std::string::npos;
}

std::string quoted(const std::string& field)
{
    std::string out = "\"";
    for (const char c : field)
    {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}
} // namespace

std::string CsvWriter::textField(const std::string& value)
{
    const std::string displayable = domain::displayableText(value);
    const std::string guarded = startsFormula(displayable) ? "'" + displayable : displayable;
    return needsQuotes(guarded) ? quoted(guarded) : guarded;
}

void CsvWriter::text(const std::string& value)
{
    append(textField(value));
}

void CsvWriter::number(Poco::Int64 value)
{
    append(std::to_string(value));
}

void CsvWriter::numeric(const std::string& value)
{
    append(needsQuotes(value) ? quoted(value) : value);
}

void CsvWriter::endLine()
{
    _out += "\r\n";
    _lineStarted = false;
}

void CsvWriter::append(const std::string& field)
{
    if (_lineStarted)
        _out += ',';
    _out += field;
    _lineStarted = true;
}

} // namespace captrack::report::detail
