#pragma once

#include "captrack/domain/Record.h"
#include "captrack/domain/ResourceSpec.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace captrack::storage
{

/// One SQL condition with its `?` parameters, e.g. {"status IN (?, ?)", {"pipeline", "closed"}}.
struct Condition
{
    std::string sql;
    std::vector<Poco::Dynamic::Var> values;
};

/// Every non-empty condition at once, "(a) AND (b)", with their values in order; empty when all are.
[[nodiscard]] Condition allOf(const std::vector<Condition>& conditions);

/// One column to sort by.
struct SortKey
{
    std::string column;
    bool descending = false;
};

/// A page of a filtered, sorted list.
struct ListQuery
{
    std::vector<Condition> conditions; ///< all must hold
    std::vector<SortKey> sort;         ///< columns already checked against the spec
    std::size_t limit = 50;
    std::size_t offset = 0;
};

/// A page of records and the number of records that match the filter in all.
struct Page
{
    std::vector<domain::Record> items;
    Poco::Int64 total = 0;
};

/// One row of a page as the database gives it, column by column (RecordStore::visitPage), for a caller
/// that writes it out without building a Record. Valid only during the call that hands it over.
class RowReader
{
public:
    virtual ~RowReader() = default;
    [[nodiscard]] virtual bool isNull(int column) const = 0;
    [[nodiscard]] virtual Poco::Int64 integer(int column) const = 0;
    [[nodiscard]] virtual double real(int column) const = 0;
    [[nodiscard]] virtual std::string_view text(int column) const = 0;
};

/// The list fields of a page's records, as RecordStore::visitPage reads them: field name -> record id ->
/// values, ordered as a read orders them (a record without values has no entry).
struct PageLists
{
    std::map<std::string, std::map<Poco::Int64, std::vector<Poco::Int64>>> ids;
    std::map<std::string, std::map<Poco::Int64, std::vector<std::string>>> codes;
};

/// Reads and writes records of any ResourceSpec with plain SQL that both dialects accept. Each call
/// runs on the caller's session (and so in the caller's transaction). Stateless: safe for concurrent
/// use. Driver errors that mean "still referenced" or "duplicate" become ConflictError.
class RecordStore
{
public:
    explicit RecordStore(const Database& database);

    /// The record with this id, with its list fields; lockForUpdate locks the row until the
    /// transaction ends.
    [[nodiscard]] std::optional<domain::Record> findById(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                                                         Poco::Int64 id, bool lockForUpdate = false) const;
    /// The record with this id if it also meets `within` (one statement: a record that fails the
    /// condition is not found by the same work that finds none), with its list fields.
    [[nodiscard]] std::optional<domain::Record> findById(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                                                         Poco::Int64 id, const Condition& within,
                                                         bool lockForUpdate = false) const;
    /// The record with this id meeting `within`, without its list fields: for a check that needs none.
    [[nodiscard]] std::optional<domain::Record> findColumns(Poco::Data::Session& session,
                                                            const domain::ResourceSpec& spec, Poco::Int64 id,
                                                            const Condition& within) const;
    /// The record with this id as this transaction has just written it with the list fields of `written`:
    /// the row is read, the lists are taken from `written` (ordered as a read orders them), which saves
    /// reading them back.
    [[nodiscard]] std::optional<domain::Record> findWritten(Poco::Data::Session& session,
                                                            const domain::ResourceSpec& spec, Poco::Int64 id,
                                                            const domain::Record& written) const;
    /// The first record matching the condition.
    [[nodiscard]] std::optional<domain::Record> findOne(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                                                        const Condition& condition) const;
    /// True when table has a row whose column equals value.
    [[nodiscard]] bool exists(Poco::Data::Session& session, const std::string& table, const std::string& column,
                              const Poco::Dynamic::Var& value) const;
    /// True when table has a row meeting the condition.
    [[nodiscard]] bool exists(Poco::Data::Session& session, const std::string& table, const Condition& condition) const;
    /// Inserts the record (every non-managed column plus version/created_at/updated_at as given) and
    /// its list fields; returns the new id.
    Poco::Int64 insert(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                       const domain::Record& record) const;
    /// Writes every column of the record (version must already be the new one) where the stored
    /// version is expectedVersion, and replaces its list fields: those that differ from `before`'s (the
    /// row as read under its lock), every one without `before`. False when no such row.
    bool update(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& record,
                Poco::Int64 expectedVersion, const domain::Record* before = nullptr) const;
    /// Deletes the row and its list fields. Throws ConflictError when other rows still reference it.
    void remove(Poco::Data::Session& session, const domain::ResourceSpec& spec, Poco::Int64 id) const;
    /// The suffix that makes a SELECT a locking read of the latest committed rows (" FOR UPDATE" on
    /// MySQL; "" on SQLite, whose writers are serialised).
    [[nodiscard]] const std::string& lockRowsSuffix() const noexcept { return _lockSuffix; }
    /// See Database::ensureRowSql.
    [[nodiscard]] std::string ensureRowSql(const std::string& into, const std::string& anyColumn) const
    {
        return ensureRowStatement(_dialect, into, anyColumn);
    }

    /// One page of the records matching the query, and the total count.
    [[nodiscard]] Page list(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                            const ListQuery& query) const;
    /// The page of list() without building its Records: hands each row to `eachRow` as it is read (its
    /// columns are columnFields(spec), in that order) and puts its list fields into `lists`; returns the
    /// total count.
    Poco::Int64 visitPage(Poco::Data::Session& session, const domain::ResourceSpec& spec, const ListQuery& query,
                          const std::function<void(const RowReader&)>& eachRow, PageLists& lists) const;
    /// The fields stored as columns of the spec's table (all but its list fields), in the spec's order.
    [[nodiscard]] static std::vector<const domain::FieldSpec*> columnFields(const domain::ResourceSpec& spec);

private:
    std::vector<domain::Record> select(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                                       const std::string& where, const std::vector<Poco::Dynamic::Var>& values,
                                       const std::string& tail, bool withLists = true) const;
    /// The number of rows that meet `where`.
    [[nodiscard]] Poco::Int64 countOf(Poco::Data::Session& session, const domain::ResourceSpec& spec,
                                      const Condition& where) const;
    /// The record's list fields: added (`replace` false, a new row) or put in place of the stored ones,
    /// except those equal in `unchangedFrom`.
    void writeLists(Poco::Data::Session& session, const domain::ResourceSpec& spec, const domain::Record& record,
                    bool replace, const domain::Record* unchangedFrom = nullptr) const;

    Dialect _dialect;
    std::string _lastInsertIdSql;
    std::string _lockSuffix;
};

/// Binds a value as the next `?` of a statement: strings, whole numbers, reals, or NULL for an empty Var.
void bindValue(Poco::Data::Statement& statement, const Poco::Dynamic::Var& value);

/// A text column's value as a string (MySQL hands TEXT columns over as BLOBs).
[[nodiscard]] std::string columnText(const Poco::Dynamic::Var& raw);

/// True when a driver exception means a unique or foreign-key constraint stopped the statement.
[[nodiscard]] bool isConstraintViolation(const Poco::Exception& e);

} // namespace captrack::storage
