#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace captrack::metrics
{

/// The instruments of `/metrics` (docs/OPERATING-metrics.md) and how they are written in
/// Prometheus' text exposition format. Every instrument is a set of atomics: counting takes no lock and
/// allocates nothing, from any thread.

/// A count that only goes up.
class Counter
{
public:
    void add(std::uint64_t n = 1) noexcept { _value.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const noexcept { return _value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> _value{0};
};

/// Durations in fixed buckets (seconds: 0.5 ms to 10 s), their count and their sum.
class Histogram
{
public:
    /// The upper bounds of the buckets, in seconds; +Inf follows.
    static constexpr std::array<double, 14> BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

    void observe(std::int64_t microseconds) noexcept;
    [[nodiscard]] std::uint64_t count() const noexcept { return _count.load(std::memory_order_relaxed); }
    /// Appends the `_bucket`, `_sum` and `_count` lines of `name` with `labels` (`a="x",b="y"` or empty).
    void write(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::array<std::atomic<std::uint64_t>, BOUNDS.size()> _buckets{}; ///< not cumulative: one per observation
    std::atomic<std::uint64_t> _count{0};
    std::atomic<std::uint64_t> _sumMicroseconds{0};
};

/// Appends `# HELP` and `# TYPE` lines.
void writeHeader(std::string& out, const std::string& name, const char* type, const char* help);
/// Appends `name{labels} value` (no braces when labels is empty).
void writeSample(std::string& out, const std::string& name, const std::string& labels, std::uint64_t value);
void writeSample(std::string& out, const std::string& name, const std::string& labels, double value);
/// A label value escaped as the format wants it (backslash, double quote and line feed).
[[nodiscard]] std::string labelValue(const std::string& text);

/// The reports whose builds are timed.
enum class Report
{
    Portfolio,
    Summary,
    Trend,
    MissionImpact,
};
inline constexpr std::size_t REPORT_KINDS = 4;
[[nodiscard]] const char* reportName(Report report);

/// The process-wide instruments that parts below the HTTP layer count into.
struct ProcessInstruments
{
    Counter signInFailures;  ///< wrong username or password (sign-in, and a password confirmed for a change)
    Counter signInThrottles; ///< sign-ins refused (429) because an address or a name guessed too often
    std::array<Histogram, REPORT_KINDS> reportBuilds;
    double startTimeSeconds = 0; ///< Unix time at which the process started counting
};

/// The process's instruments, made on first use (at the latest when the server starts).
[[nodiscard]] ProcessInstruments& process();

/// Times a report build into process().reportBuilds from construction to destruction (a build that
/// throws is timed too).
class ReportTimer
{
public:
    explicit ReportTimer(Report report);
    ~ReportTimer();
    ReportTimer(const ReportTimer&) = delete;
    ReportTimer& operator=(const ReportTimer&) = delete;

private:
    Report _report;
    std::int64_t _startMicroseconds;
};

/// Microseconds of a steady clock, for durations.
[[nodiscard]] std::int64_t steadyMicroseconds() noexcept;

} // namespace captrack::metrics
