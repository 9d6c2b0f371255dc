#pragma once

#include <Poco/Timespan.h>

#include <csignal>
#include <string>

namespace captrack::app
{

/// SIGTERM, SIGINT and SIGQUIT taken as requests to stop, never left to kill the process. The
/// constructor blocks them in the calling thread, and every thread it starts later inherits that, so
/// no thread can die of one and wait() or poll() receive each; create it before any other thread
/// (the database pool's, the server's) starts. The destructor takes any still pending and unblocks
/// them. Used by one thread.
class TerminationSignals
{
public:
    TerminationSignals();
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals&) = delete;
    TerminationSignals& operator=(const TerminationSignals&) = delete;

    /// Blocks until one of the signals arrives; returns its number.
    int wait();
    /// Waits at most `timeout` for one; returns its number, or 0 when none came.
    int poll(Poco::Timespan timeout);
    /// "SIGTERM", "SIGINT", "SIGQUIT" (or "signal N").
    [[nodiscard]] static std::string name(int signal);

private:
    sigset_t _signals{};
    sigset_t _previous{};
};

} // namespace captrack::app
