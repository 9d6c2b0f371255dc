#include "Connection.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace captrack::http::transport
{

namespace
{
constexpr std::size_t READ_CHUNK = 64 << 10;

/// Header values come from our own code, but a value must never be able to start a new header.
std::string withoutLineBreaks(std::string value)
{
    for (char& c : value)
        if (c == '\r' || c == '\n')
            c = ' ';
    return value;
}

bool hasHeader(const ApiResponse& response, const std::string& name)
{
    for (const auto& header : response.headers)
        if (Poco::icompare(header.first, name) == 0)
            return true;
    return false;
}
} // namespace

Connection::~Connection()
{
    ::close(fd);
}

ReadOutcome readAvailable(Connection& connection, std::size_t maxBuffered)
{
    char buffer[READ_CHUNK];
    ReadOutcome outcome = ReadOutcome::WouldBlock;
    while (connection.in.size() < maxBuffered)
    {
        const std::size_t room = std::min(sizeof buffer, maxBuffered - connection.in.size());
        const ssize_t got = ::recv(connection.fd, buffer, room, 0);
        if (got > 0)
        {
            connection.in.append(buffer, static_cast<std::size_t>(got));
            outcome = ReadOutcome::Data;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return outcome;
        if (got == 0)
        {
            connection.peerClosed = true;
            return outcome;
        }
        return ReadOutcome::Closed;
    }
    return outcome;
}

ReadOutcome discardAvailable(Connection& connection)
{
    char buffer[READ_CHUNK];
    for (;;)
    {
        const ssize_t got = ::recv(connection.fd, buffer, sizeof buffer, 0);
        if (got > 0)
        {
            connection.discarded += static_cast<std::size_t>(got);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return ReadOutcome::WouldBlock;
        return ReadOutcome::Closed;
    }
}

bool sendAll(int fd, std::string_view bytes, const Poco::Timestamp& deadline)
{
    while (!bytes.empty())
    {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent > 0)
        {
            bytes.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
        const Poco::Timestamp::TimeDiff left = deadline - Poco::Timestamp();
        if (left <= 0)
            return false;
        pollfd writable{fd, POLLOUT, 0};
        if (::poll(&writable, 1, static_cast<int>(left / 1000) + 1) < 0 && errno != EINTR)
            return false;
    }
    return true;
}

void sendWithoutWaiting(int fd, std::string_view bytes)
{
    while (!bytes.empty())
    {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return;
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

std::string wireResponse(const ApiResponse& response, bool headRequest, bool keepAlive, const std::string& version)
{
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
    out += "Date: " + Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT) + "\r\n";
    for (const auto& [name, value] : response.headers)
        out += name + ": " + withoutLineBreaks(value) + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    if (!hasHeader(response, "Cache-Control"))
        out += "Cache-Control: no-store\r\n";
    if (!response.contentType.empty())
        out += "Content-Type: " + response.contentType + "\r\n";
    // RFC 9110 8.6: no Content-Length on 204; on 304 it would have to be the 200's length.
    if (response.status != 204 && response.status != 304)
        out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (version == "HTTP/1.0")
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!headRequest && response.status != 204 && response.status != 304)
        out += response.body;
    return out;
}

} // namespace captrack::http::transport
