#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <future>
#include <string>

namespace captrack::test
{

/// What a racing request got back.
struct RacedAnswer
{
    int status = 0;
    std::string retryAfter;
};

/// One POST of a JSON `body` to `path` on a connection of its own, opened at once and sent when `start`
/// is released, so that many are sent at the same moment (races). `token` empty: no Authorization.
inline RacedAnswer postWhenReleased(Poco::UInt16 port, const std::string& path, const std::string& body,
                                    const std::string& token, std::shared_future<void> start)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    if (!token.empty())
        request.set("Authorization", "Bearer " + token);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    start.wait();
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string ignored;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
    return RacedAnswer{static_cast<int>(response.getStatus()), response.get("Retry-After", "")};
}

} // namespace captrack::test
