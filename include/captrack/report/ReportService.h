#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/ReportGate.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/SnapshotStore.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// The filters and options of a portfolio report, as parsed from the request.
struct PortfolioRequest
{
    std::map<std::string, std::vector<std::string>> filters; ///< kind, status, framework, partner, ...
    Grouping groupBy = Grouping::Status;
    std::optional<domain::Date> asOf;       ///< default: today
    std::size_t listLimit = MAX_LIST_LIMIT; ///< items in `overdue` and in `due_soon`, 0..MAX_LIST_LIMIT

    /// The most items `overdue` and `due_soon` each hold (the totals count them all).
    static constexpr std::size_t MAX_LIST_LIMIT = 1000;
    bool includeProjects = false; ///< each project's milestones too (the HTML timelines, a workbook's Projects)
};

/// Status summaries and portfolio reports over what the principal may see (partners: only their
/// own amounts). Every report is a fixed handful of set-based queries, on a database session held
/// only while they run: a summary reads its project's milestones (PortfolioLoader), a portfolio report
/// the report roll-ups (RollupTableLoader; RollupLoader for the HTML report's timelines). Portfolio reports, whose cost
/// grows with the portfolio, need a permit of the service's ReportGate (ReportLimits); summaries, one project each, do
/// not. Safe for concurrent use.
class ReportService
{
public:
    ReportService(storage::Database& database, const domain::Clock& clock, domain::HealthThresholds thresholds,
                  const ReportLimits& limits = {});
    ReportService(const ReportService&) = delete;
    ReportService& operator=(const ReportService&) = delete;

    /// Admits one costly build (a portfolio report; also other reports over many projects, such as
    /// a mission's impact); hold the permit until the answer is rendered. OverloadedError (503 with
    /// Retry-After) when as many builds as the limit are running.
    [[nodiscard]] ReportGate::Permit admit() const;
    /// Deletes report permits left by servers that died (housekeeping); returns how many.
    std::size_t purgeExpiredPermits() const;

    /// NotFoundError for a project that does not exist or that the principal may not see.
    [[nodiscard]] StatusSummary summary(const domain::Principal& principal, Poco::Int64 projectId,
                                        std::optional<domain::Date> asOf) const;
    /// The grouping named `text` (the `group_by` query parameter); BadRequestError for another name.
    [[nodiscard]] static Grouping grouping(const std::string& text);

    /// BadRequestError for an unknown filter or filter value, or a listLimit over
    /// PortfolioRequest::MAX_LIST_LIMIT: what portfolio() refuses, checked without the database, so that
    /// a bad request is a 400 before it takes a permit (and a 400 even while every permit is taken).
    void check(const PortfolioRequest& request) const;
    /// Builds under a permit from admit(). BadRequestError as check().
    [[nodiscard]] PortfolioReport portfolio(const ReportGate::Permit& permit, const domain::Principal& principal,
                                            const PortfolioRequest& request) const;

    /// The filter names a portfolio report accepts.
    [[nodiscard]] static const std::vector<std::string>& filterNames();

    /// What publishing a snapshot renders and keeps, read from one database snapshot: the portfolio
    /// report with each project's timeline, and the state it was built from (captureState).
    struct Capture
    {
        PortfolioReport report;
        storage::PortfolioState state;
    };
    /// Under a permit from admit(). BadRequestError as check().
    [[nodiscard]] Capture capture(const ReportGate::Permit& permit, const domain::Principal& principal,
                                  const PortfolioRequest& request) const;
    /// The state alone, as capture() reads it (what changed since a snapshot, up to now).
    [[nodiscard]] storage::PortfolioState currentState(const ReportGate::Permit& permit,
                                                       const domain::Principal& principal,
                                                       const PortfolioRequest& request) const;

private:
    /// The report of portfolio(), on the caller's read snapshot; `loaded` is how many projects it built on.
    [[nodiscard]] PortfolioReport build(Poco::Data::Session& session, const domain::Principal& principal,
                                        const PortfolioRequest& request, std::size_t& loaded) const;
    /// The projects the report of `request` is over (its filters, the principal's visibility), each judged
    /// at its date by the status rules, with every milestone (cancelled ones too) and contribution of
    /// those projects and their baseline counts; on the caller's read snapshot.
    [[nodiscard]] storage::PortfolioState captureState(Poco::Data::Session& session, const domain::Principal& principal,
                                                       const PortfolioRequest& request) const;
    /// The load a portfolio report runs (without the health filter, applied after the load); the health
    /// values to keep go to `healthFilter` (none: no health). BadRequestError as check().
    [[nodiscard]] PortfolioQuery queryFor(const PortfolioRequest& request,
                                          std::vector<std::optional<domain::Health>>& healthFilter) const;
    /// A portfolio report with each project's timeline (the HTML report), from RollupLoader's projects;
    /// `loaded` is how many it built on.
    [[nodiscard]] static PortfolioReport withTimelines(Poco::Data::Session& session, const domain::Principal& principal,
                                                       const PortfolioQuery& query,
                                                       const std::vector<std::optional<domain::Health>>& healthFilter,
                                                       const PortfolioReportInput& input, std::size_t& loaded);
    /// The display names of the group keys (none for a grouping by a closed set).
    [[nodiscard]] static std::map<std::string, std::string> labelsFor(Poco::Data::Session& session, Grouping groupBy);

    storage::Database& _database;
    const domain::Clock& _clock;
    domain::HealthThresholds _thresholds;
    PortfolioLoader _loader;
    mutable ReportGate _gate; ///< thread-safe
};

} // namespace captrack::report
