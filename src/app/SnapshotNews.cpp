#include "captrack/app/SnapshotNews.h"

#include "captrack/report/Renderers.h"

namespace captrack::app
{

namespace
{
std::string subjectOf(const storage::SnapshotRow& snapshot, const report::PortfolioChanges* changes)
{
    std::string subject = "captrack: snapshot \"" + snapshot.name + "\" published";
    if (!changes)
        return subject;
    std::size_t overdue = 0;
    for (const auto& milestone : changes->milestones)
        overdue += milestone.change == "newly_overdue" ? 1 : 0;
    return subject + ": " + std::to_string(changes->health.size()) + " health changes, " + std::to_string(overdue) +
           " milestones newly overdue since \"" + changes->fromName + "\"";
}
} // namespace

report::SnapshotService::Published mailToReviewers(const service::MailOutbox& outbox, std::string webBaseUrl)
{
    return [&outbox, webBaseUrl](Poco::Data::Session& session, const storage::SnapshotRow& snapshot,
                                 const report::PortfolioChanges* changes) {
        std::string body = "The portfolio report was published as the snapshot \"" + snapshot.name + "\" (as of " +
                           snapshot.asOf + ").\n\n";
        body += changes ? report::renderChanges(*changes, report::ReportFormat::Markdown).body
                        : "It is the first snapshot: there is none before it to compare it with.\n";
        body += "\nThe snapshots, and what changed between any two: " + webBaseUrl + "/#/snapshots\n";
        (void)outbox.enqueueToReviewers(session, service::mailKind::SNAPSHOT, std::to_string(snapshot.id),
                                        subjectOf(snapshot, changes), body);
    };
}

} // namespace captrack::app
