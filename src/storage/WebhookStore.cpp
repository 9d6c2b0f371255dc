#include "captrack/storage/WebhookStore.h"

#include "Query.h"

namespace captrack::storage
{

std::vector<Poco::Int64> WebhookStore::subscribers(Poco::Data::Session& session, const std::string& event,
                                                   std::optional<Poco::Int64> projectId)
{
    Query query(session, "SELECT w.id FROM webhooks w JOIN webhook_subscriptions s ON s.webhook_id = w.id "
                         "WHERE w.active = 1 AND s.event = ? AND (w.project_id IS NULL OR w.project_id = ?) "
                         "ORDER BY w.id");
    query.bind(event).bind(projectId.value_or(0));
    std::vector<Poco::Int64> ids;
    while (query.next())
        ids.push_back(query.integer(0));
    return ids;
}

void WebhookStore::enqueue(Poco::Data::Session& session, const std::vector<Poco::Int64>& webhookIds,
                           const WebhookEventRow& event)
{
    for (const Poco::Int64 webhookId : webhookIds)
    {
        Query query(session, "INSERT INTO webhook_outbox (webhook_id, event, action, project_id, data, occurred_at, "
                             "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        query.bind(webhookId).bind(event.event).bind(event.action).bind(event.projectId).bind(event.data);
        query.bind(event.occurredAt).bind(event.dueAt).run();
    }
}

std::vector<Poco::Int64> WebhookStore::dueHeads(Poco::Data::Session& session, Poco::Int64 now, int limit)
{
    // The head of each endpoint's queue: its lowest pending row. A later row waits behind it, due or not.
    Query query(session, "SELECT o.id FROM webhook_outbox o WHERE o.pending = 1 AND o.next_attempt_at <= ? "
                         "AND (o.claimed_until IS NULL OR o.claimed_until < ?) AND o.id = (SELECT MIN(h.id) "
                         "FROM webhook_outbox h WHERE h.pending = 1 AND h.webhook_id = o.webhook_id) "
                         "ORDER BY o.next_attempt_at, o.id LIMIT ?");
    query.bind(now).bind(now).bind(Poco::Int64(limit));
    std::vector<Poco::Int64> ids;
    while (query.next())
        ids.push_back(query.integer(0));
    return ids;
}

bool WebhookStore::claim(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder, Poco::Int64 now,
                         Poco::Int64 until)
{
    Query query(session, "UPDATE webhook_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND pending = 1 "
                         "AND (claimed_until IS NULL OR claimed_until < ?)");
    query.bind(holder).bind(until).bind(id).bind(now);
    return query.run() == 1;
}

std::optional<WebhookDeliveryJob> WebhookStore::job(Poco::Data::Session& session, Poco::Int64 id)
{
    Query query(session, "SELECT o.id, o.webhook_id, w.url, w.secret, o.event, o.action, o.project_id, o.data, "
                         "o.occurred_at, o.attempts FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id "
                         "WHERE o.id = ?");
    query.bind(id);
    if (!query.next())
        return std::nullopt;
    WebhookDeliveryJob job;
    job.id = query.integer(0);
    job.webhookId = query.integer(1);
    job.url = query.text(2);
    job.secret = query.text(3);
    job.event = query.text(4);
    job.action = query.text(5);
    job.projectId = query.optionalInteger(6);
    job.data = query.text(7);
    job.occurredAt = query.text(8);
    job.attempts = static_cast<int>(query.integer(9));
    return job;
}

void WebhookStore::recordAttempt(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                                 const WebhookAttempt& attempt)
{
    const char* state = attempt.delivered ? "delivered" : attempt.givenUp ? "failed" : "pending";
    Query query(session, "UPDATE webhook_outbox SET attempts = attempts + 1, last_attempt_at = ?, last_status = ?, "
                         "last_response = ?, state = ?, pending = ?, delivered_at = ?, next_attempt_at = ?, "
                         "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?");
    query.bind(attempt.at);
    if (attempt.httpStatus)
        query.bind(*attempt.httpStatus);
    else
        query.bindNull();
    query.bind(attempt.response).bind(state).bind(Poco::Int64(std::string(state) == "pending" ? 1 : 0));
    if (attempt.delivered)
        query.bind(attempt.at);
    else
        query.bindNull();
    query.bind(attempt.nextAttemptAt).bind(id).bind(holder).run();
}

std::pair<std::vector<WebhookLogRow>, Poco::Int64> WebhookStore::log(Poco::Data::Session& session,
                                                                     Poco::Int64 webhookId, int limit,
                                                                     Poco::Int64 offset)
{
    Query count(session, "SELECT COUNT(*) FROM webhook_outbox WHERE webhook_id = ?");
    count.bind(webhookId);
    const Poco::Int64 total = count.single();
    Query query(session, "SELECT id, event, action, project_id, occurred_at, state, attempts, last_attempt_at, "
                         "last_status, last_response, delivered_at, next_attempt_at FROM webhook_outbox "
                         "WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?");
    query.bind(webhookId).bind(Poco::Int64(limit)).bind(offset);
    std::vector<WebhookLogRow> rows;
    while (query.next())
    {
        WebhookLogRow row;
        row.id = query.integer(0);
        row.event = query.text(1);
        row.action = query.text(2);
        row.projectId = query.optionalInteger(3);
        row.occurredAt = query.text(4);
        row.state = query.text(5);
        row.attempts = static_cast<int>(query.integer(6));
        row.lastAttemptAt = query.optionalText(7);
        row.lastStatus = query.optionalInteger(8);
        row.lastResponse = query.optionalText(9);
        row.deliveredAt = query.optionalText(10);
        row.nextAttemptAt = query.integer(11);
        rows.push_back(std::move(row));
    }
    return {std::move(rows), total};
}

bool WebhookStore::exists(Poco::Data::Session& session, Poco::Int64 webhookId)
{
    Query query(session, "SELECT COUNT(*) FROM webhooks WHERE id = ?");
    query.bind(webhookId);
    return query.single() > 0;
}

} // namespace captrack::storage
