#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/NumberFormatter.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <sstream>

namespace captrack::service
{

using domain::FieldKind;
using Poco::Dynamic::Var;

Var jsonValue(const domain::FieldSpec& field, const Var& value)
{
    if (value.isEmpty())
        return Var();
    if (field.kind == FieldKind::IdList)
    {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (auto id : value.extract<std::vector<Poco::Int64>>())
            array->add(id);
        return array;
    }
    if (field.kind == FieldKind::CodeList)
    {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& code : value.extract<std::vector<std::string>>())
            array->add(code);
        return array;
    }
    if (field.kind == FieldKind::Boolean)
        return Var(value.convert<Poco::Int64>() != 0);
    return value;
}

Poco::JSON::Object::Ptr recordToJson(const domain::ResourceSpec& spec, const domain::Record& record)
{
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& field : spec.fields)
    {
        const auto it = record.find(field.name);
        object->set(field.name, it == record.end() ? Var() : jsonValue(field, it->second));
    }
    return object;
}

namespace
{
/// Whether any of the eight bytes of `word` needs an escape in a JSON string: a control character (below
/// 0x20), a quote or a backslash. Word-wide byte tests: a byte below n sets its high bit in
/// (word - n per byte) & ~word, and n = 1 on word ^ (c per byte) finds a byte equal to c; a borrow that
/// crosses into the next byte starts only at a byte that matched, so the answer for the word is exact.
bool anyNeedsEscape(std::uint64_t word)
{
    constexpr std::uint64_t ONES = 0x0101010101010101ULL;
    constexpr std::uint64_t HIGHS = 0x8080808080808080ULL;
    const auto anyBelow = [](std::uint64_t bytes, std::uint64_t bound) {
        return (bytes - ONES * bound) & ~bytes & HIGHS;
    };
    return (anyBelow(word, 0x20) | anyBelow(word ^ (ONES * '"'), 1) | anyBelow(word ^ (ONES * '\\'), 1)) != 0;
}

/// A JSON string as Poco::toJSON(text, JSON_WRAP_STRINGS) writes it: quote and backslash escaped, the
/// control characters as \b \f \n \r \t or \u00XX, everything else (UTF-8 included) as it is.
void appendText(std::string& out, std::string_view text)
{
    static const char* const HEX = "0123456789ABCDEF";
    out += '"';
    std::size_t plain = 0; // the start of the run of bytes that need no escape
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        // Eight bytes at a time while none needs an escape (most text needs none).
        for (std::uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word)
        {
            std::memcpy(&word, text.data() + i, sizeof word);
            if (anyNeedsEscape(word))
                break;
        }
        if (i == text.size())
            break;
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\')
            continue;
        out.append(text, plain, i - plain);
        plain = i + 1;
        switch (byte)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += HEX[byte >> 4];
            out += HEX[byte & 0xF];
        }
    }
    out.append(text, plain, std::string::npos);
    out += '"';
}

/// A value as Poco's Stringifier writes it: the common scalars directly, anything else through it.
void appendValue(std::string& out, const Var& value)
{
    if (value.isEmpty())
        out += "null";
    else if (value.type() == typeid(Poco::Int64))
        Poco::NumberFormatter::append(out, value.extract<Poco::Int64>());
    else if (value.type() == typeid(std::string))
        appendText(out, value.extract<std::string>());
    else
    {
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(value, text);
        out += text.str();
    }
}

void appendIdList(std::string& out, const std::vector<Poco::Int64>& ids)
{
    out += '[';
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (i)
            out += ',';
        Poco::NumberFormatter::append(out, ids[i]);
    }
    out += ']';
}

void appendCodeList(std::string& out, const std::vector<std::string>& codes)
{
    out += '[';
    for (std::size_t i = 0; i < codes.size(); ++i)
    {
        if (i)
            out += ',';
        appendText(out, codes[i]);
    }
    out += ']';
}

void appendFieldValue(std::string& out, const domain::FieldSpec& field, const Var& value)
{
    if (value.isEmpty())
    {
        out += "null";
        return;
    }
    if (field.kind == FieldKind::IdList)
        return appendIdList(out, value.extract<std::vector<Poco::Int64>>());
    if (field.kind == FieldKind::CodeList)
        return appendCodeList(out, value.extract<std::vector<std::string>>());
    if (field.kind == FieldKind::Boolean)
    {
        out += value.convert<Poco::Int64>() != 0 ? "true" : "false";
        return;
    }
    appendValue(out, value);
}
} // namespace

