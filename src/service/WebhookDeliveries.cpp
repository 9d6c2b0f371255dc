#include "captrack/Errors.h"
#include "captrack/domain/TextRules.h"
#include "captrack/service/RecordJson.h"
#include "captrack/service/Webhooks.h"
#include "captrack/storage/InstanceName.h"
#include "captrack/storage/Transaction.h"

namespace captrack::service
{

namespace
{
/// What the log keeps of an answer: enough to see why an endpoint refused, never a whole page.
constexpr std::size_t RESPONSE_KEPT = 500;

std::string cut(const std::string& text)
{
    std::string kept = text.substr(0, RESPONSE_KEPT);
    // A cut inside a UTF-8 sequence becomes U+FFFD (displayableText), never invalid JSON.
    return domain::displayableText(kept);
}

Poco::Dynamic::Var orNull(const std::optional<std::string>& value)
{
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

Poco::Dynamic::Var orNull(const std::optional<Poco::Int64>& value)
{
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

Poco::JSON::Object::Ptr logItem(const storage::WebhookLogRow& row)
{
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", row.id);
    item->set("event", row.event);
    item->set("action", row.action);
    item->set("project_id", orNull(row.projectId));
    item->set("occurred_at", row.occurredAt);
    item->set("status", row.state);
    item->set("attempts", row.attempts);
    item->set("last_attempt_at", orNull(row.lastAttemptAt));
    item->set("last_status", orNull(row.lastStatus));
    item->set("last_response", orNull(row.lastResponse));
    item->set("delivered_at", orNull(row.deliveredAt));
    item->set("next_attempt_at", row.state == "pending" && row.nextAttemptAt > 0
                                     ? Poco::Dynamic::Var(domain::rfc3339(
                                           Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(row.nextAttemptAt))))
                                     : Poco::Dynamic::Var());
    return item;
}
} // namespace

WebhookDeliveries::WebhookDeliveries(storage::Database& database, const domain::Clock& clock, WebhookOptions options)
    : _database(database), _clock(clock), _options(options)
{
}

std::vector<storage::WebhookDeliveryJob> WebhookDeliveries::claimDue(int limit) const
{
    const Poco::Int64 now = _clock.now().epochTime();
    // Looked for outside a transaction: an idle server's every look is one read, never SQLite's write
    // lock. The claims then decide (a head another server took meanwhile is not claimed again).
    std::vector<Poco::Int64> heads;
    {
        auto pLease = _database.lease();
        heads = storage::WebhookStore::dueHeads(pLease->session(), now, limit);
    }
    if (heads.empty())
        return {};
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        std::vector<storage::WebhookDeliveryJob> jobs;
        auto& session = txn.session();
        for (const Poco::Int64 id : heads)
            if (storage::WebhookStore::claim(session, id, storage::instanceName(), now, now + _options.leaseSeconds))
                if (auto job = storage::WebhookStore::job(session, id))
                    jobs.push_back(std::move(*job));
        return jobs;
    });
}

void WebhookDeliveries::record(const storage::WebhookDeliveryJob& job, std::optional<int> httpStatus,
                               const std::string& response) const
{
    storage::WebhookAttempt attempt;
    attempt.at = _clock.nowText();
    attempt.httpStatus = httpStatus;
    attempt.response = cut(response);
    attempt.delivered = httpStatus && *httpStatus >= 200 && *httpStatus < 300;
    const int attempts = job.attempts + 1;
    attempt.givenUp = !attempt.delivered && attempts >= _options.maxAttempts;
    if (!attempt.delivered && !attempt.givenUp)
        attempt.nextAttemptAt = _clock.now().epochTime() + Webhooks::retryDelaySeconds(attempts, _options);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        storage::WebhookStore::recordAttempt(txn.session(), job.id, storage::instanceName(), attempt);
    });
}

std::string WebhookDeliveries::logJson(const domain::Principal& principal, Poco::Int64 webhookId, int limit,
                                       Poco::Int64 offset) const
{
    if (principal.role != domain::Role::Admin)
        throw ForbiddenError("only admins read webhook deliveries");
    auto pLease = _database.lease();
    auto& session = pLease->session();
    if (!storage::WebhookStore::exists(session, webhookId))
        throw NotFoundError("no webhook with id " + std::to_string(webhookId));
    const auto [rows, total] = storage::WebhookStore::log(session, webhookId, limit, offset);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& row : rows)
        items->add(logItem(row));
    Poco::JSON::Object::Ptr page = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    page->set("items", items);
    page->set("total", total);
    page->set("limit", limit);
    page->set("offset", offset);
    std::string out;
    appendJson(out, page);
    return out;
}

} // namespace captrack::service
