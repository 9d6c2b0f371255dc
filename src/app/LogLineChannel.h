#pragma once

// Private to src/app.

#include <Poco/Channel.h>
#include <Poco/Message.h>

namespace captrack::app
{

/// The server's log channel: each message as one line on standard error, "2026-12-01T05:02:24Z
/// Information captrack.access: text" (what a PatternFormatter with "%Y-%m-%dT%H:%M:%SZ %p %s: %t" in
/// UTC writes through a ConsoleChannel), written with a single write(2) and no lock, so that the access
/// line of every request costs no stream, no format parsing and no hand-off between threads. Lines
/// from several threads do not interleave: a line of at most PIPE_BUF bytes is one write, which a pipe
/// takes whole; a longer one is written with every other line held back.
class LogLineChannel : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override;

    /// The line log() writes for the message, without its newline.
    [[nodiscard]] static std::string lineOf(const Poco::Message& message);
};

} // namespace captrack::app
