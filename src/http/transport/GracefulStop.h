#pragma once

// Folder-private to the HTTP transport.

#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace captrack::http::transport
{

/// Where a graceful stop of the transport stands: begun (and when its grace ends), the listening
/// socket let go by the event thread, finished (and how many requests it cut). Safe for concurrent
/// use: the thread that stops the transport begins it and waits, the event thread carries it out,
/// workers ask whether it has begun.
class GracefulStop
{
public:
    /// Begins the stop; its grace ends `grace` from now (saturating). Only the first call counts.
    void begin(Poco::Timespan grace);
    /// Ends the grace now; no effect before begin().
    void endGrace();
    [[nodiscard]] bool begun() const;
    /// True once the stop has begun and its grace has ended at `now`.
    [[nodiscard]] bool graceOver(const Poco::Timestamp& now) const;

    /// Called by the event thread once it will never touch the listening socket again.
    void releaseListener();
    /// Blocks until releaseListener() was called.
    void waitUntilListenerReleased() const;

    /// Called by the event thread once every connection is closed; `cut` requests went unanswered.
    void finish(std::size_t cut);
    /// Waits up to `timeout` for finish(); true once it was called.
    [[nodiscard]] bool waitUntilFinished(Poco::Timespan timeout) const;
    /// The requests the stop cut (0 until it finished, and unless its grace ran out).
    [[nodiscard]] std::size_t cut() const;

private:
    mutable std::mutex _mutex; ///< guards what follows
    mutable std::condition_variable _changed;
    bool _begun = false;
    Poco::Timestamp _graceEnds;
    bool _listenerReleased = false;
    bool _finished = false;
    std::size_t _cut = 0;
};

} // namespace captrack::http::transport
