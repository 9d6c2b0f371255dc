#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// An event to add to the outbox of each subscribed endpoint.
struct WebhookEventRow
{
    std::string event;  ///< domain::WebhookEvent's name
    std::string action; ///< create, update, delete; "publish" for a snapshot; "change" for health
    std::optional<Poco::Int64> projectId;
    std::string data;       ///< the payload's `data`, JSON text
    std::string occurredAt; ///< RFC 3339 UTC
    Poco::Int64 dueAt = 0;  ///< Unix seconds of the first attempt
};

/// One outbox row as the worker sends it, with its endpoint's address and secret.
struct WebhookDeliveryJob
{
    Poco::Int64 id = 0;
    Poco::Int64 webhookId = 0;
    std::string url;
    std::string secret;
    std::string event;
    std::string action;
    std::optional<Poco::Int64> projectId;
    std::string data;
    std::string occurredAt;
    int attempts = 0; ///< attempts made before this one
};

/// What one attempt came to.
struct WebhookAttempt
{
    std::string at;                ///< RFC 3339 UTC
    std::optional<int> httpStatus; ///< none when no answer came (refused, timed out)
    std::string response;          ///< the answer's start, or why none came
    bool delivered = false;        ///< a 2xx answer
    bool givenUp = false;          ///< not delivered and no attempt left: the queue moves on
    Poco::Int64 nextAttemptAt = 0; ///< Unix seconds, when neither delivered nor given up
};

/// One row of an endpoint's delivery log.
struct WebhookLogRow
{
    Poco::Int64 id = 0;
    std::string event;
    std::string action;
    std::optional<Poco::Int64> projectId;
    std::string occurredAt;
    std::string state; ///< pending, delivered, failed
    int attempts = 0;
    std::optional<std::string> lastAttemptAt;
    std::optional<Poco::Int64> lastStatus;
    std::optional<std::string> lastResponse;
    std::optional<std::string> deliveredAt;
    Poco::Int64 nextAttemptAt = 0;
};

/// Tables `webhooks`, `webhook_subscriptions` and `webhook_outbox` (migration 010), apart from what
/// RecordStore does for the `webhooks` resource. Each call runs on the caller's session, in its
/// transaction. Stateless: safe for concurrent use. Driver errors propagate.
///
/// Order and exclusion: an endpoint's pending rows are sent in id order, one at a time: only the lowest
/// pending row of an endpoint (its head) is ever claimed, and a claim is one conditional UPDATE of that
/// row's lease (claimed_by, claimed_until), so two servers never hold it at once.
class WebhookStore
{
public:
    /// The active endpoints subscribed to the event and, when they name a project, to this one (an event
    /// of no project reaches only endpoints that name none).
    [[nodiscard]] static std::vector<Poco::Int64> subscribers(Poco::Data::Session& session, const std::string& event,
                                                              std::optional<Poco::Int64> projectId);
    /// Adds the event to the outbox of each endpoint.
    static void enqueue(Poco::Data::Session& session, const std::vector<Poco::Int64>& webhookIds,
                        const WebhookEventRow& event);
    /// Up to `limit` heads due at `now` (Unix seconds) that nobody holds, the earliest due first.
    [[nodiscard]] static std::vector<Poco::Int64> dueHeads(Poco::Data::Session& session, Poco::Int64 now, int limit);
    /// Takes the row's lease until `until` when nobody holds it at `now` and it is still pending; true if taken.
    [[nodiscard]] static bool claim(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                                    Poco::Int64 now, Poco::Int64 until);
    /// The claimed row with its endpoint's url and secret.
    [[nodiscard]] static std::optional<WebhookDeliveryJob> job(Poco::Data::Session& session, Poco::Int64 id);
    /// Records an attempt and gives the lease back (only the holder's: a lease that ran out and was taken
    /// by another server is left to it).
    static void recordAttempt(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                              const WebhookAttempt& attempt);
    /// A page of the endpoint's delivery log, newest first, and how many rows it has.
    [[nodiscard]] static std::pair<std::vector<WebhookLogRow>, Poco::Int64> log(Poco::Data::Session& session,
                                                                                Poco::Int64 webhookId, int limit,
                                                                                Poco::Int64 offset);
    /// Whether the endpoint exists.
    [[nodiscard]] static bool exists(Poco::Data::Session& session, Poco::Int64 webhookId);
};

} // namespace captrack::storage
