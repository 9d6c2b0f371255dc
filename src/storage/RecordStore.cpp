#include "captrack/storage/RecordStore.h"

#include "Query.h"
#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace captrack::storage
{

using domain::FieldKind;
using domain::FieldSpec;
using domain::Record;
using domain::ResourceSpec;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// Joins the values of a list field in the column that carries them (listColumnSql): neither an id nor a
/// code (domain::CODE_CHARACTERS) can hold it.
constexpr char LIST_SEPARATOR = '\x1f';

bool isList(const FieldSpec& field)
{
    return field.kind == FieldKind::CodeList || field.kind == FieldKind::IdList;
}

template <typename T> std::vector<T> sorted(std::vector<T> values)
{
    std::sort(values.begin(), values.end());
    return values;
}

/// Whether a list field holds the same values (in any order: its rows would be the same) in both records.
bool sameList(const FieldSpec& field, const Record& a, const Record& b)
{
    if (field.kind == FieldKind::IdList)
        return sorted(domain::idListField(a, field.name)) == sorted(domain::idListField(b, field.name));
    return sorted(domain::codeListField(a, field.name)) == sorted(domain::codeListField(b, field.name));
}

std::vector<const FieldSpec*> columns(const ResourceSpec& spec)
{
    std::vector<const FieldSpec*> out;
    for (const auto& field : spec.fields)
        if (!isList(field))
            out.push_back(&field);
    return out;
}

/// A Query's current row as a RowReader.
class QueryRow : public RowReader
{
public:
    explicit QueryRow(const Query& query) : _query(query) {}
    [[nodiscard]] bool isNull(int column) const override { return _query.isNull(column); }
    [[nodiscard]] Poco::Int64 integer(int column) const override { return _query.integer(column); }
    [[nodiscard]] double real(int column) const override { return _query.real(column); }
    [[nodiscard]] std::string_view text(int column) const override { return _query.textView(column); }

private:
    const Query& _query;
};

std::string columnList(const ResourceSpec& spec)
{
    std::string list;
    for (const auto* field : columns(spec))
        list += (list.empty() ? "" : ", ") + field->name;
    return list;
}

/// A list field as one more column of its owner's row: its values joined by LIST_SEPARATOR, NULL when it
/// has none. A row and its lists are then one statement (one round trip to MySQL, not one per list).
std::string listColumnSql(Dialect dialect, const ResourceSpec& spec, const FieldSpec& field)
{
    const std::string value = field.linkTable + "." + field.linkValueColumn;
    const std::string joined = dialect == Dialect::MySQL ? "GROUP_CONCAT(" + value + " SEPARATOR X'1F')"
                                                         : "group_concat(" + value + ", char(31))";
    return "(SELECT " + joined + " FROM " + field.linkTable + " WHERE " + field.linkTable + "." +
           field.linkOwnerColumn + " = " + spec.table + ".id)";
}

/// SELECT of every column of the spec's table (and with `lists`, after them, a column per list field:
/// listColumnSql), WHERE `where` (none when empty), then `tail`.
std::string selectSql(Dialect dialect, const ResourceSpec& spec, const std::string& where, const std::string& tail,
                      bool lists)
{
    std::string sql = "SELECT " + columnList(spec);
    for (const auto& field : spec.fields)
        if (lists && isList(field))
            sql += ", " + listColumnSql(dialect, spec, field);
    return sql + " FROM " + spec.table + (where.empty() ? "" : " WHERE " + where) + tail;
}

/// The values of a list column (listColumnSql), ordered as sets are (domain::normaliseInput).
void splitList(std::string_view joined, std::vector<Poco::Int64>& ids)
{
    for (std::size_t begin = 0; begin <= joined.size() && !joined.empty();)
    {
        const std::size_t end = std::min(joined.find(LIST_SEPARATOR, begin), joined.size());
        Poco::Int64 id = 0;
        const auto parsed = std::from_chars(joined.data() + begin, joined.data() + end, id);
        if (parsed.ec != std::errc() || parsed.ptr != joined.data() + end)
            throw Poco::Data::DataException("a stored list of ids holds something else");
        ids.push_back(id);
        begin = end + 1;
    }
    std::sort(ids.begin(), ids.end());
}

void splitList(std::string_view joined, std::vector<std::string>& codes)
{
    for (std::size_t begin = 0; begin <= joined.size() && !joined.empty();)
    {
        const std::size_t end = std::min(joined.find(LIST_SEPARATOR, begin), joined.size());
        codes.emplace_back(joined.substr(begin, end - begin));
        begin = end + 1;
    }
    std::sort(codes.begin(), codes.end());
}

} // namespace

