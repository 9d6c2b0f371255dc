#include "WriteLoad.h"

#include "captrack/domain/Record.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ResourceService.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>

#include <chrono>

namespace captrack::test
{

using domain::Record;
using Poco::Dynamic::Var;

namespace
{
/// A date that differs for every step of the last few hundred: each reschedule changes the forecast.
std::string forecastFor(int step)
{
    const Poco::DateTime date = Poco::DateTime(2027, 1, 1) + Poco::Timespan(step % 700, 0, 0, 0, 0);
    return Poco::DateTimeFormatter::format(date, "%Y-%m-%d");
}

struct OpenMilestone
{
    Poco::Int64 id = 0;
    Poco::Int64 version = 0;
};
} // namespace

WriteLoad::WriteLoad(storage::Database& database, const domain::Clock& clock, int writers)
    : _database(database), _clock(clock)
{
    for (int writer = 0; writer < writers; ++writer)
        _threads.emplace_back([this, writer] { write(writer); });
}

WriteLoad::~WriteLoad()
{
    _stopping = true;
    for (auto& thread : _threads)
        if (thread.joinable())
            thread.join();
}

void WriteLoad::write(int writer)
{
    const service::ResourceService service(_database, _clock);
    const auto& catalogue = service::Catalogue::instance();
    const auto actor = domain::Principal::system();
    Poco::Int64 project = 0;
    std::vector<OpenMilestone> milestones;
    try
    {
        for (int step = 0; !_stopping; ++step)
        {
            AcknowledgedWrite done;
            done.startedAfterMark = _marked;
            if (project == 0 || step % 8 == 0)
            {
                const Record input{{"code", "LOAD-" + std::to_string(writer) + "-" + std::to_string(step)},
                                   {"title", "Write load"},
                                   {"kind", "capability"},
                                   {"capability_area", "CYB"},
                                   {"objectives", std::vector<Var>{Var("SO1")}}};
                project = domain::recordId(service.create(actor, catalogue.projects, input));
                milestones.clear();
                done = {"project", project, 1, done.startedAfterMark};
            }
            else if (milestones.size() < 3)
            {
                const Record input{{"title", "Step " + std::to_string(step)}, {"baseline_date", "2027-05-01"}};
                milestones.push_back(
                    {domain::recordId(service.create(actor, catalogue.milestones, input, project)), 1});
                done = {"milestone", milestones.back().id, 1, done.startedAfterMark};
            }
            else
            {
                auto& milestone = milestones[static_cast<std::size_t>(step) % milestones.size()];
                service.update(actor, catalogue.milestones, milestone.id, {{"forecast_date", forecastFor(step)}},
                               milestone.version);
                done = {"milestone", milestone.id, ++milestone.version, done.startedAfterMark};
            }
            record(done);
        }
    }
    catch (const Poco::Exception& e)
    {
        const std::lock_guard<std::mutex> lock(_mutex);
        _failure = "writer " + std::to_string(writer) + ": " + e.displayText();
        _changed.notify_all();
    }
}

void WriteLoad::record(const AcknowledgedWrite& write)
{
    const std::lock_guard<std::mutex> lock(_mutex);
    _acknowledged.push_back(write);
    if (write.startedAfterMark)
        ++_acknowledgedAfterMark;
    _changed.notify_all();
}

void WriteLoad::waitForAcknowledged(std::size_t count, bool afterMark)
{
    std::unique_lock<std::mutex> lock(_mutex);
    const bool reached = _changed.wait_for(lock, std::chrono::minutes(1), [&] {
        return !_failure.empty() || (afterMark ? _acknowledgedAfterMark : _acknowledged.size()) >= count;
    });
    if (!_failure.empty())
        throw Poco::RuntimeException(_failure);
    if (!reached)
        throw Poco::TimeoutException("the writers did not make " + std::to_string(count) + " writes in a minute");
}

void WriteLoad::stop()
{
    _stopping = true;
    for (auto& thread : _threads)
        thread.join();
    _threads.clear();
    const std::lock_guard<std::mutex> lock(_mutex);
    if (!_failure.empty())
        throw Poco::RuntimeException(_failure);
}

std::vector<AcknowledgedWrite> WriteLoad::acknowledged() const
{
    const std::lock_guard<std::mutex> lock(_mutex);
    return _acknowledged;
}

} // namespace captrack::test
