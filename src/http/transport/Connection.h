#pragma once

// Folder-private to the HTTP transport (HttpTransport.cpp, ConnectionTable.cpp).

#include "captrack/http/ApiRequest.h"
#include "captrack/http/RequestFramer.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace captrack::http::transport
{

/// One client connection (a non-blocking socket it closes when destroyed). The event thread owns
/// it, except while a worker answers its request (state Handling): then the worker reads and writes
/// the socket and the event thread touches only what it set before the hand-over (`request`,
/// `received`) and, when a stop's grace runs out, shuts the socket down.
struct Connection
{
    enum class State
    {
        Reading,   ///< waiting for (more of) a request
        Handling,  ///< a worker has its request
        Lingering, ///< answered and shut down for writing: reading what is left, then closing
    };

    Connection(int socketFd, Poco::Net::SocketAddress client, bool countedPerAddress)
        : fd(socketFd), peer(std::move(client)), counted(countedPerAddress)
    {
    }
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd;
    Poco::Net::SocketAddress peer;
    bool counted; ///< counts toward its address's connection cap
    State state = State::Reading;
    std::string in;                  ///< bytes received and not yet consumed
    HeadProgress headProgress;       ///< how far the head being received has been parsed
    std::optional<RequestHead> head; ///< a complete head whose body is still being read
    std::size_t maxBodyBytes = 0;    ///< the limit of the route that head asks for
    ChunkedProgress chunked;         ///< how far a chunked body has been decoded
    bool between = false;            ///< idle between two requests (no byte of the next yet)
    bool peerClosed = false;         ///< the client has shut down its side (it may still read)
    Poco::Timestamp deadline;        ///< when reading (or lingering) ends
    std::size_t discarded = 0;       ///< bytes dropped while lingering
    std::string request;             ///< "METHOD target" of the request a worker has (for the log of a stop)
    Poco::Timestamp received;        ///< when that request was whole
};

/// A whole request on its way to a worker.
struct Job
{
    std::shared_ptr<Connection> connection;
    RequestHead head;
    std::string body;
};

/// What a worker asks the event thread to do with the connection it hands back.
enum class Next
{
    Read,   ///< keep-alive: wait for the next request
    Linger, ///< answered with Connection: close
    Close,  ///< the client is gone
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
/// Writes all of `bytes`, waiting for the socket as needed until `deadline`; false when the client
/// is gone or too slow.
[[nodiscard]] bool sendAll(int fd, std::string_view bytes, const Poco::Timestamp& deadline);
/// Writes what the socket takes at once (short error answers from the event thread).
void sendWithoutWaiting(int fd, std::string_view bytes);

/// The bytes of a response: status line, headers (with Content-Length, Date and the security
/// headers every answer carries) and, unless the request was HEAD, the body.
[[nodiscard]] std::string wireResponse(const ApiResponse& response, bool headRequest, bool keepAlive,
                                       const std::string& version);

} // namespace captrack::http::transport
