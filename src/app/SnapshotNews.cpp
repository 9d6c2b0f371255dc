#include "captrack/app/SnapshotNews.h"

#include "captrack/report/Renderers.h"
#include "captrack/service/Webhooks.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace captrack::app
{

namespace
{
constexpr std::size_t MAX_BODY_BYTES = 200 * 1024;

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
                        : "It is the first snapshot of this report: there is none before it to compare it with.\n";
        // A mail stays readable (and far below any column or packet limit): the rest is on the page.
        if (body.size() > MAX_BODY_BYTES)
            body =
                body.substr(0, body.rfind('\n', MAX_BODY_BYTES) + 1) + "\n(cut here: the whole list is on the page)\n";
        body += "\nThe snapshots, and what changed between any two: " + webBaseUrl + "/#/snapshots\n";
        (void)outbox.enqueueToReviewers(session, service::mailKind::SNAPSHOT, std::to_string(snapshot.id),
                                        subjectOf(snapshot, changes), body);
    };
}

report::SnapshotService::Published snapshotWebhook()
{
    return [](Poco::Data::Session& session, const storage::SnapshotRow& snapshot,
              const report::PortfolioChanges* changes) {
        using Var = Poco::Dynamic::Var;
        Poco::JSON::Object data(Poco::JSON_PRESERVE_KEY_ORDER);
        data.set("id", snapshot.id);
        data.set("name", snapshot.name);
        data.set("as_of", snapshot.asOf);
        data.set("group_by", snapshot.groupBy);
        data.set("filters", Poco::JSON::Parser().parse(snapshot.filters));
        data.set("published_at", snapshot.publishedAt);
        data.set("content_hash", snapshot.contentHash);
        data.set("schedule_period", snapshot.schedulePeriod ? Var(*snapshot.schedulePeriod) : Var());
        if (changes)
        {
            Poco::JSON::Object::Ptr counts = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            counts->set("since", changes->fromName);
            counts->set("health", static_cast<Poco::UInt64>(changes->health.size()));
            counts->set("projects", static_cast<Poco::UInt64>(changes->projects.size()));
            counts->set("milestones", static_cast<Poco::UInt64>(changes->milestones.size()));
            counts->set("contributions", static_cast<Poco::UInt64>(changes->contributions.size()));
            data.set("changes", counts);
        }
        else
            data.set("changes", Var());
        std::ostringstream json;
        data.stringify(json);
        service::Webhooks::enqueue(session, domain::WebhookEvent::SnapshotPublished, std::nullopt, "publish",
                                   json.str(), snapshot.publishedAt);
    };
}

} // namespace captrack::app
