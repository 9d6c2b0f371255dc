#pragma once

// The fixture of the webhook tests (WebhookDeliveryTest, WebhookEventsTest): the real server with its own
// worker off, a worker the test runs (app::WebhookWorker::runOnce) and a local receiver, so that every
// step is in the test's hands and the clock is the server's fixed one.

#include "ApiAssertions.h"
#include "WebhookReceiver.h"

#include "captrack/app/WebhookWorker.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <optional>
#include <string>

namespace captrack::test::webhooks
{

using namespace captrack::test::api;

inline const std::string SECRET = "a-webhook-secret-0123456789";

/// Poco's HMACEngine needs the block and digest sizes that SHA2Engine lacks (shared/reference/toolchain.md).
struct Sha256Engine : Poco::SHA2Engine
{
    enum
    {
        BLOCK_SIZE = 64,
        DIGEST_SIZE = 32
    };
    Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

/// The signature computed here, independently of the server's code.
inline std::string expectedSignature(const std::string& timestamp, const std::string& body)
{
    Poco::HMACEngine<Sha256Engine> hmac(SECRET);
    hmac.update(timestamp + "." + body);
    return "sha256=" + Poco::DigestEngine::digestToHex(hmac.digest());
}

inline Poco::JSON::Object::Ptr parsed(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Two projects (P1, P2, in implementation) and helpers to register endpoints on the receiver.
class WebhookFixture : public CppUnit::TestFixture
{
public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>([](captrack::app::ServerOptions& options) {
            options.webhooks.deliver = false;
            options.webhooks.maxAttempts = 3;
            options.webhooks.timeoutMs = 1000; // the TLS test waits for it once
        });
        _pServer->seedReference();
        _pWorker = std::make_unique<captrack::app::WebhookWorker>(_pServer->server().webhookDeliveries());
        _p1 = project("P1", "implementation");
        _p2 = project("P2", "implementation");
    }

    void tearDown() override
    {
        _pWorker.reset();
        _pServer.reset();
    }

protected:
    static std::string str(Poco::Int64 id) { return std::to_string(id); }

    Poco::Int64 project(const std::string& code, const std::string& status)
    {
        return _pServer->create(API + "/projects", R"({"code": ")" + code + R"(", "title": "Project )" + code +
                                                       R"(", "kind": "capability", "status": ")" + status + "\"}");
    }

    Poco::Int64 milestone(Poco::Int64 projectId, const std::string& baseline)
    {
        return _pServer->create(API + "/projects/" + str(projectId) + "/milestones",
                                R"({"title": "Trial", "baseline_date": ")" + baseline + "\"}");
    }

    std::string contribution() const
    {
        return R"({"partner_id": )" + str(_pServer->partnerId("UKR")) +
               R"(, "role": "contributor", "kind": "funding", "amount_eur": 1000})";
    }

    Poco::Int64 webhookAt(const std::string& url, const std::string& events, std::optional<Poco::Int64> projectId)
    {
        return _pServer->create(API + "/webhooks", R"({"url": ")" + url + R"(", "secret": ")" + SECRET +
                                                       R"(", "events": )" + events + R"(, "project_id": )" +
                                                       (projectId ? str(*projectId) : "null") + "}");
    }

    Poco::Int64 webhook(const std::string& events, std::optional<Poco::Int64> projectId = std::nullopt)
    {
        return webhookAt(_receiver.url(), events, projectId);
    }

    WebhookReceiver _receiver;
    std::unique_ptr<HttpTestServer> _pServer;
    std::unique_ptr<captrack::app::WebhookWorker> _pWorker;
    Poco::Int64 _p1 = 0, _p2 = 0;
};

} // namespace captrack::test::webhooks
