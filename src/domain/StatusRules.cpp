#include "captrack/domain/StatusRules.h"

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

bool hasComputedHealth(const std::string& projectStatus)
{
    return projectStatus == "pipeline" || projectStatus == "implementation" || projectStatus == "finalisation";
}

namespace
{
std::string label(const MilestoneFacts& m)
{
    return "M-" + std::to_string(m.id) + " '" + m.title + "'";
}
} // namespace

HealthVerdict computeHealth(const std::string& projectStatus, const std::vector<MilestoneFacts>& milestones,
                            const Date& asOf, const HealthThresholds& thresholds)
{
    HealthVerdict verdict;
    if (!hasComputedHealth(projectStatus))
        return verdict;
    std::vector<std::string> red, amber;
    for (const auto& m : milestones)
    {
        if (!m.isOpen())
            continue;
        const long overdue = m.overdueDays(asOf);
        const long slip = m.slipDays();
        // Each milestone is named once per rule kind, at the most severe level it reaches.
        if (overdue > thresholds.redOverdueDays)
            red.push_back(label(m) + " overdue " + std::to_string(overdue) + " days");
        else if (overdue > thresholds.amberOverdueDays)
            amber.push_back(label(m) + " overdue " + std::to_string(overdue) + " days");
        if (slip > thresholds.redSlipDays)
            red.push_back(label(m) + " slipped " + std::to_string(slip) + " days");
        else if (slip > thresholds.amberSlipDays)
            amber.push_back(label(m) + " slipped " + std::to_string(slip) + " days");
    }
    verdict.health = !red.empty() ? "red" : !amber.empty() ? "amber" : "green";
    verdict.reasons = red;
    verdict.reasons.insert(verdict.reasons.end(), amber.begin(), amber.end());
    return verdict;
}

MilestoneRollup rollUp(const std::vector<MilestoneFacts>& milestones, const Date& asOf)
{
    MilestoneRollup rollup;
    long long weighted = 0, weights = 0;
    bool anySlip = false;
    for (const auto& m : milestones)
    {
        if (m.isCancelled())
            continue;
        ++rollup.total;
        weights += m.weight;
        weighted += static_cast<long long>(m.weight) * (m.isDone() ? 100 : m.progress);
        const long slip = m.slipDays();
        rollup.maxSlipDays = anySlip ? std::max(rollup.maxSlipDays, slip) : slip;
        anySlip = true;
        if (m.isDone())
        {
            ++rollup.done;
            continue;
        }
        if (m.overdueDays(asOf) > 0)
            ++rollup.overdue;
        if (!rollup.next || m.due() < rollup.next->due() || (m.due() == rollup.next->due() && m.id < rollup.next->id))
            rollup.next = m;
    }
    // round(100 × Σ(weight × p) / Σ weight), halves rounded up, in integers.
    rollup.progress = weights == 0 ? 0 : static_cast<int>((2 * weighted + weights) / (2 * weights));
    return rollup;
}

Health effectiveHealth(const Health& declared, const Health& computed)
{
    return declared ? declared : computed;
}

} // namespace captrack::domain
