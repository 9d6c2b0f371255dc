#pragma once

#include "BackupFormat.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <map>
#include <string>
#include <vector>

namespace captrack::storage
{

/// Reads a backup file (BackupFormat.h) one line at a time and checks it as it goes: the header,
/// tables in the header's order, each once, rows as wide as their table holding only null, numbers and
/// strings, no line longer than BACKUP_MAX_LINE_BYTES, and at the end the row counts and the SHA-256
/// the last line states, with nothing after it. A file that fails any check throws
/// Poco::DataFormatException naming the line, so a truncated, damaged or hostile backup is never taken
/// for a whole one. Memory: one line and its values (a row's values are counted before it is parsed).
/// Not shared between threads.
class BackupReader
{
public:
    /// What next() read.
    enum class Item
    {
        Table, ///< the start of the next table's rows: table()
        Row,   ///< a row of the current table: row(), one value per column of table()
        End,   ///< the end line, checked: the file is whole
    };

    /// Opens the file and reads its header. Throws Poco::FileNotFoundException / Poco::OpenFileException
    /// and Poco::DataFormatException.
    explicit BackupReader(const std::string& path);

    [[nodiscard]] const BackupHeader& header() const noexcept { return _header; }
    /// Reads the next item; throws Poco::DataFormatException as described above.
    Item next();
    /// The table whose rows are being read.
    [[nodiscard]] const BackupTable& table() const { return _header.tables.at(_tableIndex); }
    /// The row next() read last.
    [[nodiscard]] const Poco::JSON::Array& row() const { return *_pRow; }

private:
    bool readLine();
    [[noreturn]] void fail(const std::string& what) const;
    void parseRow();
    Item startTable(const std::string& name);
    void checkEnd(const std::vector<BackupSummary::Table>& stated, const std::string& statedDigest);

    std::string _path;
    Poco::FileInputStream _in;
    std::string _line;
    Poco::UInt64 _lineNumber = 0;
    Poco::SHA2Engine _sha;
    Poco::JSON::Parser _parser;
    BackupHeader _header;
    std::size_t _tableIndex = 0;
    bool _inTable = false;
    std::map<std::string, Poco::UInt64> _rowsRead;
    Poco::JSON::Array::Ptr _pRow;
};

} // namespace captrack::storage
