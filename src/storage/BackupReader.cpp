#include "BackupReader.h"

#include <Poco/Exception.h>

namespace captrack::storage
{

BackupReader::BackupReader(const std::string& path)
    : _path(path), _in(path, std::ios::in | std::ios::binary), _sha(Poco::SHA2Engine::SHA_256)
{
    if (!readLine())
        fail("the file is empty");
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
    if (!std::getline(_in, _line))
    {
        if (_in.bad())
            fail("the file cannot be read");
        return false;
    }
    ++_lineNumber;
    return true;
}

BackupReader::Item BackupReader::next()
{
    if (!readLine())
        fail("the file ends before its end line: the backup is incomplete");
    if (!_line.empty() && _line.front() == '[')
    {
        if (!_inTable)
            fail("a row before the first table");
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
        ++_rowsRead[table().shape.name];
        return Item::Row;
    }
    const std::string name = parseTableLine(_line);
    if (!name.empty())
        return startTable(name);
    checkEnd();
    return Item::End;
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

void BackupReader::checkEnd()
{
    const std::string digest = Poco::DigestEngine::digestToHex(_sha.digest());
    std::vector<BackupSummary::Table> stated;
    std::string statedDigest;
    if (!parseEndLine(_line, stated, statedDigest))
        fail("a line that is neither a row, a table nor the end");
    if (_rowsRead.size() != _header.tables.size())
        fail("the end comes before every table of the header");
    for (const auto& table : stated)
        if (_rowsRead.count(table.name) == 0 || _rowsRead[table.name] != table.rows)
            fail("table " + table.name + " has not the " + std::to_string(table.rows) + " rows the end line states");
    if (stated.size() != _rowsRead.size())
        fail("the end line does not count every table");
    if (statedDigest != digest)
        fail("the SHA-256 of the file is not the one its end line states: the file is damaged");
    std::string rest;
    while (std::getline(_in, rest))
        if (!rest.empty())
            fail("lines after the end line");
}

} // namespace captrack::storage
