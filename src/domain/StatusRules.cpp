#include "captrack/domain/StatusRules.h"

#include <algorithm>

namespace captrack::domain
{

long MilestoneFacts::overdueDays(const Date& asOf) const
{
    const Date d = due();
    return !isDone() && d < asOf ? asOf.daysSince(d) : 0;
}

long MilestoneFacts::slipDays() const
{
    return (isDone() && actual ? *actual : due()).daysSince(baseline);
}

bool hasComputedHealth(ProjectStatus projectStatus)
{
    return projectStatus == ProjectStatus::Pipeline || projectStatus == ProjectStatus::Implementation ||
           projectStatus == ProjectStatus::Finalisation;
}

namespace
{
std::string label(const MilestoneFacts& m)
{
    return "M-" + std::to_string(m.id) + " '" + m.title + "'";
}
} // namespace

void StatusAccumulator::add(const MilestoneFacts& m)
{
    if (m.isCancelled())
        return;
    const long slip = m.slipDays();
    ++_rollup.total;
    _weights += m.weight;
    _weighted += static_cast<long long>(m.weight) * (m.isDone() ? 100 : m.progress);
    _rollup.maxSlipDays = _anySlip ? std::max(_rollup.maxSlipDays, slip) : slip;
    _anySlip = true;
    if (m.isDone())
    {
        ++_rollup.done;
        return;
    }
    const long overdue = m.overdueDays(_asOf);
    if (overdue > 0)
        ++_rollup.overdue;
    _open.add(m);
    if (!_details)
        return;
    if (!_rollup.next || m.due() < _rollup.next->due() || (m.due() == _rollup.next->due() && m.id < _rollup.next->id))
        _rollup.next = std::make_shared<const MilestoneFacts>(m);
    // Each open milestone is named once per rule kind, at the most severe level it reaches.
    if (overdue > _thresholds.redOverdueDays)
        _red.emplace_back(m.id, label(m) + " overdue " + std::to_string(overdue) + " days");
    else if (overdue > _thresholds.amberOverdueDays)
        _amber.emplace_back(m.id, label(m) + " overdue " + std::to_string(overdue) + " days");
    if (slip > _thresholds.redSlipDays)
        _red.emplace_back(m.id, label(m) + " slipped " + std::to_string(slip) + " days");
    else if (slip > _thresholds.amberSlipDays)
        _amber.emplace_back(m.id, label(m) + " slipped " + std::to_string(slip) + " days");
}

HealthVerdict StatusAccumulator::takeVerdict(ProjectStatus projectStatus)
{
    HealthVerdict verdict;
    verdict.health = _open.health(projectStatus, _asOf, _thresholds);
    if (!verdict.health)
        return verdict;
    for (auto* level : {&_red, &_amber})
    {
        // Stable: a milestone's overdue reason stays before its slip reason.
        std::stable_sort(level->begin(), level->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [id, reason] : *level)
            verdict.reasons.push_back(std::move(reason));
        std::vector<std::pair<Poco::Int64, std::string>>().swap(*level);
    }
    return verdict;
}

MilestoneRollup StatusAccumulator::takeRollup()
{
    MilestoneRollup out = std::move(_rollup);
    out.progress = weightedProgress(_weighted, _weights);
    return out;
}

void OpenMilestoneExtremes::add(const MilestoneFacts& open)
{
    const Date due = open.due();
    const long slip = open.slipDays();
    earliestDue = earliestDue ? std::min(*earliestDue, due) : due;
    largestSlip = largestSlip ? std::max(*largestSlip, slip) : slip;
}

std::optional<Health> OpenMilestoneExtremes::health(ProjectStatus projectStatus, const Date& asOf,
                                                    const HealthThresholds& thresholds) const
{
    if (!hasComputedHealth(projectStatus))
        return std::nullopt;
    if (!earliestDue || !largestSlip)
        return Health::Green;
    // Overdue days fall as the due date moves later, so the earliest due date is the most overdue.
    const long overdue = *earliestDue < asOf ? asOf.daysSince(*earliestDue) : 0;
    const long slip = *largestSlip;
    if (overdue > thresholds.redOverdueDays || slip > thresholds.redSlipDays)
        return Health::Red;
    if (overdue > thresholds.amberOverdueDays || slip > thresholds.amberSlipDays)
        return Health::Amber;
    return Health::Green;
}

int weightedProgress(long long weighted, long long weights)
{
    // round(100 × Σ(weight × p) / Σ weight) with p in percent already: halves round up.
    return weights == 0 ? 0 : static_cast<int>((2 * weighted + weights) / (2 * weights));
}

std::optional<Health> effectiveHealth(const std::optional<Health>& declared, const std::optional<Health>& computed)
{
    return declared ? declared : computed;
}

std::string healthName(const std::optional<Health>& health)
{
    return health ? nameText(*health) : std::string("none");
}

} // namespace captrack::domain
