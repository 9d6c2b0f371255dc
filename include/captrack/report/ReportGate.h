#pragma once

#include "captrack/storage/Database.h"

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

/// Admits at most a fixed number of report builds at once, counted across every server that shares the
/// database (a portfolio report of 100,000 projects holds about 240 MB while it is built and rendered,
/// and the database serves all servers). A build holds a Permit from before it reads the database until
/// its answer is rendered: one row of `report_permits` (slot 1..capacity) that expires after
/// PERMIT_LEASE_SECONDS should its server die. A build beyond the limit is refused at once with
/// OverloadedError (503 with Retry-After), never queued, so that clients cannot pile builds up. The
/// server's own builds are counted in memory first, so a full server asks the database nothing.
/// Safe for concurrent use.
class ReportGate
{
public:
    /// The longest a permit row outlives a server that died holding it.
    static constexpr int PERMIT_LEASE_SECONDS = 600;

    /// One admitted build; gives its place back when destroyed. Move-only, held by the thread that builds.
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
        Permit(ReportGate& gate, int slot) : _pGate(&gate), _slot(slot) {}
        ReportGate* _pGate;
        int _slot;
    };

    ReportGate(storage::Database& database, const ReportLimits& limits);
    ReportGate(const ReportGate&) = delete;
    ReportGate& operator=(const ReportGate&) = delete;

    /// A permit for one build; OverloadedError when `capacity()` builds hold one already, here or on
    /// another server.
    [[nodiscard]] Permit admit();
    /// The number of builds admitted at once (maxConcurrent, or the core count for 0).
    [[nodiscard]] std::size_t capacity() const noexcept { return _capacity; }
    /// Deletes the permits whose lease has run out (the housekeeping job); returns how many.
    std::size_t purgeExpired();

private:
    [[nodiscard]] int claimSlot();
    void release(int slot) noexcept;
    [[noreturn]] void refuse() const;

    storage::Database& _database;
    const std::size_t _capacity;
    const int _retryAfterSeconds;
    std::mutex _mutex;
    std::size_t _admitted = 0;
};

} // namespace captrack::report
