#include "Connection.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace captrack::http::transport
{

namespace
{
constexpr std::size_t READ_CHUNK = 64 << 10;

/// Header values come from our own code, but a value must never be able to start a new header.
void appendWithoutLineBreaks(std::string& out, const std::string& value)
{
    const std::size_t from = out.size();
    out += value;
    for (std::size_t i = from; i < out.size(); ++i)
        if (out[i] == '\r' || out[i] == '\n')
            out[i] = ' ';
}

template <class Number> void appendNumber(std::string& out, Number number)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    out.append(digits, end);
}

/// The Date header's value for now, formatted once per second by each thread.
const std::string& httpDateNow()
{
    thread_local Poco::Timestamp::TimeVal formattedSecond = -1;
    thread_local std::string formatted;
    const Poco::Timestamp now;
    const Poco::Timestamp::TimeVal second = now.epochMicroseconds() / Poco::Timestamp::resolution();
    if (second != formattedSecond)
    {
        formatted = Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::HTTP_FORMAT);
        formattedSecond = second;
    }
    return formatted;
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

bool sendAll(int fd, std::string_view head, std::string_view body, const Poco::Timestamp& deadline)
{
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
    std::size_t first = 0;
    for (;;)
    {
        while (first < 2 && parts[first].iov_len == 0)
            ++first;
        if (first == 2)
            return true;
        msghdr message{};
        message.msg_iov = parts + first;
        message.msg_iovlen = 2 - first;
        const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
        if (sent > 0)
        {
            for (auto left = static_cast<std::size_t>(sent); left > 0; ++first)
            {
                const std::size_t taken = std::min(left, parts[first].iov_len);
                parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + taken;
                parts[first].iov_len -= taken;
                left -= taken;
                if (parts[first].iov_len > 0)
                    break;
            }
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

std::string_view wireHead(const ApiResponse& response, bool headRequest, bool keepAlive, std::string_view version,
                          std::string& out)
{
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    out.assign("HTTP/1.1 ");
    appendNumber(out, static_cast<unsigned>(response.status));
    out += ' ';
    out += Poco::Net::HTTPResponse::getReasonForStatus(status);
    out += "\r\nDate: ";
    out += httpDateNow();
    out += "\r\n";
    bool cacheControl = false;
    for (const auto& [name, value] : response.headers)
    {
        cacheControl = cacheControl || Poco::icompare(name, "Cache-Control") == 0;
        out += name;
        out += ": ";
        appendWithoutLineBreaks(out, value);
        out += "\r\n";
    }
    out += "X-Content-Type-Options: nosniff\r\n";
    if (!cacheControl)
        out += "Cache-Control: no-store\r\n";
    if (!response.contentType.empty())
    {
        out += "Content-Type: ";
        out += response.contentType;
        out += "\r\n";
    }
    // RFC 9110 8.6: no Content-Length on 204; on 304 it would have to be the 200's length.
    const bool bodyless = response.status == 204 || response.status == 304;
    if (!bodyless)
    {
        out += "Content-Length: ";
        appendNumber(out, response.body.size());
        out += "\r\n";
    }
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (version == "HTTP/1.0")
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return headRequest || bodyless ? std::string_view() : std::string_view(response.body);
}

std::string wireResponse(const ApiResponse& response, bool headRequest, bool keepAlive, std::string_view version)
{
    std::string out;
    const std::string_view body = wireHead(response, headRequest, keepAlive, version, out);
    out += body;
    return out;
}

} // namespace captrack::http::transport