std::string columnText(const Var& raw)
{
    if (raw.type() == typeid(Poco::Data::BLOB))
    {
        const auto& blob = raw.extract<Poco::Data::BLOB>();
        return std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
    }
    if (raw.type() == typeid(Poco::Data::CLOB))
    {
        const auto& clob = raw.extract<Poco::Data::CLOB>();
        return std::string(clob.rawContent(), clob.size());
    }
    return raw.convert<std::string>();
}

namespace
{

/// Adds a field (absent from the record) holding an empty T, and gives the T to fill in place: Poco's Var
/// (built here without small-object storage) has no move, so each copy of one allocates its value again,
/// and a page of records builds hundreds. A Var's value is const only through its interface.
template <typename T> T& addEmpty(Record& record, const std::string& name)
{
    Var& slot =
        record.emplace(std::piecewise_construct, std::forward_as_tuple(name), std::forward_as_tuple(T())).first->second;
    return const_cast<T&>(slot.extract<T>());
}

/// Adds a column's value to the record, built in place.
void addColumn(Record& record, const FieldSpec& field, const Query& query, int column)
{
    const auto add = [&](const auto& value) {
        record.emplace(std::piecewise_construct, std::forward_as_tuple(field.name), std::forward_as_tuple(value));
    };
    if (query.isNull(column))
        add(Var());
    else if (field.kind == FieldKind::Integer || field.kind == FieldKind::Id || field.kind == FieldKind::Boolean)
        add(query.integer(column));
    else if (field.kind == FieldKind::Number)
        add(query.real(column));
    else
        addEmpty<std::string>(record, field.name).assign(query.textView(column));
}

/// Runs a write and turns constraint failures into ConflictError with `why` as its detail.
template <typename Action> auto guarded(const std::string& why, Action action)
{
    try
    {
        return action();
    }
    catch (const Poco::Data::DataException& e)
    {
        if (isConstraintViolation(e))
            throw ConflictError(why);
        throw;
    }
}

/// The detail of a write stopped by a unique key or a reference: what collided is not known here.
std::string collisionText(const ResourceSpec& spec)
{
    return "the " + domain::plainWords(spec.entity) +
           " collides with what is stored (the same one exists already, or something it names is gone): reload, "
           "then try again";
}

std::string stillUsedText(const ResourceSpec& spec)
{
    return "the " + domain::plainWords(spec.entity) + " is still used by other records: remove those first";
}
} // namespace

Condition allOf(const std::vector<Condition>& conditions)
{
    Condition all;
    for (const auto& condition : conditions)
    {
        if (condition.sql.empty())
            continue;
        all.sql += (all.sql.empty() ? "(" : " AND (") + condition.sql + ")";
        all.values.insert(all.values.end(), condition.values.begin(), condition.values.end());
    }
    return all;
}

void bindValue(Poco::Data::Statement& statement, const Var& value)
{
    if (value.isEmpty())
        statement.addBind(bind(Poco::Nullable<std::string>()));
    else if (value.isString())
        statement.addBind(bind(value.extract<std::string>()));
    else if (value.isBoolean())
        statement.addBind(bind(static_cast<Poco::Int64>(value.convert<bool>() ? 1 : 0)));
    else if (value.isInteger())
        statement.addBind(bind(value.convert<Poco::Int64>()));
    else if (value.isNumeric())
        statement.addBind(bind(value.convert<double>()));
    else
        statement.addBind(bind(value.convert<std::string>()));
}

bool isConstraintViolation(const Poco::Exception& e)
{
    if (dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&e))
        return true;
    // duplicate key; a row still referenced; a reference to no row; the same on a parent row
    const int code = mysqlErrorNumber(e);
    return code == 1062 || code == 1451 || code == 1452 || code == 1217;
}

RecordStore::RecordStore(const Database& database)
    : _dialect(database.dialect()), _lastInsertIdSql(database.lastInsertIdSql()), _lockSuffix(database.lockRowsSuffix())
{
}

std::vector<Record> RecordStore::select(Poco::Data::Session& session, const ResourceSpec& spec,
                                        const std::string& where, const std::vector<Var>& values,
                                        const std::string& tail, bool withLists) const
{
    const auto cols = columns(spec);
    std::vector<Record> records;
    Query query(session, selectSql(_dialect, spec, where, tail, withLists));
    for (const auto& value : values)
        query.bind(value);
    while (query.next())
    {
        Record record;
        int col = 0;
        for (; col < static_cast<int>(cols.size()); ++col)
            addColumn(record, *cols[static_cast<std::size_t>(col)], query, col);
        for (const auto& field : spec.fields)
        {
            if (!withLists || !isList(field))
                continue;
            const std::string_view joined = query.isNull(col) ? std::string_view() : query.textView(col);
            if (field.kind == FieldKind::IdList)
                splitList(joined, addEmpty<std::vector<Poco::Int64>>(record, field.name));
            else
                splitList(joined, addEmpty<std::vector<std::string>>(record, field.name));
            ++col;
        }
        records.push_back(std::move(record));
    }
    return records;
}

