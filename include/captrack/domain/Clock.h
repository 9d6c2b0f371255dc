#pragma once

#include "captrack/domain/Date.h"

#include <Poco/Timestamp.h>

#include <atomic>
#include <string>

namespace captrack::domain
{

/// Where the current time comes from; tests inject a fixed one. Implementations are thread-safe.
class Clock
{
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual Poco::Timestamp now() const = 0;

    /// Today in UTC.
    [[nodiscard]] Date today() const;
    /// The current time as RFC 3339 UTC with second precision, e.g. `2026-11-26T22:05:35Z`.
    [[nodiscard]] std::string nowText() const;
};

/// An instant as RFC 3339 UTC with second precision, e.g. `2026-11-26T22:05:35Z`: the one format of
/// every time the API, the audit trail and the logs write.
[[nodiscard]] std::string rfc3339(const Poco::Timestamp& at);

/// The system clock.
class SystemClock : public Clock
{
public:
    [[nodiscard]] Poco::Timestamp now() const override { return Poco::Timestamp(); }
};

/// A clock that says the instant it was set to (tests); `advance` moves it on. Thread-safe.
class FixedClock : public Clock
{
public:
    explicit FixedClock(Poco::Timestamp at) : _at(at.epochMicroseconds()) {}
    [[nodiscard]] Poco::Timestamp now() const override { return Poco::Timestamp(_at.load()); }
    void advance(Poco::Timestamp::TimeDiff microseconds) { _at += microseconds; }

private:
    std::atomic<Poco::Timestamp::TimeVal> _at;
};

} // namespace captrack::domain
