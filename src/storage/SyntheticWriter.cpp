#include "captrack/storage/SyntheticWriter.h"

#include <Poco/Data/Binding.h>
#include <Poco/Data/Statement.h>

#include <algorithm>

namespace captrack::storage
{

using namespace synthetic;
using Poco::Data::Statement;
using namespace Poco::Data::Keywords;

namespace
{
/// Bound values (the ? of SQL) per multi-row INSERT: SQLite's historical limit, well within MariaDB's.
constexpr std::size_t MAX_BOUND_VALUES = 999;

/// Each row type's table, columns, one row's VALUES tuple (version 1, updated_at = created_at) and the
/// bindings of that row.
template <class Row> struct Table;

template <> struct Table<ProjectRow>
{
    static constexpr const char* COLUMNS = "projects (code, title, kind, description, capability_area, status, "
                                           "visibility, start_date, end_date, budget_eur, declared_health, "
                                           "declared_reason, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 14;
    static void bind(Statement& s, ProjectRow& r)
    {
        s, use(r.code), use(r.title), use(r.kind), use(r.description), use(r.area), use(r.status), use(r.visibility),
            use(r.start), use(r.end), use(r.budget), use(r.declared), use(r.reason), use(r.createdAt), use(r.createdAt);
    }
};

template <> struct Table<ObjectiveRow>
{
    static constexpr const char* COLUMNS = "project_objectives (project_id, objective_code)";
    static constexpr const char* VALUES = "(?, ?)";
    static constexpr std::size_t BOUND_VALUES = 2;
    static void bind(Statement& s, ObjectiveRow& r) { s, use(r.projectId), use(r.code); }
};

template <> struct Table<MilestoneRow>
{
    static constexpr const char* COLUMNS = "milestones (project_id, title, baseline_date, forecast_date, actual_date, "
                                           "status, progress, weight, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 10;
    static void bind(Statement& s, MilestoneRow& r)
    {
        s, use(r.projectId), use(r.title), use(r.baseline), use(r.forecast), use(r.actual), use(r.status),
            use(r.progress), use(r.weight), use(r.createdAt), use(r.createdAt);
    }
};

template <> struct Table<ContributionRow>
{
    static constexpr const char* COLUMNS = "contributions (project_id, partner_id, role, kind, state, amount_eur, "
                                           "person_months, description, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 10;
    static void bind(Statement& s, ContributionRow& r)
    {
        s, use(r.projectId), use(r.partnerId), use(r.role), use(r.kind), use(r.state), use(r.amount),
            use(r.personMonths), use(r.description), use(r.createdAt), use(r.createdAt);
    }
};

template <> struct Table<MissionLinkRow>
{
    static constexpr const char* COLUMNS =
        "mission_links (project_id, mission_id, relation, note, version, created_at, updated_at)";
    static constexpr const char* VALUES = "(?, ?, ?, ?, 1, ?, ?)";
    static constexpr std::size_t BOUND_VALUES = 6;
    static void bind(Statement& s, MissionLinkRow& r)
    {
        s, use(r.projectId), use(r.missionId), use(r.relation), use(r.note), use(r.createdAt), use(r.createdAt);
    }
};

/// Buffers rows of one table and writes them with a prepared multi-row INSERT that is re-executed
/// whenever the buffer is full. The statements bind the buffer's elements by reference, so it never moves.
template <class Row> class RowWriter
{
public:
    explicit RowWriter(Poco::Data::Session& session)
        : _rows(std::max<std::size_t>(1, MAX_BOUND_VALUES / Table<Row>::BOUND_VALUES)), _full(session), _single(session)
    {
        _full << insertSql(_rows.size());
        for (auto& row : _rows)
            Table<Row>::bind(_full, row);
        _single << insertSql(1);
        Table<Row>::bind(_single, _one);
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
        std::string sql = std::string("INSERT INTO ") + Table<Row>::COLUMNS + " VALUES ";
        for (std::size_t i = 0; i < rows; ++i)
            sql += (i ? ", " : "") + std::string(Table<Row>::VALUES);
        return sql;
    }

    std::vector<Row> _rows;
    Row _one;
    std::size_t _buffered = 0;
    Statement _full;
    Statement _single;
};
} // namespace

struct SyntheticWriter::Buffers
{
    explicit Buffers(Poco::Data::Session& session)
        : objectives(session), milestones(session), contributions(session), missions(session)
    {
    }
    RowWriter<ObjectiveRow> objectives;
    RowWriter<MilestoneRow> milestones;
    RowWriter<ContributionRow> contributions;
    RowWriter<MissionLinkRow> missions;
};

SyntheticWriter::SyntheticWriter(Poco::Data::Session& session) : _session(session) {}

SyntheticWriter::~SyntheticWriter() = default;

Reference SyntheticWriter::loadReference(Poco::Data::Session& session)
{
    Reference ref;
    session << "SELECT id FROM partners ORDER BY code", into(ref.partnerIds), now;
    session << "SELECT id FROM missions ORDER BY code", into(ref.missionIds), now;
    session << "SELECT code FROM capability_areas ORDER BY code", into(ref.areas), now;
    session << "SELECT code FROM objectives ORDER BY code", into(ref.objectives), now;
    return ref;
}

std::vector<std::string> SyntheticWriter::syntheticProjectCodes(Poco::Data::Session& session)
{
    std::vector<std::string> codes;
    session << "SELECT code FROM projects WHERE code LIKE 'SYN-%'", into(codes), now;
    return codes;
}

std::unordered_map<std::string, Int64> SyntheticWriter::insertProjects(std::vector<ProjectRow> projects)
{
    Int64 before = 0;
    _session << "SELECT COALESCE(MAX(id), 0) FROM projects", into(before), now;
    {
        RowWriter<ProjectRow> writer(_session);
        for (auto& p : projects)
            writer.add(std::move(p));
        writer.flush();
    }
    // The batch's ids come back with one SELECT: ids come from the database (AUTOINCREMENT /
    // AUTO_INCREMENT), above any id there before, in one transaction.
    std::vector<Int64> ids;
    std::vector<std::string> codes;
    _session << "SELECT id, code FROM projects WHERE id > ?", use(before), into(ids), into(codes), now;
    std::unordered_map<std::string, Int64> idByCode;
    for (std::size_t i = 0; i < ids.size(); ++i)
        idByCode[codes[i]] = ids[i];
    return idByCode;
}

void SyntheticWriter::add(ObjectiveRow row)
{
    buffers().objectives.add(std::move(row));
}

void SyntheticWriter::add(MilestoneRow row)
{
    buffers().milestones.add(std::move(row));
}

void SyntheticWriter::add(ContributionRow row)
{
    buffers().contributions.add(std::move(row));
}

void SyntheticWriter::add(MissionLinkRow row)
{
    buffers().missions.add(std::move(row));
}

void SyntheticWriter::flush()
{
    if (!_buffers)
        return;
    _buffers->objectives.flush();
    _buffers->milestones.flush();
    _buffers->contributions.flush();
    _buffers->missions.flush();
}

SyntheticWriter::Buffers& SyntheticWriter::buffers()
{
    if (!_buffers)
        _buffers = std::make_unique<Buffers>(_session);
    return *_buffers;
}

} // namespace captrack::storage
