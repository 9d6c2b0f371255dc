#include "captrack/storage/BackupRestorer.h"

#include "BackupReader.h"
#include "BatchInserter.h"
#include "TableCatalog.h"
#include "captrack/Errors.h"
#include "captrack/storage/Migrator.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/Transaction.h"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <algorithm>
#include <memory>
#include <set>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// Tables a migration fills with reference rows (001_core: the frameworks). Like the Migrator's own
/// tables they do not make a database non-empty, and the backup's rows replace the migration's. A
/// migration that inserts rows elsewhere must add its table here (BackupRestoreTest, which restores
/// into a freshly migrated database, fails until it does).
const std::set<std::string> FILLED_BY_MIGRATIONS = {"frameworks", "webhook_events"};

void refuseUnlessEmpty(const TableCatalog& catalog, const std::string& database)
{
    std::string holding;
    for (const auto& table : catalog.tableNames())
        if (!isMigratorTable(table) && FILLED_BY_MIGRATIONS.count(table) == 0 && catalog.hasRows(table))
            holding += (holding.empty() ? "" : ", ") + table;
    if (!holding.empty())
        throw ConflictError("the database " + database + " is not empty (" + holding +
                            " hold rows): restore only into a new, empty database");
}

void refuseUnknownMigrations(const BackupHeader& header, const Migrator& migrator)
{
    std::set<std::string> known;
    for (const auto& file : migrator.available())
        known.insert(Poco::Path(file).getFileName());
    for (const auto& name : header.migrations)
        if (known.count(name) == 0)
            throw ConflictError("the backup was made by a newer captrack: its schema has migration " + name +
                                ", which this build does not have; restore it with that version or a later one");
}

/// A backup never lists the Migrator's tables (a restore applies its own migrations: rows of them would
/// record migrations never applied), a table twice, or a column of a table twice.
void refuseMalformedTables(const BackupHeader& header)
{
    std::set<std::string> tables;
    for (const auto& table : header.tables)
    {
        const std::string& name = table.shape.name;
        if (isMigratorTable(name))
            throw Poco::DataFormatException("the backup lists " + name + ", the Migrator's own table");
        if (!tables.insert(name).second)
            throw Poco::DataFormatException("the backup lists table " + name + " twice");
        std::set<std::string> columns;
        for (const auto& column : table.shape.columns)
            if (!columns.insert(column).second)
                throw Poco::DataFormatException("the backup lists column " + name + "." + column + " twice");
    }
}

/// Reads the whole file through once before the database is touched, so that a truncated or damaged
/// file changes nothing, not even the schema (the load checks it again, before it commits). A pipe
/// (`restore --from <(zcat FILE.gz)`) can be read once only: there the checks wait for the load.
void refuseIncompleteFile(const std::string& path)
{
    if (!Poco::File(path).isFile())
        return;
    BackupReader reader(path);
    while (reader.next() != BackupReader::Item::End)
    {
    }
}

/// Every table and column of the backup must exist here; columns this schema adds take their defaults.
void checkTablesFit(const TableCatalog& catalog, const BackupHeader& header)
{
    const auto names = catalog.tableNames();
    for (const auto& table : header.tables)
    {
        if (!std::binary_search(names.begin(), names.end(), table.shape.name))
            throw Poco::DataFormatException("the backup's table " + table.shape.name + " is not in this schema");
        const auto columns = catalog.shape(table.shape.name).columns;
        for (const auto& column : table.shape.columns)
            if (std::find(columns.begin(), columns.end(), column) == columns.end())
                throw Poco::DataFormatException("the backup's column " + table.shape.name + "." + column +
                                                " is not in this schema");
    }
}

/// SQLite would refuse the commit anyway; MySQL, whose checks were off, would not.
void refuseBrokenReferences(const TableCatalog& catalog)
{
    std::string broken;
    for (const auto& reference : catalog.brokenReferences())
        broken += (broken.empty() ? "" : ", ") + reference;
    if (!broken.empty())
        throw Poco::DataFormatException("the backup's rows name rows it does not hold (" + broken +
                                        "): nothing was restored");
}