namespace
{
void appendObject(std::string& out, const Poco::JSON::Object& object)
{
    // The values in the map's (key) order, found without copying them, then written in the order Poco
    // writes the keys (getNames: the insertion order where the object keeps it).
    std::vector<const Poco::JSON::Object::ValueType*> entries;
    for (auto it = object.begin(); it != object.end(); ++it)
        entries.push_back(&*it);
    const auto byKey = [](const Poco::JSON::Object::ValueType* entry, const std::string& key) {
        return entry->first < key;
    };
    out += '{';
    bool first = true;
    for (const auto& name : object.getNames())
    {
        if (!first)
            out += ',';
        first = false;
        appendText(out, name);
        out += ':';
        appendJson(out, (*std::lower_bound(entries.begin(), entries.end(), name, byKey))->second);
    }
    out += '}';
}

void appendArray(std::string& out, const Poco::JSON::Array& array)
{
    out += '[';
    bool first = true;
    for (const auto& value : array)
    {
        if (!first)
            out += ',';
        first = false;
        appendJson(out, value);
    }
    out += ']';
}
} // namespace

void appendJson(std::string& out, const Var& value)
{
    const auto& type = value.type();
    if (type == typeid(Poco::JSON::Object::Ptr) && value.extract<Poco::JSON::Object::Ptr>())
        appendObject(out, *value.extract<Poco::JSON::Object::Ptr>());
    else if (type == typeid(Poco::JSON::Array::Ptr) && value.extract<Poco::JSON::Array::Ptr>())
        appendArray(out, *value.extract<Poco::JSON::Array::Ptr>());
    else if (type == typeid(Poco::JSON::Object))
        appendObject(out, value.extract<Poco::JSON::Object>());
    else if (type == typeid(Poco::JSON::Array))
        appendArray(out, value.extract<Poco::JSON::Array>());
    else if (type == typeid(int))
        Poco::NumberFormatter::append(out, value.extract<int>());
    else if (type == typeid(bool))
        out += value.extract<bool>() ? "true" : "false";
    else
        appendValue(out, value); // null, Int64 and strings directly, anything else through the Stringifier
}

void appendRecordJson(std::string& out, const domain::ResourceSpec& spec, const domain::Record& record)
{
    out += '{';
    bool first = true;
    for (const auto& field : spec.fields)
    {
        out += first ? "\"" : ",\"";
        first = false;
        out += field.name; // a column name: letters, digits and underscores only
        out += "\":";
        static const Var missing;
        const auto it = record.find(field.name);
        appendFieldValue(out, field, it == record.end() ? missing : it->second); // no copy of the value
    }
    out += '}';
}

namespace
{
/// The end of a page's text: the items' array closed, then total, limit and offset.
void closePage(std::string& out, Poco::Int64 total, std::size_t limit, std::size_t offset)
{
    out += "],\"total\":";
    Poco::NumberFormatter::append(out, total);
    out += ",\"limit\":";
    Poco::NumberFormatter::append(out, static_cast<Poco::UInt64>(limit));
    out += ",\"offset\":";
    Poco::NumberFormatter::append(out, static_cast<Poco::UInt64>(offset));
    out += '}';
}

/// A column's value as appendFieldValue writes the Var that RecordStore would have read from it.
void appendColumn(std::string& out, const domain::FieldSpec& field, const storage::RowReader& row, int column)
{
    if (row.isNull(column))
        out += "null";
    else if (field.kind == FieldKind::Boolean)
        out += row.integer(column) != 0 ? "true" : "false";
    else if (field.kind == FieldKind::Integer || field.kind == FieldKind::Id)
        Poco::NumberFormatter::append(out, row.integer(column));
    else if (field.kind == FieldKind::Number)
        appendValue(out, Var(row.real(column)));
    else
        appendText(out, row.text(column));
}

template <typename Values>
const Values* valuesOf(const std::map<std::string, std::map<Poco::Int64, Values>>& lists, const std::string& name,
                       Poco::Int64 id)
{
    const auto field = lists.find(name);
    if (field == lists.end())
        return nullptr;
    const auto values = field->second.find(id);
    return values == field->second.end() ? nullptr : &values->second;
}
} // namespace

