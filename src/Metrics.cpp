#include "captrack/Metrics.h"

#include <chrono>
#include <cstdio>

namespace captrack::metrics
{

namespace
{
std::string number(double value)
{
    char text[32];
    const int length = std::snprintf(text, sizeof text, "%.15g", value);
    return std::string(text, length > 0 ? static_cast<std::size_t>(length) : 0);
}

std::string withLabel(const std::string& labels, const std::string& extra)
{
    return labels.empty() ? extra : labels + "," + extra;
}
} // namespace

void Histogram::observe(std::int64_t microseconds) noexcept
{
    const auto us = static_cast<std::uint64_t>(microseconds < 0 ? 0 : microseconds);
    const double seconds = static_cast<double>(us) / 1e6;
    for (std::size_t i = 0; i < BOUNDS.size(); ++i)
        if (seconds <= BOUNDS[i])
        {
            _buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    _sumMicroseconds.fetch_add(us, std::memory_order_relaxed);
    _count.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::write(std::string& out, const std::string& name, const std::string& labels) const
{
    // Read the count first: observations arriving meanwhile can only make the buckets larger than it,
    // and the +Inf bucket, which must equal the count, is written as the count.
    const std::uint64_t total = count();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < BOUNDS.size(); ++i)
    {
        cumulative += _buckets[i].load(std::memory_order_relaxed);
        writeSample(out, name + "_bucket", withLabel(labels, "le=\"" + number(BOUNDS[i]) + "\""),
                    cumulative < total ? cumulative : total);
    }
    writeSample(out, name + "_bucket", withLabel(labels, "le=\"+Inf\""), total);
    writeSample(out, name + "_sum", labels,
                static_cast<double>(_sumMicroseconds.load(std::memory_order_relaxed)) / 1e6);
    writeSample(out, name + "_count", labels, total);
}

void writeHeader(std::string& out, const std::string& name, const char* type, const char* help)
{
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void writeSample(std::string& out, const std::string& name, const std::string& labels, std::uint64_t value)
{
    out += name;
    if (!labels.empty())
        out += "{" + labels + "}";
    out += " " + std::to_string(value) + "\n";
}

void writeSample(std::string& out, const std::string& name, const std::string& labels, double value)
{
    out += name;
    if (!labels.empty())
        out += "{" + labels + "}";
    out += " " + number(value) + "\n";
}

std::string labelValue(const std::string& text)
{
    std::string escaped;
    for (const char c : text)
    {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

const char* reportName(Report report)
{
    switch (report)
    {
    case Report::Portfolio:
        return "portfolio";
    case Report::Summary:
        return "summary";
    case Report::Trend:
        return "trend";
    case Report::MissionImpact:
        return "mission_impact";
    }
    return "unknown";
}

ProcessInstruments& process()
{
    static ProcessInstruments instruments;
    static const bool stamped = [] {
        instruments.startTimeSeconds =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        return true;
    }();
    (void)stamped;
    return instruments;
}

ReportTimer::ReportTimer(Report report) : _report(report), _startMicroseconds(steadyMicroseconds()) {}

ReportTimer::~ReportTimer()
{
    process().reportBuilds[static_cast<std::size_t>(_report)].observe(steadyMicroseconds() - _startMicroseconds);
}

std::int64_t steadyMicroseconds() noexcept
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace captrack::metrics
