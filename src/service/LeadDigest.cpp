#include "captrack/service/LeadDigest.h"

#include "captrack/domain/Principal.h"
#include "captrack/service/MailOutbox.h"

#include <Poco/Logger.h>

#include <set>

namespace captrack::service
{

std::size_t DigestContent::milestoneCount() const
{
    std::set<Poco::Int64> ids;
    for (const auto* list : {&overdue, &dueSoon})
        for (const auto& item : *list)
            ids.insert(domain::recordId(item.milestone));
    for (const auto& item : slipped)
        ids.insert(item.milestone.milestoneId);
    return ids.size();
}

LeadDigest::LeadDigest(storage::Database& database, const domain::Clock& clock, const LeadWorklist& worklist,
                       std::string webBaseUrl)
    : _database(database), _clock(clock), _worklist(worklist), _webBaseUrl(std::move(webBaseUrl))
{
}

DigestContent LeadDigest::content(const storage::MailRecipientRow& lead, const DigestPeriod& period) const
{
    DigestContent digest;
    digest.asOf = _clock.today();
    digest.since = domain::rfc3339(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(period.previousStart)));
    // The worklist of the lead as the lead's own GET /me/needs-update computes it. The principal is
    // the server acting for the lead on its schedule: CommandLine, the credential of a user named by the
    // operator, which the worklist does not look at.
    const domain::Principal principal{lead.userId, lead.username, lead.role, std::nullopt,
                                      domain::Credential::CommandLine};
    WorklistWindow window = _worklist.defaults();
    window.staleDays = WorklistWindow::MAX_STALE_DAYS; // untouched alone is no reason to mail
    digest.lookAheadDays = window.lookAheadDays;
    for (auto& item : _worklist.needsUpdate(principal, digest.asOf, window).items)
    {
        const UpdateReason first = item.reasons.front();
        if (first == UpdateReason::Overdue)
            digest.overdue.push_back(std::move(item));
        else if (first == UpdateReason::DueSoon)
            digest.dueSoon.push_back(std::move(item));
    }
    digest.slipped = slipped(lead.userId, period);
    return digest;
}

std::vector<SlippedMilestone> LeadDigest::slipped(Poco::Int64 leadUserId, const DigestPeriod& period) const
{
    auto pLease = _database.lease();
    auto& session = pLease->session();
    const std::string since =
        domain::rfc3339(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(period.previousStart)));
    const auto before = storage::MailStore::dueDaysAt(session, leadUserId, since);
    std::vector<SlippedMilestone> out;
    for (auto& milestone : storage::MailStore::openMilestonesOfLead(session, leadUserId))
    {
        const auto then = before.find(milestone.milestoneId);
        if (then == before.end())
            continue;
        const auto dueThen = domain::Date::parse(then->second);
        const auto dueNow = domain::Date::parse(milestone.due);
        if (dueThen && dueNow && dueNow->daysSince(*dueThen) > 0)
            out.push_back({std::move(milestone), then->second, dueNow->daysSince(*dueThen)});
    }
    return out;
}

std::size_t LeadDigest::queueAll(const DigestPeriod& period) const
{
    const MailOutbox outbox(_clock, true);
    std::vector<storage::MailRecipientRow> leads;
    {
        auto pLease = _database.lease();
        leads = storage::MailStore::recipients(pLease->session(), std::nullopt, true);
    }
    std::size_t queued = 0;
    for (const auto& lead : leads)
    {
        if (lead.role == domain::Role::Partner)
            continue; // partners lead nothing (AccessPolicy::checkOwnWorklist)
        const auto digest = mail(lead, content(lead, period));
        if (!digest)
            continue;
        auto pLease = _database.lease();
        if (outbox.enqueue(pLease->session(), lead.userId, mailKind::DIGEST, period.key, digest->subject, digest->body))
            ++queued;
    }
    return queued;
}

} // namespace captrack::service