std::string pageJsonText(const domain::ResourceSpec& spec, const std::vector<domain::Record>& records,
                         Poco::Int64 total, std::size_t limit, std::size_t offset)
{
    std::string out = "{\"items\":[";
    out.reserve(64 + records.size() * 512);
    bool first = true;
    for (const auto& record : records)
    {
        if (!first)
            out += ',';
        first = false;
        appendRecordJson(out, spec, record);
    }
    closePage(out, total, limit, offset);
    return out;
}

PageJsonWriter::PageJsonWriter(const domain::ResourceSpec& spec) : _spec(spec)
{
    _text.reserve(16 << 10);
    const auto columns = storage::RecordStore::columnFields(spec);
    for (const auto& field : spec.fields)
    {
        const auto at = std::find(columns.begin(), columns.end(), &field);
        _columnOf.push_back(at == columns.end() ? -1 : static_cast<int>(at - columns.begin()));
        if (field.name == "id")
            _idColumn = _columnOf.back();
    }
}

void PageJsonWriter::addRow(const storage::RowReader& row)
{
    Row out;
    out.id = row.integer(_idColumn);
    out.begin = _text.size();
    out.firstSlot = _slots.size();
    _text += '{';
    for (std::size_t i = 0; i < _spec.fields.size(); ++i)
    {
        _text += i ? ",\"" : "\"";
        _text += _spec.fields[i].name;
        _text += "\":";
        if (_columnOf[i] < 0)
            _slots.push_back(_text.size());
        else
            appendColumn(_text, _spec.fields[i], row, _columnOf[i]);
    }
    _text += '}';
    out.end = _text.size();
    _rows.push_back(out);
}

std::string PageJsonWriter::finish(const storage::PageLists& lists, Poco::Int64 total, std::size_t limit,
                                   std::size_t offset) const
{
    static const std::vector<Poco::Int64> NO_IDS;
    static const std::vector<std::string> NO_CODES;
    std::string out = "{\"items\":[";
    out.reserve(_text.size() + _rows.size() * 16 + 64);
    for (std::size_t r = 0; r < _rows.size(); ++r)
    {
        const Row& row = _rows[r];
        if (r)
            out += ',';
        std::size_t from = row.begin;
        std::size_t slot = row.firstSlot;
        for (std::size_t i = 0; i < _spec.fields.size(); ++i)
        {
            if (_columnOf[i] >= 0)
                continue;
            const auto& field = _spec.fields[i];
            const std::size_t at = _slots[slot++];
            out.append(_text, from, at - from);
            from = at;
            if (field.kind == FieldKind::IdList)
            {
                const auto* ids = valuesOf(lists.ids, field.name, row.id);
                appendIdList(out, ids ? *ids : NO_IDS);
            }
            else
            {
                const auto* codes = valuesOf(lists.codes, field.name, row.id);
                appendCodeList(out, codes ? *codes : NO_CODES);
            }
        }
        out.append(_text, from, row.end - from);
    }
    closePage(out, total, limit, offset);
    return out;
}

namespace
{
Var rawValue(const Var& value)
{
    if (value.type() == typeid(Poco::JSON::Array::Ptr))
    {
        std::vector<Var> items;
        for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
            items.push_back(rawValue(item));
        return items;
    }
    return value;
}
} // namespace

domain::Record recordFromJson(const Poco::JSON::Object& object)
{
    domain::Record record;
    for (const auto& [name, value] : object)
        record[name] = rawValue(value);
    return record;
}

bool sameValue(const domain::FieldSpec& field, const Var& a, const Var& b)
{
    if (a.isEmpty() || b.isEmpty())
        return a.isEmpty() == b.isEmpty();
    if (field.kind == FieldKind::IdList)
        return a.extract<std::vector<Poco::Int64>>() == b.extract<std::vector<Poco::Int64>>();
    if (field.kind == FieldKind::CodeList)
        return a.extract<std::vector<std::string>>() == b.extract<std::vector<std::string>>();
    if (field.kind == FieldKind::Number)
        return a.convert<double>() == b.convert<double>();
    return a.convert<std::string>() == b.convert<std::string>();
}

Poco::JSON::Object::Ptr listJson(const Poco::JSON::Array::Ptr& items)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", static_cast<Poco::UInt64>(items->size()));
    return body;
}

Poco::JSON::Object::Ptr pageJson(const Poco::JSON::Array::Ptr& items, Poco::Int64 total, std::size_t limit,
                                 std::size_t offset)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", total);
    body->set("limit", static_cast<Poco::UInt64>(limit));
    body->set("offset", static_cast<Poco::UInt64>(offset));
    return body;
}

} // namespace captrack::service
