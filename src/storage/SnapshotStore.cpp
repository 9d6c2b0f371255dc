#include "captrack/storage/SnapshotStore.h"

#include "BatchInserter.h"
#include "Query.h"
#include "TableCatalog.h"

#include "captrack/storage/RecordStore.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace captrack::storage
{

namespace
{
const char* const SNAPSHOT_COLUMNS = "SELECT id, name, as_of, group_by, filters, list_limit, published_by, "
                                     "published_at, content_hash, schedule_period FROM report_snapshots ";

SnapshotRow snapshotOf(const Query& query)
{
    SnapshotRow row;
    row.id = query.integer(0);
    row.name = query.text(1);
    row.asOf = query.text(2);
    row.groupBy = query.text(3);
    row.filters = query.text(4);
    row.listLimit = query.integer(5);
    row.publishedBy = query.optionalInteger(6);
    row.publishedAt = query.text(7);
    row.contentHash = query.text(8);
    row.schedulePeriod = query.optionalText(9);
    return row;
}

std::vector<SnapshotRow> snapshotsOf(Query& query)
{
    std::vector<SnapshotRow> rows;
    while (query.next())
        rows.push_back(snapshotOf(query));
    return rows;
}

/// Text formats are kept as they are; anything else (a workbook) as base64, since the column is text.
bool isText(const std::string& contentType)
{
    return contentType.rfind("text/", 0) == 0 || contentType.rfind("application/json", 0) == 0 ||
           contentType.rfind("image/svg+xml", 0) == 0;
}

std::string base64(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text)
{
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    Poco::StreamCopier::copyToString(decoder, bytes);
    return bytes;
}

std::string reasonsText(const std::vector<std::string>& reasons)
{
    Poco::JSON::Array array;
    for (const auto& reason : reasons)
        array.add(reason);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::vector<std::string> reasonsOf(const std::string& text)
{
    std::vector<std::string> reasons;
    const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i)
        reasons.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return reasons;
}

ProjectStateRow projectOf(const Query& query, int first)
{
    ProjectStateRow row;
    row.projectId = query.integer(first);
    row.code = query.text(first + 1);
    row.title = query.text(first + 2);
    row.status = query.text(first + 3);
    row.declaredHealth = query.optionalText(first + 4);
    row.declaredReason = query.optionalText(first + 5);
    row.computedHealth = query.optionalText(first + 6);
    row.healthReasons = reasonsOf(query.text(first + 7));
    row.effectiveHealth = query.optionalText(first + 8);
    row.baselines = query.integer(first + 9);
    row.budgetEur = query.integer(first + 10);
    return row;
}

const char* const PROJECT_COLUMNS = "project_id, code, title, status, declared_health, declared_reason, "
                                    "computed_health, health_reasons, effective_health, baselines, budget_eur";
} // namespace

SnapshotStore::SnapshotStore(const Database& database)
    : _lastInsertIdSql(database.lastInsertIdSql()), _dialect(database.dialect())
{
}

std::optional<Poco::Int64> SnapshotStore::insert(Poco::Data::Session& session, const SnapshotRow& row) const
{
    try
    {
        Query query(session, "INSERT INTO report_snapshots (name, as_of, group_by, filters, list_limit, "
                             "published_by, published_at, content_hash, schedule_period) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        query.bind(row.name).bind(row.asOf).bind(row.groupBy).bind(row.filters).bind(row.listLimit);
        query.bind(row.publishedBy).bind(row.publishedAt).bind(row.contentHash).bind(row.schedulePeriod);
        query.run();
    }
    catch (const Poco::Exception& e)
    {
        if (isConstraintViolation(e))
            return std::nullopt;
        throw;
    }
    Query id(session, _lastInsertIdSql);
    const Poco::Int64 snapshotId = id.single();
    if (row.schedulePeriod)
    {
        // The period's lease: a second publisher of the period is refused here even when the first's
        // snapshot has been deleted since.
        try
        {
            Query run(session,
                      "INSERT INTO snapshot_schedule_runs (period, snapshot_id, published_at) VALUES (?, ?, ?)");
            run.bind(*row.schedulePeriod).bind(snapshotId).bind(row.publishedAt);
            run.run();
        }
        catch (const Poco::Exception& e)
        {
            if (isConstraintViolation(e))
                return std::nullopt;
            throw;
        }
    }
    return snapshotId;
}

void SnapshotStore::addRendering(Poco::Data::Session& session, Poco::Int64 snapshotId,
                                 const RenderingRow& rendering) const
{
    const bool text = isText(rendering.contentType);
    Query query(session, "INSERT INTO snapshot_renderings (snapshot_id, format, content_type, encoding, body, sha256) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
    query.bind(snapshotId).bind(rendering.format).bind(rendering.contentType).bind(text ? "utf-8" : "base64");
    query.bind(text ? rendering.bytes : base64(rendering.bytes)).bind(rendering.sha256);
    query.run();
}

void SnapshotStore::addState(Poco::Data::Session& session, Poco::Int64 snapshotId, const PortfolioState& state) const
{
    // Multi-row INSERTs (a thousand values each): a portfolio of 100,000 projects is a million milestones,
    // which one statement each would make a million round trips on MariaDB.
    const TableCatalog catalog(session, _dialect);
    using Var = Poco::Dynamic::Var;
    auto optional = [](const std::optional<std::string>& text) { return text ? Var(*text) : Var(); };
    auto rowOf = [](std::initializer_list<Var> values) {
        Poco::JSON::Array row;
        for (const auto& value : values)
            row.add(value);
        return row;
    };
    BatchInserter projects(
        session, catalog,
        {"snapshot_projects",
         {"snapshot_id", "project_id", "code", "title", "status", "declared_health", "declared_reason",
          "computed_health", "health_reasons", "effective_health", "baselines", "budget_eur"},
         {},
         false});
    for (const auto& p : state.projects)
        projects.add(rowOf({snapshotId, p.projectId, p.code, p.title, p.status, optional(p.declaredHealth),
                            optional(p.declaredReason), optional(p.computedHealth), reasonsText(p.healthReasons),
                            optional(p.effectiveHealth), p.baselines, p.budgetEur}));
    projects.finish();
    BatchInserter milestones(session, catalog,
                             {"snapshot_milestones",
                              {"snapshot_id", "milestone_id", "project_id", "title", "baseline_date", "forecast_date",
                               "actual_date", "status", "progress"},
                              {},
                              false});
    for (const auto& m : state.milestones)
        milestones.add(rowOf({snapshotId, m.milestoneId, m.projectId, m.title, m.baselineDate, optional(m.forecastDate),
                              optional(m.actualDate), m.status, m.progress}));
    milestones.finish();
    BatchInserter contributions(session, catalog,
                                {"snapshot_contributions",
                                 {"snapshot_id", "contribution_id", "project_id", "partner_id", "partner_code", "state",
                                  "amount_eur", "person_months"},
                                 {},
                                 false});
    for (const auto& c : state.contributions)
        contributions.add(rowOf({snapshotId, c.contributionId, c.projectId, c.partnerId, c.partnerCode, c.state,
                                 c.amountEur, c.personMonths}));
    contributions.finish();
}

std::vector<SnapshotRow> SnapshotStore::list(Poco::Data::Session& session, std::size_t limit, std::size_t offset) const
{
    Query query(session, std::string(SNAPSHOT_COLUMNS) + "ORDER BY id DESC LIMIT ? OFFSET ?");
    query.bind(static_cast<Poco::Int64>(limit)).bind(static_cast<Poco::Int64>(offset));
    return snapshotsOf(query);
}

Poco::Int64 SnapshotStore::count(Poco::Data::Session& session) const
{
    Query query(session, "SELECT COUNT(*) FROM report_snapshots");
    return query.single();
}

std::optional<SnapshotRow> SnapshotStore::byId(Poco::Data::Session& session, Poco::Int64 id) const
{
    Query query(session, std::string(SNAPSHOT_COLUMNS) + "WHERE id = ?");
    query.bind(id);
    auto rows = snapshotsOf(query);
    return rows.empty() ? std::nullopt : std::optional<SnapshotRow>(std::move(rows.front()));
}

std::optional<SnapshotRow> SnapshotStore::byName(Poco::Data::Session& session, const std::string& name) const
{
    Query query(session, std::string(SNAPSHOT_COLUMNS) + "WHERE name = ?");
    query.bind(name);
    auto rows = snapshotsOf(query);
    return rows.empty() ? std::nullopt : std::optional<SnapshotRow>(std::move(rows.front()));
}

bool SnapshotStore::nameTaken(Poco::Data::Session& session, const std::string& name) const
{
    Query query(session, "SELECT COUNT(*) FROM report_snapshots WHERE name = ?");
    query.bind(name);
    return query.single() > 0;
}

bool SnapshotStore::periodPublished(Poco::Data::Session& session, const std::string& period) const
{
    Query query(session, "SELECT COUNT(*) FROM snapshot_schedule_runs WHERE period = ?");
    query.bind(period);
    return query.single() > 0;
}

std::vector<std::string> SnapshotStore::formatsOf(Poco::Data::Session& session, Poco::Int64 snapshotId) const
{
    Query query(session, "SELECT format FROM snapshot_renderings WHERE snapshot_id = ? ORDER BY format");
    query.bind(snapshotId);
    std::vector<std::string> formats;
    while (query.next())
        formats.push_back(query.text(0));
    return formats;
}

std::optional<RenderingRow> SnapshotStore::rendering(Poco::Data::Session& session, Poco::Int64 snapshotId,
                                                     const std::string& format) const
{
    Query query(session, "SELECT format, content_type, encoding, body, sha256 FROM snapshot_renderings "
                         "WHERE snapshot_id = ? AND format = ?");
    query.bind(snapshotId).bind(format);
    if (!query.next())
        return std::nullopt;
    RenderingRow row{query.text(0), query.text(1), query.text(3), query.text(4)};
    if (query.text(2) == "base64")
        row.bytes = unbase64(row.bytes);
    return row;
}

PortfolioState SnapshotStore::state(Poco::Data::Session& session, const SnapshotRow& snapshot) const
{
    PortfolioState state;
    state.asOf = snapshot.asOf;
    {
        Query query(session, std::string("SELECT ") + PROJECT_COLUMNS +
                                 " FROM snapshot_projects WHERE snapshot_id = ? ORDER BY project_id");
        query.bind(snapshot.id);
        while (query.next())
            state.projects.push_back(projectOf(query, 0));
    }
    {
        Query query(session, "SELECT milestone_id, project_id, title, baseline_date, forecast_date, actual_date, "
                             "status, progress FROM snapshot_milestones WHERE snapshot_id = ? ORDER BY milestone_id");
        query.bind(snapshot.id);
        while (query.next())
            state.milestones.push_back({query.integer(0), query.integer(1), query.text(2), query.text(3),
                                        query.optionalText(4), query.optionalText(5), query.text(6), query.integer(7)});
    }
    Query query(session, "SELECT contribution_id, project_id, partner_id, partner_code, state, amount_eur, "
                         "person_months FROM snapshot_contributions WHERE snapshot_id = ? ORDER BY contribution_id");
    query.bind(snapshot.id);
    while (query.next())
        state.contributions.push_back({query.integer(0), query.integer(1), query.integer(2), query.text(3),
                                       query.text(4), query.integer(5), query.real(6)});
    return state;
}

std::vector<std::pair<SnapshotRow, ProjectStateRow>> SnapshotStore::projectHistory(Poco::Data::Session& session,
                                                                                   Poco::Int64 projectId) const
{
    // The project's columns need no table name: report_snapshots has none of theirs.
    Query query(session, std::string("SELECT s.id, s.name, s.as_of, s.group_by, s.filters, s.list_limit, "
                                     "s.published_by, s.published_at, s.content_hash, s.schedule_period, ") +
                             PROJECT_COLUMNS +
                             " FROM report_snapshots s JOIN snapshot_projects p ON p.snapshot_id = s.id "
                             "WHERE p.project_id = ? ORDER BY s.id");
    query.bind(projectId);
    std::vector<std::pair<SnapshotRow, ProjectStateRow>> out;
    while (query.next())
        out.emplace_back(snapshotOf(query), projectOf(query, 10));
    return out;
}

bool SnapshotStore::remove(Poco::Data::Session& session, Poco::Int64 id) const
{
    for (const char* table :
         {"snapshot_renderings", "snapshot_projects", "snapshot_milestones", "snapshot_contributions"})
    {
        Query query(session, std::string("DELETE FROM ") + table + " WHERE snapshot_id = ?");
        query.bind(id);
        query.run();
    }
    Query query(session, "DELETE FROM report_snapshots WHERE id = ?");
    query.bind(id);
    return query.run() > 0;
}

std::vector<MilestoneStateRow> SnapshotStore::liveMilestones(Poco::Data::Session& session)
{
    Query query(session,
                "SELECT id, project_id, title, baseline_date, forecast_date, actual_date, status, progress "
                "FROM milestones ORDER BY id",
                Query::Reuse::Yes, Query::Rows::Streamed);
    std::vector<MilestoneStateRow> rows;
    while (query.next())
        rows.push_back({query.integer(0), query.integer(1), query.text(2), query.text(3), query.optionalText(4),
                        query.optionalText(5), query.text(6), query.integer(7)});
    return rows;
}

std::vector<ContributionStateRow> SnapshotStore::liveContributions(Poco::Data::Session& session)
{
    Query query(session,
                "SELECT c.id, c.project_id, c.partner_id, p.code, c.state, c.amount_eur, c.person_months "
                "FROM contributions c JOIN partners p ON p.id = c.partner_id ORDER BY c.id",
                Query::Reuse::Yes, Query::Rows::Streamed);
    std::vector<ContributionStateRow> rows;
    while (query.next())
        rows.push_back({query.integer(0), query.integer(1), query.integer(2), query.text(3), query.text(4),
                        query.integer(5), query.real(6)});
    return rows;
}

std::map<Poco::Int64, Poco::Int64> SnapshotStore::baselineCounts(Poco::Data::Session& session)
{
    Query query(session, "SELECT project_id, COUNT(*) FROM baselines GROUP BY project_id");
    std::map<Poco::Int64, Poco::Int64> counts;
    while (query.next())
        counts[query.integer(0)] = query.integer(1);
    return counts;
}

} // namespace captrack::storage