/// Foreign keys while the rows load, which come in table-name order, not in reference order: SQLite
/// checks them when the transaction commits (defer_foreign_keys, which SQLite resets at its end);
/// MySQL cannot defer them, so they are off for the load and on again from the end of this object's
/// life, failure included. Either way every reference is checked before the commit
/// (refuseBrokenReferences); a consistent snapshot satisfies them.
class ForeignKeysDuringLoad
{
public:
    ForeignKeysDuringLoad(Poco::Data::Session& session, Dialect dialect) : _session(session), _dialect(dialect)
    {
        if (_dialect == Dialect::MySQL)
            _session << "SET FOREIGN_KEY_CHECKS = 0", now;
        else
            _session << "PRAGMA defer_foreign_keys = ON", now;
    }
    ~ForeignKeysDuringLoad()
    {
        if (_dialect != Dialect::MySQL)
            return;
        try
        {
            _session << "SET FOREIGN_KEY_CHECKS = 1", now;
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("captrack.storage")
                .error("restore: turning foreign key checks on failed: " + e.displayText());
        }
    }
    ForeignKeysDuringLoad(const ForeignKeysDuringLoad&) = delete;
    ForeignKeysDuringLoad& operator=(const ForeignKeysDuringLoad&) = delete;

private:
    Poco::Data::Session& _session;
    Dialect _dialect;
};

std::vector<BackupSummary::Table> loadRows(BackupReader& reader, Poco::Data::Session& session,
                                           const TableCatalog& catalog)
{
    std::vector<BackupSummary::Table> tables;
    std::unique_ptr<BatchInserter> pInserter;
    for (;;)
    {
        switch (reader.next())
        {
        case BackupReader::Item::Table:
            if (pInserter)
                pInserter->finish();
            if (FILLED_BY_MIGRATIONS.count(reader.table().shape.name))
                session << "DELETE FROM " + catalog.quoted(reader.table().shape.name), now;
            pInserter = std::make_unique<BatchInserter>(session, catalog, reader.table().shape);
            tables.push_back({reader.table().shape.name, 0});
            break;
        case BackupReader::Item::Row:
            pInserter->add(reader.row());
            ++tables.back().rows;
            break;
        case BackupReader::Item::End:
            if (pInserter)
                pInserter->finish();
            return tables;
        }
    }
}
} // namespace

BackupRestorer::BackupRestorer(Database& database, std::string sqlRoot)
    : _database(database), _sqlRoot(std::move(sqlRoot))
{
}

BackupSummary BackupRestorer::restoreFrom(const std::string& path) const
{
    BackupReader reader(path);
    const BackupHeader& header = reader.header();
    Migrator migrator(_database, _sqlRoot);
    refuseUnknownMigrations(header, migrator);
    refuseMalformedTables(header);
    {
        auto pLease = _database.lease();
        refuseUnlessEmpty(TableCatalog(pLease->session(), _database.dialect()), _database.url().display);
    }
    refuseIncompleteFile(path);
    migrator.migrate();

    BackupSummary summary{header.dialect, header.takenAt, {}};
    {
        Transaction transaction(_database);
        const TableCatalog catalog(transaction.session(), _database.dialect());
        // Again inside the transaction that loads: no row slipped in since the first look.
        refuseUnlessEmpty(catalog, _database.url().display);
        checkTablesFit(catalog, header);
        const ForeignKeysDuringLoad foreignKeys(transaction.session(), _database.dialect());
        summary.tables = loadRows(reader, transaction.session(), catalog);
        refuseBrokenReferences(catalog);
        // Derived, so never taken from the file (a backup leaves them out; an older one never had them).
        RollupStore::rebuildFrom(transaction.session(), 0);
        transaction.commit();
    }
    // After the commit, because MySQL's ALTER TABLE commits. Should this step not happen, the counters
    // still stand past the highest id loaded (both databases move them past an explicit id).
    auto pLease = _database.lease();
    const TableCatalog catalog(pLease->session(), _database.dialect());
    for (const auto& table : header.tables)
        if (table.nextId > 0 && catalog.shape(table.shape.name).numbersRows)
            catalog.raiseNextId(table.shape.name, table.nextId);
    return summary;
}

} // namespace captrack::storage
