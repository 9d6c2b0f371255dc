#pragma once

// Folder-private to the HTTP transport (HttpTransport.cpp, ConnectionTable*.cpp).

#include "captrack/http/ApiRequest.h"
#include "captrack/http/RequestFramer.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace captrack::http::transport
{

/// One client connection (a non-blocking socket it closes when destroyed).
///
/// Ownership: one thread at a time owns a connection, the one that *claimed* it (`claim()`): a worker
/// woken by its socket, the event thread (when every worker is busy, or to expire a deadline, or to
/// stop), or the queue of requests that wait for a worker. Only the owner touches the fields below
/// the line. It hands the connection back with `release()` and from then on touches only what is
/// above the line: it re-arms the socket in epoll (EPOLLONESHOT: one readiness event per arming, so
/// one thread wakes for it). Above the line: what any thread may read at any time.
struct Connection
{
    enum class State
    {
        Reading,   ///< waiting for (more of) a request
        Lingering, ///< answered and shut down for writing: reading what is left, then closing
    };

    /// What the connection is doing, for the log of a stop whose grace ran out (the owner sets it).
    enum class Phase
    {
        Waiting,  ///< between requests, or nothing of a request read yet
        Arriving, ///< a request begun
        Handling, ///< a whole request, waiting for a worker or being answered
        Closing,  ///< lingering or about to close
    };

    Connection(int socketFd, Poco::Net::SocketAddress client, bool countedPerAddress)
        : fd(socketFd), peer(std::move(client)), counted(countedPerAddress)
    {
    }
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Takes the connection; false when another thread owns it.
    [[nodiscard]] bool claim() { return !claimed.exchange(true); }
    /// Gives it up (its owner only): everything written before is seen by the next owner.
    void release() { claimed.store(false); }

    const int fd;
    const Poco::Net::SocketAddress peer;
    const bool counted; ///< counts toward its address's connection cap

    std::atomic<bool> claimed{true};              ///< a thread owns it (a new connection is its acceptor's)
    std::atomic<bool> forgotten{false};           ///< no longer in the table (closed or cut)
    std::atomic<Poco::Timestamp::TimeVal> due{0}; ///< when reading (or lingering) ends: the owner sets it
    std::atomic<Phase> phase{Phase::Waiting};
    mutable std::mutex requestMutex; ///< guards `request` and `received`
    std::string request;             ///< "METHOD target" of the request being answered (the log of a cut)
    Poco::Timestamp received;        ///< when that request was whole

    // ---- the owner's alone ----
    State state = State::Reading;
    std::string in;                  ///< bytes received and not yet consumed
    HeadProgress headProgress;       ///< how far the head being received has been parsed
    std::optional<RequestHead> head; ///< a complete head whose body is still being read
    std::size_t maxBodyBytes = 0;    ///< the limit of the route that head asks for
    ChunkedProgress chunked;         ///< how far a chunked body has been decoded
    bool between = false;            ///< idle between two requests (no byte of the next yet)
    bool peerClosed = false;         ///< the client has shut down its side (it may still read)
    std::size_t discarded = 0;       ///< bytes dropped while lingering
};

/// A whole request framed by the event thread, waiting for a worker. Its connection stays claimed.
struct Job
{
    std::shared_ptr<Connection> connection;
    RequestHead head;
    std::string body;
};

enum class ReadOutcome
{
    Data,       ///< read some bytes (and maybe more are waiting)
    WouldBlock, ///< nothing more to read now
    Closed,     ///< the client closed or the socket failed
};

/// Appends what the socket holds to `connection.in`, without letting `in` grow past `maxBuffered`;
/// sets `peerClosed` when the client has shut down its side.
[[nodiscard]] ReadOutcome readAvailable(Connection& connection, std::size_t maxBuffered);
/// Reads and drops what the socket holds (for lingering); Closed once the client closed.
[[nodiscard]] ReadOutcome discardAvailable(Connection& connection);
/// Writes `head` and then `body`, waiting for the socket as needed until `deadline`; false when the
/// client is gone or too slow.
[[nodiscard]] bool sendAll(int fd, std::string_view head, std::string_view body, const Poco::Timestamp& deadline);
/// Writes what the socket takes at once (short error answers).
void sendWithoutWaiting(int fd, std::string_view bytes);

/// Writes the head of a response into `out` (replacing what it held, keeping its capacity): status
/// line, headers (with Content-Length, Date and the security headers every answer carries) and the
/// blank line. Returns what follows the head on the wire: the body, or nothing for a HEAD request,
/// a 204 or a 304. The view is into `response`.
[[nodiscard]] std::string_view wireHead(const ApiResponse& response, bool headRequest, bool keepAlive,
                                        std::string_view version, std::string& out);
/// The head and what follows it, in one string (the short answers written without waiting).
[[nodiscard]] std::string wireResponse(const ApiResponse& response, bool headRequest, bool keepAlive,
                                       std::string_view version);

} // namespace captrack::http::transport
