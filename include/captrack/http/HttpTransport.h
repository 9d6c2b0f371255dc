#pragma once

#include "captrack/http/ApiRequest.h"
#include "captrack/http/RequestFramer.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace captrack::http
{

/// How the transport listens and what it allows a client (etc/captrack.properties `http.*`).
struct TransportOptions
{
    std::string address = "127.0.0.1";
    Poco::UInt16 port = 8080; ///< 0 picks a free port (tests)
    int workers = 32;         ///< threads that run handlers; slow or idle clients never hold one
    int backlog = 256;
    Poco::Timespan requestDeadline{5, 0}; ///< from accept (or a request's first byte) to its last byte
    Poco::Timespan idleTimeout{15, 0};    ///< a keep-alive connection waiting for its next request
    Poco::Timespan sendTimeout{30, 0};    ///< writing one response
    int maxConnections = 4096;            ///< open connections in all
    int maxConnectionsPerAddress = 64;    ///< per client address
    bool exemptLoopback = true; ///< loopback clients (health checks, a local reverse proxy) are not capped per address
    HeadLimits headLimits;
};

/// What the transport decides about a request once its head is complete, before its body is read.
struct HeadVerdict
{
    std::size_t maxBodyBytes = 1 << 20;
    /// An answer given without reading the body (bad path, 415, 401 without credentials); the
    /// connection is closed after it.
    std::optional<ApiResponse> early;
};

/// The application behind the transport. Both calls must not throw.
class RequestResponder
{
public:
    virtual ~RequestResponder() = default;
    /// Called on the transport's event thread when a head is complete: keep it cheap (no I/O).
    [[nodiscard]] virtual HeadVerdict inspect(const RequestHead& head) const = 0;
    /// Called on a worker thread with a whole request.
    [[nodiscard]] virtual ApiResponse respond(const RequestHead& head, std::string body,
                                              const Poco::Net::SocketAddress& client) const = 0;
};

class ConnectionTable;

/// An HTTP/1.1 server in which a slow client costs a socket and a buffer, never a thread: one event
/// thread (epoll) accepts connections, reads requests and frames them strictly (RequestFramer),
/// enforces the deadlines and the connection caps; only a complete request goes to a worker, which
/// runs the responder, writes the answer and hands a keep-alive connection back. Error answers
/// close the connection gracefully (the rest of the request is read and dropped for a moment, so
/// that the client sees the answer). start() and stop() are called from one thread.
class HttpTransport
{
public:
    HttpTransport(const RequestResponder& responder, TransportOptions options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// Binds and starts serving; throws Poco::Net::NetException when the address is taken.
    void start();
    /// Stops accepting, answers every request already received, closes every connection, returns.
    void stop();
    /// The bound port (useful with port 0); 0 when not started.
    [[nodiscard]] Poco::UInt16 port() const { return _port; }

private:
    const RequestResponder& _responder;
    TransportOptions _options;
    Poco::UInt16 _port = 0;
    std::unique_ptr<Poco::Net::ServerSocket> _pSocket;
    std::unique_ptr<ConnectionTable> _pTable;
    std::thread _eventThread;
    std::vector<std::thread> _workers;
};

} // namespace captrack::http