void RecordStore::writeLists(Poco::Data::Session& session, const ResourceSpec& spec, const Record& record, bool replace,
                             const Record* unchangedFrom) const
{
    const Poco::Int64 id = domain::recordId(record);
    for (const auto& field : spec.fields)
    {
        if (!isList(field) || (unchangedFrom && sameList(field, record, *unchangedFrom)))
            continue;
        if (replace)
            Query(session, "DELETE FROM " + field.linkTable + " WHERE " + field.linkOwnerColumn + " = ?")
                .bind(id)
                .run();
        const std::string insert = "INSERT INTO " + field.linkTable + " (" + field.linkOwnerColumn + ", " +
                                   field.linkValueColumn + ") VALUES (?, ?)";
        if (field.kind == FieldKind::IdList)
            for (Poco::Int64 value : domain::idListField(record, field.name))
                Query(session, insert).bind(id).bind(value).run();
        else
            for (const std::string& value : domain::codeListField(record, field.name))
                Query(session, insert).bind(id).bind(value).run();
    }
}

std::optional<Record> RecordStore::findById(Poco::Data::Session& session, const ResourceSpec& spec, Poco::Int64 id,
                                            bool lockForUpdate) const
{
    return findById(session, spec, id, Condition{}, lockForUpdate);
}

std::optional<Record> RecordStore::findById(Poco::Data::Session& session, const ResourceSpec& spec, Poco::Int64 id,
                                            const Condition& within, bool lockForUpdate) const
{
    const Condition where = allOf({{"id = ?", {Var(id)}}, within});
    auto records = select(session, spec, where.sql, where.values, lockForUpdate ? _lockSuffix : "");
    if (records.empty())
        return std::nullopt;
    return std::move(records.front());
}

std::optional<Record> RecordStore::findColumns(Poco::Data::Session& session, const ResourceSpec& spec, Poco::Int64 id,
                                               const Condition& within) const
{
    const Condition where = allOf({{"id = ?", {Var(id)}}, within});
    auto records = select(session, spec, where.sql, where.values, "", false);
    if (records.empty())
        return std::nullopt;
    return std::move(records.front());
}

std::optional<Record> RecordStore::findWritten(Poco::Data::Session& session, const ResourceSpec& spec, Poco::Int64 id,
                                               const Record& written) const
{
    auto record = findColumns(session, spec, id, Condition{});
    if (!record)
        return record;
    for (const auto& field : spec.fields)
    {
        if (field.kind == FieldKind::IdList)
            (*record)[field.name] = Var(sorted(domain::idListField(written, field.name)));
        else if (field.kind == FieldKind::CodeList)
            (*record)[field.name] = Var(sorted(domain::codeListField(written, field.name)));
    }
    return record;
}

std::optional<Record> RecordStore::findOne(Poco::Data::Session& session, const ResourceSpec& spec,
                                           const Condition& condition) const
{
    auto records = select(session, spec, condition.sql, condition.values, " ORDER BY id LIMIT 1");
    if (records.empty())
        return std::nullopt;
    return std::move(records.front());
}

bool RecordStore::exists(Poco::Data::Session& session, const std::string& table, const std::string& column,
                         const Var& value) const
{
    return exists(session, table, Condition{column + " = ?", {value}});
}

bool RecordStore::exists(Poco::Data::Session& session, const std::string& table, const Condition& condition) const
{
    Query query(session, "SELECT COUNT(*) FROM " + table + (condition.sql.empty() ? "" : " WHERE " + condition.sql));
    for (const auto& value : condition.values)
        query.bind(value);
    return query.single() > 0;
}

Poco::Int64 RecordStore::insert(Poco::Data::Session& session, const ResourceSpec& spec, const Record& record) const
{
    return guarded(collisionText(spec), [&] {
        std::string names, marks;
        std::vector<Var> values;
        for (const auto* field : columns(spec))
        {
            if (field->name == "id")
                continue;
            names += (names.empty() ? "" : ", ") + field->name;
            marks += marks.empty() ? "?" : ", ?";
            const auto it = record.find(field->name);
            values.push_back(it == record.end() ? Var() : it->second);
        }
        Query statement(session, "INSERT INTO " + spec.table + " (" + names + ") VALUES (" + marks + ")");
        for (const auto& value : values)
            statement.bind(value);
        statement.run();
        const Poco::Int64 id = Query(session, _lastInsertIdSql).single();
        Record stored = record;
        stored["id"] = id;
        writeLists(session, spec, stored, false);
        return id;
    });
}

