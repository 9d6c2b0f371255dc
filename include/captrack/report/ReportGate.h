#pragma once

#include <cstddef>
#include <mutex>

namespace captrack::report
{

/// How many report builds may run at once, and what a refused client is told.
struct ReportLimits
{
    std::size_t maxConcurrent = 0; ///< 0: one per core (std::thread::hardware_concurrency)
    int retryAfterSeconds = 2;     ///< about the time of one large portfolio report
};

/// Admits at most a fixed number of report builds at once (a portfolio report of 100,000 projects
/// holds about 240 MB while it is built and rendered). A build holds a Permit from before it reads
/// the database until its answer is rendered; a build beyond the limit is refused at once with
/// OverloadedError (503 with Retry-After), never queued, so that clients cannot pile builds up.
/// Safe for concurrent use.
class ReportGate
{
public:
    /// One admitted build; gives its place back when destroyed. Move-only.
    class Permit
    {
    public:
        Permit(Permit&& other) noexcept;
        Permit& operator=(Permit&&) = delete;
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        ~Permit();

    private:
        friend class ReportGate;
        explicit Permit(ReportGate& gate) : _pGate(&gate) {}
        ReportGate* _pGate;
    };

    explicit ReportGate(const ReportLimits& limits);
    ReportGate(const ReportGate&) = delete;
    ReportGate& operator=(const ReportGate&) = delete;

    /// A permit for one build; OverloadedError when `capacity()` builds hold one already.
    [[nodiscard]] Permit admit();
    /// The number of builds admitted at once (maxConcurrent, or the core count for 0).
    [[nodiscard]] std::size_t capacity() const noexcept { return _capacity; }

private:
    void release() noexcept;

    const std::size_t _capacity;
    const int _retryAfterSeconds;
    std::mutex _mutex;
    std::size_t _admitted = 0;
};

} // namespace captrack::report
