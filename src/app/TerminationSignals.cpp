#include "captrack/app/TerminationSignals.h"

#include <cerrno>
#include <ctime>
#include <pthread.h>

namespace captrack::app
{

TerminationSignals::TerminationSignals()
{
    ::sigemptyset(&_signals);
    for (const int signal : {SIGTERM, SIGINT, SIGQUIT})
        ::sigaddset(&_signals, signal);
    ::pthread_sigmask(SIG_BLOCK, &_signals, &_previous);
}

TerminationSignals::~TerminationSignals()
{
    // One still pending would end the process the moment it is unblocked.
    while (poll(Poco::Timespan(0)) != 0)
    {
    }
    ::pthread_sigmask(SIG_SETMASK, &_previous, nullptr);
}

int TerminationSignals::wait()
{
    int signal = 0;
    while (::sigwait(&_signals, &signal) != 0)
    {
    }
    return signal;
}

int TerminationSignals::poll(Poco::Timespan timeout)
{
    const timespec wait{static_cast<time_t>(timeout.totalSeconds()), static_cast<long>(timeout.useconds()) * 1000};
    for (;;)
    {
        const int signal = ::sigtimedwait(&_signals, nullptr, &wait);
        if (signal > 0)
            return signal;
        if (errno != EINTR)
            return 0;
    }
}

std::string TerminationSignals::name(int signal)
{
    switch (signal)
    {
    case SIGTERM:
        return "SIGTERM";
    case SIGINT:
        return "SIGINT";
    case SIGQUIT:
        return "SIGQUIT";
    default:
        return "signal " + std::to_string(signal);
    }
}

} // namespace captrack::app
