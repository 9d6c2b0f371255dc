#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/WebhookStore.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::service
{

/// Settings `webhooks.*` (etc/captrack.properties; docs/HTTP.md "Webhooks").
struct WebhookOptions
{
    bool deliver = true;         ///< whether this server sends (another server on the database may)
    long retryBaseSeconds = 10;  ///< the wait after the first failed attempt, doubled after each next one
    long retryCapSeconds = 3600; ///< the longest wait between two attempts
    int maxAttempts = 20;        ///< then the event is marked failed and the endpoint's next one is sent
    long timeoutMs = 5000;       ///< to connect, and to wait for the answer
    long pollMs = 1000;          ///< how often each server looks for events due
    long leaseSeconds = 60;      ///< how long a server holds an event it is sending (more than 2 timeouts)
};

/// The outbox side of webhooks: adds events in the caller's transaction, so that an event is stored if
/// and only if the change that made it is (a crash loses none). Stateless; thread-safe.
class Webhooks
{
public:
    /// Adds the event to the outbox of every active endpoint subscribed to it (and to its project, when the
    /// endpoint names one; an event of no project reaches only endpoints that name none), in the caller's
    /// transaction on `session`. `dataJson` is the payload's `data`: JSON text of only what a reviewer may
    /// read. `action` says what happened (create, update, delete, change, publish). `at` is RFC 3339 UTC.
    /// One statement when nobody subscribes. The call the snapshot publisher makes for
    /// `snapshot.published`.
    static void enqueue(Poco::Data::Session& session, domain::WebhookEvent event, std::optional<Poco::Int64> projectId,
                        const std::string& action, const std::string& dataJson, const std::string& at);
    /// The endpoints that enqueue() would add the event for (so that a caller builds a payload only when
    /// there are some).
    [[nodiscard]] static std::vector<Poco::Int64> subscribers(Poco::Data::Session& session, domain::WebhookEvent event,
                                                              std::optional<Poco::Int64> projectId);
    /// enqueue() for these endpoints (subscribers() of the same event and project).
    static void enqueueFor(Poco::Data::Session& session, const std::vector<Poco::Int64>& endpoints,
                           domain::WebhookEvent event, std::optional<Poco::Int64> projectId, const std::string& action,
                           const std::string& dataJson, const std::string& at);

    /// The body sent for an outbox row: {"id", "event", "action", "occurred_at", "project_id", "data"}.
    [[nodiscard]] static std::string body(const storage::WebhookDeliveryJob& job);
    /// `sha256=` and the lower-case hex HMAC-SHA256, keyed with the secret, of "<timestamp>.<body>".
    [[nodiscard]] static std::string signature(const std::string& secret, const std::string& timestamp,
                                               const std::string& body);
    /// The wait before the next attempt after `attemptsMade` failed ones: base × 2^(attempts−1), capped.
    [[nodiscard]] static long retryDelaySeconds(int attemptsMade, const WebhookOptions& options);
};

/// The delivery side: which events are due, what each attempt came to, and the log admins read. Every
/// server sharing the database runs the same; a claim (storage::WebhookStore::claim) makes one of them
/// send each event. Stateless apart from references to thread-safe objects: safe for concurrent use.
class WebhookDeliveries
{
public:
    WebhookDeliveries(storage::Database& database, const domain::Clock& clock, WebhookOptions options);
    WebhookDeliveries(const WebhookDeliveries&) = delete;
    WebhookDeliveries& operator=(const WebhookDeliveries&) = delete;

    /// Claims up to `limit` events due now for this server (at most one per endpoint: its oldest pending).
    [[nodiscard]] std::vector<storage::WebhookDeliveryJob> claimDue(int limit) const;
    /// Records an attempt at a claimed event: delivered on a 2xx; else retried after the backoff, or marked
    /// failed after the last attempt. `response` is cut to 500 bytes of displayable text.
    void record(const storage::WebhookDeliveryJob& job, std::optional<int> httpStatus,
                const std::string& response) const;
    /// The endpoint's delivery log as a page {"items", "total", "limit", "offset"}, newest first.
    /// ForbiddenError for anyone but an admin; NotFoundError for no such endpoint.
    [[nodiscard]] std::string logJson(const domain::Principal& principal, Poco::Int64 webhookId, int limit,
                                      Poco::Int64 offset) const;
    [[nodiscard]] const WebhookOptions& options() const { return _options; }
    [[nodiscard]] const domain::Clock& clock() const { return _clock; }

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    WebhookOptions _options;
};

} // namespace captrack::service
