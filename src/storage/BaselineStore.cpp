#include "captrack/storage/BaselineStore.h"

#include "NullableColumns.h"

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace captrack::storage
{

using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
const char* const BASELINE_COLUMNS = "SELECT id, project_id, name, reason, created_by, created_at FROM baselines ";

std::optional<domain::Record> first(std::vector<domain::Record> rows)
{
    return rows.empty() ? std::nullopt : std::optional<domain::Record>(std::move(rows.front()));
}
} // namespace

std::vector<domain::Record> rowsAsRecords(Poco::Data::Statement& statement)
{
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    std::vector<domain::Record> out;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        domain::Record record;
        for (std::size_t col = 0; col < rows.columnCount(); ++col)
        {
            const std::string& name = rows.columnName(col);
            if (rows.isNull(col, row))
            {
                record[name] = Var();
                continue;
            }
            const Var value = rows.value(col, row);
            record[name] =
                value.isNumeric() && !value.isString() ? Var(value.convert<Poco::Int64>()) : Var(columnText(value));
        }
        out.push_back(std::move(record));
    }
    return out;
}

BaselineStore::BaselineStore(const Database& database) : _lastInsertIdSql(database.lastInsertIdSql()) {}

bool BaselineStore::nameTaken(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& name) const
{
    Poco::Int64 taken = 0;
    session << "SELECT COUNT(*) FROM baselines WHERE project_id = ? AND name = ?", bind(projectId), bind(name),
        into(taken), now;
    return taken > 0;
}

std::optional<Poco::Int64> BaselineStore::insert(Poco::Data::Session& session, const BaselineRow& row) const
{
    Poco::Nullable<Poco::Int64> creator;
    if (row.createdBy)
        creator = *row.createdBy;
    try
    {
        session << "INSERT INTO baselines (project_id, name, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
            bind(row.projectId), bind(row.name), bind(row.reason), bind(creator), bind(row.createdAt), now;
    }
    catch (const Poco::Data::DataException& e)
    {
        if (isConstraintViolation(e))
            return std::nullopt;
        throw;
    }
    Poco::Int64 id = 0;
    session << _lastInsertIdSql, into(id), now;
    return id;
}

void BaselineStore::addItem(Poco::Data::Session& session, Poco::Int64 baselineId, const BaselineItemRow& item) const
{
    session << "INSERT INTO baseline_items (baseline_id, milestone_id, title, baseline_date, "
               "previous_baseline_date, forecast_date, actual_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        bind(baselineId), bind(item.milestoneId), bind(item.title), bind(item.baselineDate),
        bind(item.previousBaselineDate), bind(nullableOf(item.forecastDate)), bind(nullableOf(item.actualDate)),
        bind(item.status), now;
}

std::vector<domain::Record> BaselineStore::baselinesOf(Poco::Data::Session& session, Poco::Int64 projectId) const
{
    Poco::Data::Statement select(session);
    select << std::string(BASELINE_COLUMNS) + "WHERE project_id = ? ORDER BY id", bind(projectId);
    return rowsAsRecords(select);
}

std::optional<domain::Record> BaselineStore::baselineById(Poco::Data::Session& session, Poco::Int64 projectId,
                                                          Poco::Int64 id) const
{
    Poco::Data::Statement select(session);
    select << std::string(BASELINE_COLUMNS) + "WHERE project_id = ? AND id = ?", bind(projectId), bind(id);
    return first(rowsAsRecords(select));
}

std::optional<domain::Record> BaselineStore::baselineByName(Poco::Data::Session& session, Poco::Int64 projectId,
                                                            const std::string& name) const
{
    Poco::Data::Statement select(session);
    select << std::string(BASELINE_COLUMNS) + "WHERE project_id = ? AND name = ?", bind(projectId), bind(name);
    return first(rowsAsRecords(select));
}

std::vector<domain::Record> BaselineStore::itemsOf(Poco::Data::Session& session, Poco::Int64 baselineId) const
{
    Poco::Data::Statement select(session);
    select << "SELECT milestone_id, title, baseline_date, previous_baseline_date, forecast_date, actual_date, "
              "status FROM baseline_items WHERE baseline_id = ? ORDER BY milestone_id",
        bind(baselineId);
    return rowsAsRecords(select);
}

} // namespace captrack::storage
