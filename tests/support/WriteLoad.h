#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/Database.h"

#include <Poco/Types.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace captrack::test
{

/// One write the service acknowledged: the record it left and that record's version after it.
struct AcknowledgedWrite
{
    std::string entity; ///< "project" or "milestone"
    Poco::Int64 id = 0;
    Poco::Int64 version = 0;
    bool startedAfterMark = false; ///< the write began after mark() was called
};

/// Writer threads that, each on its own project, create projects and milestones and reschedule the
/// milestones through the real ResourceService (each write one transaction with its audit row, and
/// its history row for a milestone), and record every write the service acknowledged. Needs the
/// reference data of a project (capability area CYB, objective SO1). stop() (or the destructor) ends
/// and joins the threads. Thread-safe.
class WriteLoad
{
public:
    WriteLoad(storage::Database& database, const domain::Clock& clock, int writers);
    ~WriteLoad();
    WriteLoad(const WriteLoad&) = delete;
    WriteLoad& operator=(const WriteLoad&) = delete;

    /// Waits until `count` writes have been acknowledged, of those begun after mark() when
    /// afterMark; throws Poco::TimeoutException after a minute or when a writer failed.
    void waitForAcknowledged(std::size_t count, bool afterMark = false);
    /// From now on, each write that begins is flagged startedAfterMark.
    void mark() { _marked = true; }
    [[nodiscard]] bool marked() const { return _marked; }
    /// Ends the writers and joins them; throws Poco::RuntimeException with the first writer's failure.
    void stop();
    /// Every write acknowledged so far.
    [[nodiscard]] std::vector<AcknowledgedWrite> acknowledged() const;

private:
    void write(int writer);
    void record(const AcknowledgedWrite& write);

    storage::Database& _database;
    const domain::Clock& _clock;
    std::atomic<bool> _stopping{false};
    std::atomic<bool> _marked{false};
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<AcknowledgedWrite> _acknowledged;
    std::size_t _acknowledgedAfterMark = 0;
    std::string _failure;
    std::vector<std::thread> _threads;
};

} // namespace captrack::test
