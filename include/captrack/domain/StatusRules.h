#pragma once

#include "captrack/domain/Date.h"
#include "captrack/domain/Vocabulary.h"

#include <Poco/Types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace captrack::domain
{

/// The four thresholds of computed health (settings `health.*`), in days.
struct HealthThresholds
{
    long redOverdueDays = 30;
    long redSlipDays = 90;
    long amberOverdueDays = 0;
    long amberSlipDays = 14;
};

/// What the status rules need of one milestone.
struct MilestoneFacts
{
    Poco::Int64 id = 0;
    std::string title;
    Date baseline = Date::fromDays(0);
    std::optional<Date> forecast;
    std::optional<Date> actual;
    MilestoneStatus status = MilestoneStatus::Planned;
    int progress = 0; ///< 0..100
    int weight = 1;

    [[nodiscard]] bool isDone() const { return status == MilestoneStatus::Done; }
    [[nodiscard]] bool isCancelled() const { return status == MilestoneStatus::Cancelled; }
    /// Neither done nor cancelled.
    [[nodiscard]] bool isOpen() const { return !isDone() && !isCancelled(); }
    /// forecast if set, else baseline.
    [[nodiscard]] Date due() const { return forecast ? *forecast : baseline; }
    /// asOf − due when not done and due < asOf, else 0.
    [[nodiscard]] long overdueDays(const Date& asOf) const;
    /// (actual if done, else due) − baseline; negative means early.
    [[nodiscard]] long slipDays() const;
};

/// The computed health of a project and the rules that fired.
struct HealthVerdict
{
    std::optional<Health> health; ///< none for a project whose status has no computed health
    std::vector<std::string> reasons;
};

/// The result of the status rules (docs/DOMAIN.md) over one project's milestones (cancelled ones ignored).
struct MilestoneRollup
{
    int total = 0;
    int done = 0;
    int overdue = 0;
    long maxSlipDays = 0;
    int progress = 0; ///< 0..100, weighted
    /// The open milestone due first (ties: lowest id); held by pointer so that a roll-up without one
    /// (every project of a large portfolio report) stays small.
    std::shared_ptr<const MilestoneFacts> next;
};

/// What computed health needs of a project's open milestones (neither done nor cancelled): the earliest
/// due date and the largest slip. StatusAccumulator keeps them as it folds milestones; the report roll-ups
/// keep them per project in the database (storage::RollupStore), so that a portfolio report judges a
/// project without reading its milestones. A value.
struct OpenMilestoneExtremes
{
    std::optional<Date> earliestDue; ///< none without open milestones
    std::optional<long> largestSlip; ///< none without open milestones

    /// Adds one open milestone.
    void add(const MilestoneFacts& open);
    /// The computed health (docs/DOMAIN.md) of a project in this status as of `asOf`: none for a status
    /// without one; red when an open milestone is overdue by more than the red threshold or has slipped
    /// more than the red one; else amber likewise; else green.
    [[nodiscard]] std::optional<Health> health(ProjectStatus projectStatus, const Date& asOf,
                                               const HealthThresholds& thresholds) const;
};

/// round(100 × weighted / weights), halves rounded up, in integers; 0 without weights. `weighted` is
/// Σ(weight × p) with p in percent (100 for a done milestone).
[[nodiscard]] int weightedProgress(long long weighted, long long weights);

/// Folds a project's milestones one at a time, in any order, into its computed health and roll-up,
/// so that large portfolios need not hold every milestone. Reasons come out ordered by milestone id.
/// Not thread-safe: one accumulator per project, used by one thread.
class StatusAccumulator
{
public:
    /// Without details the verdict has its health but no reasons, and the roll-up no next milestone:
    /// what a portfolio report needs, without a string per project.
    StatusAccumulator(const Date& asOf, const HealthThresholds& thresholds, bool details = true)
        : _asOf(asOf), _thresholds(thresholds), _details(details)
    {
    }

    /// Adds one milestone (cancelled ones are ignored).
    void add(const MilestoneFacts& m);
    /// The verdict for a project in this status (none for statuses without a computed health).
    /// Moves the reasons out: call once, last.
    [[nodiscard]] HealthVerdict takeVerdict(ProjectStatus projectStatus);
    /// Moves the next milestone out: call once, last.
    [[nodiscard]] MilestoneRollup takeRollup();

private:
    Date _asOf;
    HealthThresholds _thresholds;
    std::vector<std::pair<Poco::Int64, std::string>> _red, _amber;
    MilestoneRollup _rollup;
    OpenMilestoneExtremes _open;
    long long _weighted = 0, _weights = 0;
    bool _anySlip = false;
    bool _details = true;
};

/// True for the project statuses that have a computed health (pipeline, implementation, finalisation).
[[nodiscard]] bool hasComputedHealth(ProjectStatus projectStatus);

/// The declared health if set, else the computed one.
[[nodiscard]] std::optional<Health> effectiveHealth(const std::optional<Health>& declared,
                                                    const std::optional<Health>& computed);

/// The health's name, or "none" (the word reports, filters and group keys use for no health).
[[nodiscard]] std::string healthName(const std::optional<Health>& health);

} // namespace captrack::domain
