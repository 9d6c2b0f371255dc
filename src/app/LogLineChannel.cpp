#include "LogLineChannel.h"

#include <cerrno>
#include <climits>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <unistd.h>

namespace captrack::app
{

namespace
{
const char* priorityName(Poco::Message::Priority priority)
{
    switch (priority)
    {
    case Poco::Message::PRIO_FATAL:
        return "Fatal";
    case Poco::Message::PRIO_CRITICAL:
        return "Critical";
    case Poco::Message::PRIO_ERROR:
        return "Error";
    case Poco::Message::PRIO_WARNING:
        return "Warning";
    case Poco::Message::PRIO_NOTICE:
        return "Notice";
    case Poco::Message::PRIO_INFORMATION:
        return "Information";
    case Poco::Message::PRIO_DEBUG:
        return "Debug";
    default:
        return "Trace";
    }
}

/// "YYYY-MM-DDTHH:MM:SSZ" of a second since the epoch, formatted once per second per thread.
const std::string& utcSecond(std::time_t second)
{
    thread_local std::time_t formatted = -1;
    thread_local std::string text;
    if (second != formatted)
    {
        std::tm parts{};
        gmtime_r(&second, &parts);
        char buffer[32];
        text.assign(buffer, std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts));
        formatted = second;
    }
    return text;
}
} // namespace

std::string LogLineChannel::lineOf(const Poco::Message& message)
{
    std::string line;
    line.reserve(64 + message.getText().size());
    line += utcSecond(message.getTime().epochTime());
    line += ' ';
    line += priorityName(message.getPriority());
    line += ' ';
    line += message.getSource();
    line += ": ";
    line += message.getText();
    return line;
}

void LogLineChannel::log(const Poco::Message& message)
{
    const std::string line = lineOf(message) + '\n';
    // A write of at most PIPE_BUF bytes reaches a pipe whole; a longer line takes several, which another
    // thread's line could split: those take the lock alone, the short ones share it.
    static std::shared_mutex longLines;
    std::shared_lock<std::shared_mutex> shared(longLines, std::defer_lock);
    std::unique_lock<std::shared_mutex> alone(longLines, std::defer_lock);
    if (line.size() > PIPE_BUF)
        alone.lock();
    else
        shared.lock();
    std::size_t written = 0;
    while (written < line.size())
    {
        const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // standard error is gone: a log line is not worth failing a request for
        written += static_cast<std::size_t>(n);
    }
}

} // namespace captrack::app
