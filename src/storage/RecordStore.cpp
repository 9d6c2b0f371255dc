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
/// The longest `IN (?, ...)` of list fields kept prepared (a page of up to this many records).
constexpr std::size_t MAX_CACHED_MARKS = 256;

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

/// SELECT of every column of the spec's table, WHERE `where` (none when empty), then `tail`.
std::string selectSql(const ResourceSpec& spec, const std::string& where, const std::string& tail)
{
    return "SELECT " + columnList(spec) + " FROM " + spec.table + (where.empty() ? "" : " WHERE " + where) + tail;
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
    {
        Query query(session, selectSql(spec, where, tail));
        for (const auto& value : values)
            query.bind(value);
        while (query.next())
        {
            Record record;
            for (std::size_t col = 0; col < cols.size(); ++col)
                addColumn(record, *cols[col], query, static_cast<int>(col));
            records.push_back(std::move(record));
        }
    }
    if (withLists)
        loadLists(session, spec, records);
    return records;
}

void RecordStore::readList(Poco::Data::Session& session, const FieldSpec& field, const std::vector<Poco::Int64>& ids,
                           std::map<Poco::Int64, std::vector<Poco::Int64>>& idLists,
                           std::map<Poco::Int64, std::vector<std::string>>& codeLists) const
{
    // As many `?` as the next power of two of the records (padded with NULL, which matches nothing):
    // a handful of statement shapes serve every page, each prepared once per session.
    std::size_t marks = 1;
    while (marks < ids.size())
        marks *= 2;
    // The text of each shape is built once per thread (specs are static: their addresses are keys).
    thread_local std::map<std::pair<const FieldSpec*, std::size_t>, std::string> texts;
    std::string& sql = texts[{&field, marks}];
    if (sql.empty())
    {
        std::string in;
        for (std::size_t i = 0; i < marks; ++i)
            in += i == 0 ? "?" : ", ?";
        sql = "SELECT " + field.linkOwnerColumn + ", " + field.linkValueColumn + " FROM " + field.linkTable +
              " WHERE " + field.linkOwnerColumn + " IN (" + in + ") ORDER BY " + field.linkOwnerColumn + ", " +
              field.linkValueColumn;
    }
    Query query(session, sql, marks <= MAX_CACHED_MARKS ? Query::Reuse::Yes : Query::Reuse::No);
    for (std::size_t i = 0; i < marks; ++i)
        if (i < ids.size())
            query.bind(ids[i]);
        else
            query.bindNull();
    while (query.next())
        if (field.kind == FieldKind::IdList)
            idLists[query.integer(0)].push_back(query.integer(1));
        else
            codeLists[query.integer(0)].push_back(query.text(1));
}

void RecordStore::loadLists(Poco::Data::Session& session, const ResourceSpec& spec, std::vector<Record>& records) const
{
    if (records.empty())
        return;
    std::vector<Poco::Int64> ids;
    ids.reserve(records.size());
    for (const auto& record : records)
        ids.push_back(domain::recordId(record));
    for (const auto& field : spec.fields)
    {
        if (!isList(field))
            continue;
        std::map<Poco::Int64, std::vector<Poco::Int64>> idLists;
        std::map<Poco::Int64, std::vector<std::string>> codeLists;
        readList(session, field, ids, idLists, codeLists);
        for (std::size_t i = 0; i < records.size(); ++i)
            if (field.kind == FieldKind::IdList)
                addEmpty<std::vector<Poco::Int64>>(records[i], field.name).swap(idLists[ids[i]]);
            else
                addEmpty<std::vector<std::string>>(records[i], field.name).swap(codeLists[ids[i]]);
    }
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
    std::vector<Poco::Int64> ids;
    {
        Query rows(session, selectSql(spec, where.sql, tail));
        for (const auto& value : values)
            rows.bind(value);
        const QueryRow row(rows);
        while (rows.next())
        {
            ids.push_back(rows.integer(idColumn));
            eachRow(row);
        }
    }
    if (ids.empty())
        return total;
    for (const auto& field : spec.fields)
        if (isList(field))
            readList(session, field, ids, lists.ids[field.name], lists.codes[field.name]);
    return total;
}

} // namespace captrack::storage
