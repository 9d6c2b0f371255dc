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
    if (!_details)
    {
        _anyRed = _anyRed || overdue > _thresholds.redOverdueDays || slip > _thresholds.redSlipDays;
        _anyAmber = _anyAmber || overdue > _thresholds.amberOverdueDays || slip > _thresholds.amberSlipDays;
        return;
    }
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
    if (!hasComputedHealth(projectStatus))
        return verdict;
    const bool red = _anyRed || !_red.empty(), amber = _anyAmber || !_amber.empty();
    verdict.health = red ? Health::Red : amber ? Health::Amber : Health::Green;
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
    // round(100 × Σ(weight × p) / Σ weight), halves rounded up, in integers.
    out.progress = _weights == 0 ? 0 : static_cast<int>((2 * _weighted + _weights) / (2 * _weights));
    return out;
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
