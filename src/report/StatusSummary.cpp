#include "captrack/report/StatusSummary.h"

#include <map>
#include <set>
#include <sstream>

namespace captrack::report
{

namespace
{
std::string upper(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string summaryText(const ProjectFacts& p, const domain::Date& asOf, Poco::Int64 pledged, Poco::Int64 committed,
                        Poco::Int64 delivered, std::size_t partners)
{
    std::ostringstream text;
    text << p.code << " '" << p.title << "' ";
    if (p.effective)
        text << "is " << upper(domain::nameText(*p.effective)) << " as of " << asOf.toString();
    else
        text << "is " << domain::nameOf(p.status) << " (no health is computed for " << domain::nameOf(p.status)
             << " projects) as of " << asOf.toString();
    if (p.declared)
        text << " (declared " << domain::nameOf(*p.declared) << ": " << p.declaredReason << "; computed "
             << domain::healthName(p.computed.health) << ")";
    text << ". Progress " << p.rollup.progress << "% with " << p.rollup.done << " of " << p.rollup.total
         << " milestones done";
    if (p.rollup.overdue > 0)
        text << ", " << p.rollup.overdue << " overdue";
    text << ".";
    if (!p.computed.reasons.empty())
        text << " " << p.computed.reasons.front() << (p.computed.reasons.size() > 1 ? " (and more)." : ".");
    if (p.rollup.next)
        text << " Next: '" << p.rollup.next->title << "' due " << p.rollup.next->due().toString() << ".";
    if (p.rollup.maxSlipDays > 0)
        text << " Largest slip " << p.rollup.maxSlipDays << " days.";
    text << " Contributions: " << euros(committed) << " committed, " << euros(delivered) << " delivered and "
         << euros(pledged) << " pledged, from " << partners << (partners == 1 ? " partner." : " partners.");
    if (!p.missions.empty())
    {
        text << " Supports";
        for (std::size_t i = 0; i < p.missions.size(); ++i)
            text << (i == 0 ? " " : ", ") << p.missions[i];
        text << ".";
    }
    return text.str();
}
} // namespace

std::string euros(Poco::Int64 amount)
{
    std::string digits = std::to_string(amount < 0 ? -amount : amount);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return std::string(amount < 0 ? "-" : "") + "€" + digits;
}

ContributionRollup contributionRollup(const std::vector<ContributionFacts>& contributions)
{
    ContributionRollup out;
    std::set<Poco::Int64> partners;
    std::map<std::string, std::set<Poco::Int64>> byFramework;
    for (const auto& c : contributions)
    {
        partners.insert(c.partnerId);
        byFramework[c.framework].insert(c.partnerId);
        if (!c.amountVisible)
            continue;
        out.euros.add(c);
        out.personMonths += c.personMonths;
    }
    out.partners = static_cast<Poco::Int64>(partners.size());
    for (const auto& [framework, ids] : byFramework)
        out.partnersByFramework[framework] = static_cast<Poco::Int64>(ids.size());
    return out;
}

StatusSummary buildStatusSummary(const ProjectFacts& p, const domain::Date& asOf)
{
    StatusSummary out;
    out.projectId = p.id;
    out.projectCode = p.code;
    out.projectTitle = p.title;
    out.projectStatus = p.status;
    out.asOf = asOf;
    out.computed = p.computed.health;
    out.healthReasons = p.computed.reasons;
    out.declared = p.declared;
    out.declaredReason = p.declaredReason;
    out.effective = p.effective;
    out.progress = p.rollup.progress;
    out.milestones = p.rollup;
    out.milestones.next.reset();
    if (p.rollup.next)
        out.nextMilestone = NextMilestone{p.rollup.next->id, p.rollup.next->title, p.rollup.next->due()};
    out.contributions = contributionRollup(p.contributions);
    out.missions = p.missions;
    const auto& sums = out.contributions;
    out.text = summaryText(p, asOf, sums.euros.pledged, sums.euros.committed, sums.euros.delivered,
                           static_cast<std::size_t>(sums.partners));
    return out;
}

} // namespace captrack::report