bool RecordStore::update(Poco::Data::Session& session, const ResourceSpec& spec, const Record& record,
                         Poco::Int64 expectedVersion, const Record* before) const
{
    return guarded(collisionText(spec), [&] {
        std::string assignments;
        std::vector<Var> values;
        for (const auto* field : columns(spec))
        {
            if (field->name == "id" || field->name == "created_at")
                continue;
            assignments += (assignments.empty() ? "" : ", ") + field->name + " = ?";
            const auto it = record.find(field->name);
            values.push_back(it == record.end() ? Var() : it->second);
        }
        values.emplace_back(domain::recordId(record));
        values.emplace_back(expectedVersion);
        Query statement(session, "UPDATE " + spec.table + " SET " + assignments + " WHERE id = ? AND version = ?");
        for (const auto& value : values)
            statement.bind(value);
        if (statement.run() == 0)
            return false;
        writeLists(session, spec, record, true, before);
        return true;
    });
}

void RecordStore::remove(Poco::Data::Session& session, const ResourceSpec& spec, Poco::Int64 id) const
{
    guarded(stillUsedText(spec), [&] {
        for (const auto& field : spec.fields)
            if (isList(field))
                Query(session, "DELETE FROM " + field.linkTable + " WHERE " + field.linkOwnerColumn + " = ?")
                    .bind(id)
                    .run();
        Query(session, "DELETE FROM " + spec.table + " WHERE id = ?").bind(id).run();
        return 0;
    });
}

std::vector<const FieldSpec*> RecordStore::columnFields(const ResourceSpec& spec)
{
    return columns(spec);
}

Poco::Int64 RecordStore::countOf(Poco::Data::Session& session, const ResourceSpec& spec, const Condition& where) const
{
    Query count(session, "SELECT COUNT(*) FROM " + spec.table + (where.sql.empty() ? "" : " WHERE " + where.sql));
    for (const auto& value : where.values)
        count.bind(value);
    return count.single();
}

namespace
{
/// The ORDER BY and LIMIT of a page, its bounds as parameters: one prepared statement serves every page.
std::string pageTail(const ListQuery& query, std::vector<Var>& values)
{
    std::string order;
    for (const auto& key : query.sort)
        order += (order.empty() ? " ORDER BY " : ", ") + key.column + (key.descending ? " DESC" : "");
    order += (order.empty() ? " ORDER BY id" : ", id");
    values.emplace_back(static_cast<Poco::Int64>(query.limit));
    values.emplace_back(static_cast<Poco::Int64>(query.offset));
    return order + " LIMIT ? OFFSET ?";
}
} // namespace

Page RecordStore::list(Poco::Data::Session& session, const ResourceSpec& spec, const ListQuery& query) const
{
    const Condition where = allOf(query.conditions);
    Page page;
    page.total = countOf(session, spec, where);
    auto pageValues = where.values;
    const std::string tail = pageTail(query, pageValues);
    page.items = select(session, spec, where.sql, pageValues, tail);
    return page;
}

Poco::Int64 RecordStore::visitPage(Poco::Data::Session& session, const ResourceSpec& spec, const ListQuery& query,
                                   const std::function<void(const RowReader&)>& eachRow, PageLists& lists) const
{
    const Condition where = allOf(query.conditions);
    const Poco::Int64 total = countOf(session, spec, where);
    auto values = where.values;
    const std::string tail = pageTail(query, values);
    const auto cols = columns(spec);
    int idColumn = -1;
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i]->name == "id")
            idColumn = static_cast<int>(i);
    Query rows(session, selectSql(_dialect, spec, where.sql, tail, true));
    for (const auto& value : values)
        rows.bind(value);
    const QueryRow row(rows);
    while (rows.next())
    {
        eachRow(row);
        const Poco::Int64 id = rows.integer(idColumn);
        int col = static_cast<int>(cols.size());
        for (const auto& field : spec.fields)
        {
            if (!isList(field))
                continue;
            if (!rows.isNull(col))
            {
                if (field.kind == FieldKind::IdList)
                    splitList(rows.textView(col), lists.ids[field.name][id]);
                else
                    splitList(rows.textView(col), lists.codes[field.name][id]);
            }
            ++col;
        }
    }
    return total;
}

} // namespace captrack::storage
