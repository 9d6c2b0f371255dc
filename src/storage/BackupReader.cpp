#include "BackupReader.h"

#include <Poco/Exception.h>

#include <optional>

namespace captrack::storage
{

namespace
{
/// The header, table and end lines are small (the header of today's schema is 3 KiB): a longer one is
/// refused before the JSON parser, which takes some 40 bytes of memory per byte of small values, sees it.
constexpr std::size_t MAX_OBJECT_LINE_BYTES = 1u << 20;

/// The number of values in a row line `[v,v,...]`, counted without parsing it (a comma outside a
/// string ends a value); nothing when a value is an array or an object, which no backup holds.
std::optional<std::size_t> scalarValues(const std::string& line)
{
    std::size_t commas = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 1; i < line.size(); ++i)
    {
        const char c = line[i];
        if (inString)
        {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        }
        else if (c == '"')
            inString = true;
        else if (c == ',')
            ++commas;
        else if (c == '[' || c == '{')
            return std::nullopt;
    }
    return commas + 1;
}

bool isScalar(const Poco::Dynamic::Var& value)
{
    return value.isEmpty() || value.isString() || (value.isNumeric() && !value.isBoolean());
}
} // namespace

BackupReader::BackupReader(const std::string& path)
    : _path(path), _in(path, std::ios::in | std::ios::binary), _sha(Poco::SHA2Engine::SHA_256)
{
    if (!readLine())
        fail("the file is empty");
    if (_line.size() > MAX_OBJECT_LINE_BYTES)
        fail("not a captrack backup (its first line is longer than any backup header)");
    _header = parseHeaderLine(_line);
}

void BackupReader::fail(const std::string& what) const
{
    throw Poco::DataFormatException(_path + ", line " + std::to_string(_lineNumber) + ": " + what);
}

bool BackupReader::readLine()
{
    if (_lineNumber > 0)
    {
        // Digest the line before: the end line's digest covers every byte before the end line itself.
        _sha.update(_line);
        _sha.update('\n');
    }
    // A read error throws Poco::ReadFileException from the stream buffer.
    std::streambuf& in = *_in.rdbuf();
    _line.clear();
    ++_lineNumber;
    for (int c = in.sbumpc(); c != '\n'; c = in.sbumpc())
    {
        if (c == std::char_traits<char>::eof())
        {
            if (!_line.empty())
                return true;
            --_lineNumber;
            return false;
        }
        if (_line.size() == BACKUP_MAX_LINE_BYTES)
            fail("a line longer than " + std::to_string(BACKUP_MAX_LINE_BYTES >> 20) +
                 " MiB, which no backup holds: the file is damaged");
        _line += static_cast<char>(c);
    }
    return true;
}

BackupReader::Item BackupReader::next()
{
    if (!readLine())
        fail("the file ends before its end line: the backup is incomplete");
    if (!_line.empty() && _line.front() == '[')
    {
        parseRow();
        return Item::Row;
    }
    if (_line.size() > MAX_OBJECT_LINE_BYTES)
        fail("a line that is neither a row, a table nor the end");
    std::string name;
    std::vector<BackupSummary::Table> stated;
    std::string statedDigest;
    try
    {
        name = parseTableLine(_line);
        if (name.empty() && !parseEndLine(_line, stated, statedDigest))
            fail("a line that is neither a row, a table nor the end");
    }
    catch (const Poco::DataFormatException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        fail("a table or end line that does not read: " + e.displayText());
    }
    if (!name.empty())
        return startTable(name);
    checkEnd(stated, statedDigest);
    return Item::End;
}

void BackupReader::parseRow()
{
    if (!_inTable)
        fail("a row before the first table");
    const auto values = scalarValues(_line);
    if (!values)
        fail("a row holding a list or an object; a backup's values are null, numbers and strings");
    if (*values != table().shape.columns.size())
        fail("a row whose values do not match the columns of " + table().shape.name);
    try
    {
        _parser.reset();
        _pRow = _parser.parse(_line).extract<Poco::JSON::Array::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        fail("a row that is not a JSON array: " + e.displayText());
    }
    if (!_pRow || _pRow->size() != table().shape.columns.size())
        fail("a row whose values do not match the columns of " + table().shape.name);
    for (std::size_t i = 0; i < _pRow->size(); ++i)
        if (!isScalar(_pRow->get(static_cast<unsigned>(i))))
            fail("a row holding a value that is not null, a number or a string");
    ++_rowsRead[table().shape.name];
}

BackupReader::Item BackupReader::startTable(const std::string& name)
{
    const std::size_t expected = _inTable ? _tableIndex + 1 : 0;
    if (expected >= _header.tables.size() || _header.tables[expected].shape.name != name)
        fail("table " + name + " is not the next table the header lists");
    _tableIndex = expected;
    _inTable = true;
    _rowsRead[name] = 0;
    return Item::Table;
}

void BackupReader::checkEnd(const std::vector<BackupSummary::Table>& stated, const std::string& statedDigest)
{
    const std::string digest = Poco::DigestEngine::digestToHex(_sha.digest());
    if (_rowsRead.size() != _header.tables.size())
        fail("the end comes before every table of the header");
    for (const auto& table : stated)
        if (_rowsRead.count(table.name) == 0 || _rowsRead[table.name] != table.rows)
            fail("table " + table.name + " has not the " + std::to_string(table.rows) + " rows the end line states");
    if (stated.size() != _rowsRead.size())
        fail("the end line does not count every table");
    if (statedDigest != digest)
        fail("the SHA-256 of the file is not the one its end line states: the file is damaged");
    std::streambuf& in = *_in.rdbuf();
    for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc())
        if (c != '\n')
            fail("lines after the end line");
}

} // namespace captrack::storage
