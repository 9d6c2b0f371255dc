#include "captrack/service/Webhooks.h"

#include "captrack/service/Crypto.h"
#include "captrack/service/RecordJson.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace captrack::service
{

namespace
{
void appendMember(std::string& out, const char* name, const Poco::Dynamic::Var& value)
{
    if (out.back() != '{')
        out += ',';
    appendJson(out, std::string(name));
    out += ':';
    appendJson(out, value);
}
} // namespace

void Webhooks::enqueue(Poco::Data::Session& session, domain::WebhookEvent event, std::optional<Poco::Int64> projectId,
                       const std::string& action, const std::string& dataJson, const std::string& at)
{
    enqueueFor(session, subscribers(session, event, projectId), event, projectId, action, dataJson, at);
}

std::vector<Poco::Int64> Webhooks::subscribers(Poco::Data::Session& session, domain::WebhookEvent event,
                                               std::optional<Poco::Int64> projectId)
{
    return storage::WebhookStore::subscribers(session, domain::nameText(event), projectId);
}

void Webhooks::enqueueFor(Poco::Data::Session& session, const std::vector<Poco::Int64>& endpoints,
                          domain::WebhookEvent event, std::optional<Poco::Int64> projectId, const std::string& action,
                          const std::string& dataJson, const std::string& at)
{
    if (endpoints.empty())
        return;
    // Due at once (0 is before any clock): the worker's next look sends it.
    storage::WebhookStore::enqueue(session, endpoints, {domain::nameText(event), action, projectId, dataJson, at, 0});
}

std::string Webhooks::body(const storage::WebhookDeliveryJob& job)
{
    std::string out = "{";
    appendMember(out, "id", job.id);
    appendMember(out, "event", job.event);
    appendMember(out, "action", job.action);
    appendMember(out, "occurred_at", job.occurredAt);
    appendMember(out, "project_id", job.projectId ? Poco::Dynamic::Var(*job.projectId) : Poco::Dynamic::Var());
    out += ",\"data\":" + job.data + "}";
    return out;
}

std::string Webhooks::signature(const std::string& secret, const std::string& timestamp, const std::string& body)
{
    const std::string signedText = timestamp + "." + body;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), digest, &length))
        throw Poco::RuntimeException("HMAC-SHA256 failed");
    return "sha256=" + hexOf(digest, length);
}

long Webhooks::retryDelaySeconds(int attemptsMade, const WebhookOptions& options)
{
    long delay = std::max(1L, options.retryBaseSeconds);
    for (int i = 1; i < attemptsMade && delay < options.retryCapSeconds; ++i)
        delay *= 2;
    return std::min(delay, std::max(1L, options.retryCapSeconds));
}

} // namespace captrack::service
