#include "BackupFormat.h"

#include "captrack/domain/Utf8.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace captrack::storage
{

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
Array::Ptr toArray(const std::vector<std::string>& items)
{
    Array::Ptr array = new Array;
    for (const auto& item : items)
        array->add(item);
    return array;
}

std::vector<std::string> toStrings(const Array::Ptr& array, const char* what)
{
    if (!array)
        throw Poco::DataFormatException("backup header: no list of " + std::string(what));
    std::vector<std::string> items;
    for (std::size_t i = 0; i < array->size(); ++i)
        items.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return items;
}

std::string condensed(const Object::Ptr& object)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(object, out);
    return out.str();
}

/// The object a line holds, or null when it holds something else (a row) or is not JSON.
Object::Ptr parseObject(const std::string& line)
{
    if (line.empty() || line.front() != '{')
        return nullptr;
    try
    {
        return Poco::JSON::Parser().parse(line).extract<Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        return nullptr;
    }
}

Object::Ptr tableObject(const BackupTable& table)
{
    Object::Ptr object = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("name", table.shape.name);
    object->set("columns", toArray(table.shape.columns));
    object->set("key", toArray(table.shape.keyColumns));
    if (table.nextId > 0)
        object->set("next_id", table.nextId);
    return object;
}

BackupTable parseTable(const Object::Ptr& object)
{
    if (!object || !object->has("name"))
        throw Poco::DataFormatException("backup header: a table without a name");
    BackupTable table;
    table.shape.name = object->getValue<std::string>("name");
    table.shape.columns = toStrings(object->getArray("columns"), "columns");
    table.shape.keyColumns = toStrings(object->getArray("key"), "key columns");
    table.nextId = object->has("next_id") ? object->getValue<Poco::Int64>("next_id") : 0;
    table.shape.numbersRows = table.nextId > 0;
    if (table.shape.columns.empty())
        throw Poco::DataFormatException("backup header: table " + table.shape.name + " has no columns");
    return table;
}
} // namespace

bool isMigratorTable(const std::string& table)
{
    return table == "schema_migrations" || table == "schema_lock";
}

std::string dialectName(Dialect dialect)
{
    return dialect == Dialect::MySQL ? "mysql" : "sqlite";
}

std::string headerLine(const BackupHeader& header)
{
    Object::Ptr object = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("format", BACKUP_FORMAT);
    object->set("version", BACKUP_FORMAT_VERSION);
    object->set("dialect", header.dialect);
    object->set("taken_at", header.takenAt);
    object->set("migrations", toArray(header.migrations));
    Array::Ptr tables = new Array;
    for (const auto& table : header.tables)
        tables->add(tableObject(table));
    object->set("tables", tables);
    return condensed(object);
}

BackupHeader parseHeaderLine(const std::string& line)
{
    const Object::Ptr object = parseObject(line);
    if (!object || object->optValue<std::string>("format", "") != BACKUP_FORMAT)
        throw Poco::DataFormatException("not a captrack backup (its first line is no captrack-backup header)");
    try
    {
        const int version = object->getValue<int>("version");
        if (version != BACKUP_FORMAT_VERSION)
            throw Poco::DataFormatException("backup format version " + std::to_string(version) +
                                            " is not the version this captrack reads (" +
                                            std::to_string(BACKUP_FORMAT_VERSION) + ")");
        BackupHeader header;
        header.dialect = object->getValue<std::string>("dialect");
        header.takenAt = object->getValue<std::string>("taken_at");
        header.migrations = toStrings(object->getArray("migrations"), "migrations");
        const Array::Ptr tables = object->getArray("tables");
        if (!tables)
            throw Poco::DataFormatException("backup header: no list of tables");
        for (std::size_t i = 0; i < tables->size(); ++i)
            header.tables.push_back(parseTable(tables->getObject(static_cast<unsigned>(i))));
        return header;
    }
    catch (const Poco::DataFormatException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::DataFormatException("backup header: " + e.displayText());
    }
}

std::string tableLine(const std::string& table)
{
    Object::Ptr object = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("table", table);
    return condensed(object);
}

std::string parseTableLine(const std::string& line)
{
    const Object::Ptr object = parseObject(line);
    return object && object->has("table") ? object->optValue<std::string>("table", "") : std::string();
}

std::string endLine(const BackupSummary& summary, const std::string& sha256)
{
    Object::Ptr rows = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& table : summary.tables)
        rows->set(table.name, table.rows);
    Object::Ptr end = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    end->set("rows", rows);
    end->set("sha256", sha256);
    Object::Ptr object = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("end", end);
    return condensed(object);
}

bool parseEndLine(const std::string& line, std::vector<BackupSummary::Table>& rows, std::string& sha256)
{
    const Object::Ptr object = parseObject(line);
    const Object::Ptr end = object ? object->getObject("end") : nullptr;
    if (!end)
        return false;
    const Object::Ptr counts = end->getObject("rows");
    if (!counts)
        throw Poco::DataFormatException("backup end line: no row counts");
    rows.clear();
    for (const auto& name : counts->getNames())
        rows.push_back({name, counts->getValue<Poco::UInt64>(name)});
    sha256 = end->optValue<std::string>("sha256", "");
    return true;
}

void appendJsonString(std::string& out, const std::string& text)
{
    if (!domain::utf8::isValid(text))
        throw Poco::DataFormatException("a text value is not well-formed UTF-8");
    static const char* const HEX = "0123456789abcdef";
    out += '"';
    for (const char c : text)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += c;
        }
        else if (byte < 0x20 || byte == 0x7f)
        {
            out += "\\u00";
            out += HEX[byte >> 4];
            out += HEX[byte & 0x0f];
        }
        else
            out += c;
    }
    out += '"';
}

void appendJsonReal(std::string& out, double value)
{
    if (!std::isfinite(value))
        throw Poco::DataFormatException("a real value is not a finite number");
    char text[32];
    const auto result = std::to_chars(text, text + sizeof(text), value);
    const std::string shortest(text, result.ptr);
    out += shortest;
    // The shortest form of 2.0 is "2": keep it a real, so it reads back as one.
    if (shortest.find_first_of(".eE") == std::string::npos)
        out += ".0";
}

} // namespace captrack::storage
