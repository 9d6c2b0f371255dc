#pragma once

// Folder-private: the table rows of the synthetic seeder and the batched writer that inserts them.

#include <Poco/Data/Binding.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <algorithm>
#include <string>
#include <vector>

namespace captrack::app::synthetic
{

using Poco::Int64;
using Poco::Data::Statement;
using namespace Poco::Data::Keywords;

using OptionalText = Poco::Nullable<std::string>;

/// Bound values (the ? of SQL) per multi-row INSERT: SQLite's historical limit, well within MariaDB's.
constexpr std::size_t MAX_BOUND_VALUES = 999;

// One struct per table: its columns, one row's VALUES tuple, and the bindings of that row. version
// is 1 and updated_at equals created_at, as for a record just created through the API.
struct ProjectRow
{
    static constexpr const char* TABLE = "projects (code, title, kind, description, capability_area, status, "
                                         "visibility, start_date, end_date, budget_eur, declared_health, "
                                         "declared_reason, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 14;
    std::string code, title, kind;
    OptionalText description;
    std::string area, status, visibility, start, end;
    Int64 budget = 0;
    OptionalText declared, reason;
    std::string createdAt;

    void bindTo(Statement& s)
    {
        s, use(code), use(title), use(kind), use(description), use(area), use(status), use(visibility), use(start),
            use(end), use(budget), use(declared), use(reason), use(createdAt), use(createdAt);
    }
};

struct ObjectiveRow
{
    static constexpr const char* TABLE = "project_objectives (project_id, objective_code)";
    static constexpr const char* VALUES = "(?, ?)";
    static constexpr std::size_t BOUND_VALUES = 2;
    Int64 projectId = 0;
    std::string code;

    void bindTo(Statement& s) { s, use(projectId), use(code); }
};

struct MilestoneRow
{
    static constexpr const char* TABLE = "milestones (project_id, title, baseline_date, forecast_date, actual_date, "
                                         "status, progress, weight, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 10;
    Int64 projectId = 0;
    std::string title, baseline;
    OptionalText forecast, actual;
    std::string status;
    Int64 progress = 0, weight = 1;
    std::string createdAt;

    void bindTo(Statement& s)
    {
        s, use(projectId), use(title), use(baseline), use(forecast), use(actual), use(status), use(progress),
            use(weight), use(createdAt), use(createdAt);
    }
};

struct ContributionRow
{
    static constexpr const char* TABLE = "contributions (project_id, partner_id, role, kind, state, amount_eur, "
                                         "person_months, description, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 10;
    Int64 projectId = 0, partnerId = 0;
    std::string role, kind, state;
    Int64 amount = 0;
    double personMonths = 0;
    OptionalText description;
    std::string createdAt;

    void bindTo(Statement& s)
    {
        s, use(projectId), use(partnerId), use(role), use(kind), use(state), use(amount), use(personMonths),
            use(description), use(createdAt), use(createdAt);
    }
};

struct MissionLinkRow
{
    static constexpr const char* TABLE =
        "mission_links (project_id, mission_id, relation, note, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 6;
    Int64 projectId = 0, missionId = 0;
    std::string relation;
    OptionalText note;
    std::string createdAt;

    void bindTo(Statement& s)
    {
        s, use(projectId), use(missionId), use(relation), use(note), use(createdAt), use(createdAt);
    }
};

/// Buffers rows of one table and writes them with a prepared multi-row INSERT that is re-executed
/// whenever the buffer is full: one round trip per statement rather than per row, which is what
/// matters on MariaDB. The statements bind the buffer's elements by reference, so it never moves.
template <class Row> class RowWriter
{
public:
    explicit RowWriter(Poco::Data::Session& session)
        : _rows(std::max<std::size_t>(1, MAX_BOUND_VALUES / Row::BOUND_VALUES)), _full(session), _single(session)
    {
        _full << insertSql(_rows.size());
        for (auto& row : _rows)
            row.bindTo(_full);
        _single << insertSql(1);
        _one.bindTo(_single);
    }

    void add(Row row)
    {
        _rows[_buffered++] = std::move(row);
        if (_buffered == _rows.size())
        {
            _full.execute();
            _buffered = 0;
        }
    }

    /// Writes what is still buffered, one row at a time.
    void flush()
    {
        for (std::size_t i = 0; i < _buffered; ++i)
        {
            _one = std::move(_rows[i]);
            _single.execute();
        }
        _buffered = 0;
    }

private:
    static std::string insertSql(std::size_t rows)
    {
        std::string sql = std::string("INSERT INTO ") + Row::TABLE + " VALUES ";
        for (std::size_t i = 0; i < rows; ++i)
            sql += (i ? ", " : "") + std::string(Row::VALUES);
        return sql;
    }

    std::vector<Row> _rows;
    Row _one;
    std::size_t _buffered = 0;
    Statement _full;
    Statement _single;
};

} // namespace captrack::app::synthetic
