#include "captrack/domain/CsvReader.h"

namespace captrack::domain
{

namespace
{
/// Reads the document one field at a time; stops at the first problem.
class CsvParser
{
public:
    CsvParser(const std::string& text, std::size_t maxRecords, std::size_t maxFields)
        : _text(text), _maxRecords(maxRecords), _maxFields(maxFields)
    {
        if (_text.compare(0, 3, "\xEF\xBB\xBF") == 0)
            _at = 3;
    }

    CsvDocument read()
    {
        CsvDocument document;
        while (_at < _text.size() && document.problems.empty())
        {
            if (atLineEnd())
            {
                skipLineEnd(); // a blank line
                continue;
            }
            if (document.records.size() == _maxRecords)
            {
                document.problems.push_back({_line, "more than " + std::to_string(_maxRecords) + " records"});
                break;
            }
            CsvRecord record;
            record.line = _line;
            if (auto problem = readRecord(record.fields))
                document.problems.push_back({_line, *problem});
            else
                document.records.push_back(std::move(record));
        }
        return document;
    }

private:
    [[nodiscard]] bool atLineEnd() const
    {
        return _text[_at] == '\n' || (_text[_at] == '\r' && _at + 1 < _text.size() && _text[_at + 1] == '\n');
    }

    void skipLineEnd()
    {
        _at += _text[_at] == '\r' ? 2 : 1;
        ++_line;
    }

    /// Reads fields up to the end of the record (its line break consumed); a problem's text otherwise.
    std::optional<std::string> readRecord(std::vector<std::string>& fields)
    {
        while (true)
        {
            std::string field;
            if (auto problem = _at < _text.size() && _text[_at] == '"' ? readQuoted(field) : readPlain(field))
                return problem;
            if (fields.size() == _maxFields)
                return "more than " + std::to_string(_maxFields) + " fields in a record";
            fields.push_back(std::move(field));
            if (_at >= _text.size())
                return std::nullopt;
            if (_text[_at] == ',')
            {
                ++_at;
                continue;
            }
            skipLineEnd(); // readPlain and readQuoted stop at a comma, a line end or the end
            return std::nullopt;
        }
    }

    std::optional<std::string> readPlain(std::string& field)
    {
        const std::size_t start = _at;
        while (_at < _text.size() && _text[_at] != ',' && !atLineEnd())
        {
            if (_text[_at] == '"')
                return std::string("a quote inside a field that does not start with one (write it as two quotes "
                                   "in a quoted field)");
            ++_at;
        }
        field.assign(_text, start, _at - start);
        return std::nullopt;
    }

    std::optional<std::string> readQuoted(std::string& field)
    {
        const std::size_t openedOn = _line;
        ++_at; // the opening quote
        while (_at < _text.size())
        {
            const char c = _text[_at++];
            if (c == '"')
            {
                if (_at < _text.size() && _text[_at] == '"')
                {
                    field += '"';
                    ++_at;
                    continue;
                }
                if (_at < _text.size() && _text[_at] != ',' && !atLineEnd())
                    return std::string("text after the closing quote of a field");
                return std::nullopt;
            }
            if (c == '\n')
                ++_line;
            field += c;
        }
        _line = openedOn;
        return std::string("a quoted field is never closed");
    }

    const std::string& _text;
    std::size_t _maxRecords;
    std::size_t _maxFields;
    std::size_t _at = 0;
    std::size_t _line = 1;
};
} // namespace

CsvDocument readCsv(const std::string& text, std::size_t maxRecords, std::size_t maxFields)
{
    return CsvParser(text, maxRecords, maxFields).read();
}

} // namespace captrack::domain
