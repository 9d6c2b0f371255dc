#pragma once

#include "captrack/domain/Record.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// A published snapshot's row (table report_snapshots), without its renderings and state.
struct SnapshotRow
{
    Poco::Int64 id = 0;
    std::string name;
    std::string asOf;    ///< YYYY-MM-DD
    std::string groupBy; ///< a Grouping's name
    std::string filters; ///< a JSON object: filter name -> list of values
    Poco::Int64 listLimit = 0;
    std::optional<Poco::Int64> publishedBy;    ///< none for the server's own schedule
    std::string publishedAt;                   ///< RFC 3339 UTC
    std::string contentHash;                   ///< sha256 (hex) of the JSON rendering
    std::optional<std::string> schedulePeriod; ///< the schedule's period that published it, unique
};

/// One format of a snapshot as it was rendered at publication.
struct RenderingRow
{
    std::string format;      ///< json, csv, md, html, xlsx
    std::string contentType; ///< as the live report answers it
    std::string bytes;       ///< the rendering (stored as text, or base64 for a binary format)
    std::string sha256;      ///< hex, of `bytes`
};

/// A project as a snapshot keeps it: its health judged at the snapshot's date.
struct ProjectStateRow
{
    Poco::Int64 projectId = 0;
    std::string code;
    std::string title;
    std::string status;
    std::optional<std::string> declaredHealth;
    std::optional<std::string> declaredReason;
    std::optional<std::string> computedHealth;
    std::vector<std::string> healthReasons;
    std::optional<std::string> effectiveHealth;
    Poco::Int64 baselines = 0; ///< how many baselines the project had
    Poco::Int64 budgetEur = 0;
};

/// A milestone as a snapshot keeps it (cancelled ones included).
struct MilestoneStateRow
{
    Poco::Int64 milestoneId = 0;
    Poco::Int64 projectId = 0;
    std::string title;
    std::string baselineDate;
    std::optional<std::string> forecastDate;
    std::optional<std::string> actualDate;
    std::string status;
    Poco::Int64 progress = 0;
};

/// A contribution as a snapshot keeps it.
struct ContributionStateRow
{
    Poco::Int64 contributionId = 0;
    Poco::Int64 projectId = 0;
    Poco::Int64 partnerId = 0;
    std::string partnerCode;
    std::string state;
    Poco::Int64 amountEur = 0;
    double personMonths = 0;
};

/// What a snapshot was built from: the projects of its report, with every milestone and contribution
/// of those projects. Sorted by id within each list.
struct PortfolioState
{
    std::string asOf; ///< YYYY-MM-DD
    std::vector<ProjectStateRow> projects;
    std::vector<MilestoneStateRow> milestones;
    std::vector<ContributionStateRow> contributions;
};

/// Published report snapshots (docs/HTTP.md "Report snapshots"): written once, read many times, deleted
/// only whole. Every call runs on the caller's session (and transaction) and throws the driver's
/// exceptions. Keeps only the dialect's last-insert-id statement: safe for concurrent use.
class SnapshotStore
{
public:
    explicit SnapshotStore(const Database& database);

    /// Inserts the snapshot's row and returns its id; none when the name (or schedule period) is taken.
    [[nodiscard]] std::optional<Poco::Int64> insert(Poco::Data::Session& session, const SnapshotRow& row) const;
    void addRendering(Poco::Data::Session& session, Poco::Int64 snapshotId, const RenderingRow& rendering) const;
    void addState(Poco::Data::Session& session, Poco::Int64 snapshotId, const PortfolioState& state) const;

    /// The snapshots, newest first, and how many there are in all.
    [[nodiscard]] std::vector<SnapshotRow> list(Poco::Data::Session& session, std::size_t limit,
                                                std::size_t offset) const;
    [[nodiscard]] Poco::Int64 count(Poco::Data::Session& session) const;
    [[nodiscard]] std::optional<SnapshotRow> byId(Poco::Data::Session& session, Poco::Int64 id) const;
    [[nodiscard]] std::optional<SnapshotRow> byName(Poco::Data::Session& session, const std::string& name) const;
    [[nodiscard]] bool nameTaken(Poco::Data::Session& session, const std::string& name) const;
    [[nodiscard]] bool periodPublished(Poco::Data::Session& session, const std::string& period) const;
    /// The formats a snapshot was rendered in, in the order stored.
    [[nodiscard]] std::vector<std::string> formatsOf(Poco::Data::Session& session, Poco::Int64 snapshotId) const;
    [[nodiscard]] std::optional<RenderingRow> rendering(Poco::Data::Session& session, Poco::Int64 snapshotId,
                                                        const std::string& format) const;
    [[nodiscard]] PortfolioState state(Poco::Data::Session& session, const SnapshotRow& snapshot) const;
    /// One project's rows in every snapshot that has it, with the snapshot's row, oldest snapshot first.
    [[nodiscard]] std::vector<std::pair<SnapshotRow, ProjectStateRow>> projectHistory(Poco::Data::Session& session,
                                                                                      Poco::Int64 projectId) const;
    /// Deletes the snapshot and everything it holds; false when there was none.
    bool remove(Poco::Data::Session& session, Poco::Int64 id) const;

    /// The live rows a new state is made of (report::ReportService::captureState): every milestone
    /// (cancelled ones included) and every contribution with its partner's code, by id; and how many
    /// baselines each project has.
    [[nodiscard]] static std::vector<MilestoneStateRow> liveMilestones(Poco::Data::Session& session);
    [[nodiscard]] static std::vector<ContributionStateRow> liveContributions(Poco::Data::Session& session);
    [[nodiscard]] static std::map<Poco::Int64, Poco::Int64> baselineCounts(Poco::Data::Session& session);

private:
    std::string _lastInsertIdSql;
    Dialect _dialect;
};

} // namespace captrack::storage
