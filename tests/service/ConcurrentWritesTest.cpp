#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/app/Seeder.h"
#include "captrack/domain/Clock.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/service/BaselineService.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/Transaction.h"
#include <Poco/JSON/Object.h>
#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

using namespace captrack;
using captrack::testing::at;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// The transactions run again after a deadlock or conflict, counted from the storage log.
std::atomic<int> g_retries{0};
std::mutex g_mutex;
std::string g_lastRetry;
class Counting : public Poco::Channel
{
public:
    void log(const Poco::Message& m) override
    {
        if (m.getText().find("retrying transaction") != std::string::npos)
        {
            ++g_retries;
            std::lock_guard<std::mutex> lock(g_mutex);
            g_lastRetry = m.getText();
        }
    }
};
} // namespace

/// Writers of the roll-ups at once, on both databases: concurrent creates and writers of different
/// projects neither fail nor deadlock; a write that will be refused (a hidden record) does not wait for
/// the project's turn, nor tell by waiting that the record exists; a baseline taken after waiting for
/// the turn records what the writer before it committed; the last day of the calendar is counted.
class ConcurrentWritesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConcurrentWritesTest);
    CPPUNIT_TEST(testConcurrentProjectCreatesNeitherFailNorDeadlock);
    CPPUNIT_TEST(testWritersOfDifferentProjectsNeitherFailNorDeadlock);
    CPPUNIT_TEST(testARefusedWriteWaitsForNoTurn);
    CPPUNIT_TEST(testBaselineAfterWaitingForTheTurnSeesTheCommittedWrite);
    CPPUNIT_TEST(testLastDayOfTheCalendarCountsOverdue);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), *_pClock);
        app::Seeder(_pDb->database(), *_pClock, test::TestDatabase::sqlRoot() + "/seed").loadReference();
        auto pLease = _pDb->database().lease();
        pLease->session() << "SELECT id FROM partners ORDER BY code", into(_partners), now;
        _pChannelBefore = Poco::Logger::get("captrack.storage").getChannel();
        Poco::Logger::get("captrack.storage").setChannel(new Counting);
        g_retries = 0;
    }

    void tearDown() override
    {
        Poco::Logger::get("captrack.storage").setChannel(_pChannelBefore);
        _pService.reset();
        _pDb.reset();
    }

    void testConcurrentProjectCreatesNeitherFailNorDeadlock()
    {
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int w = 0; w < 8; ++w)
            threads.emplace_back([&, w] {
                for (int i = 0; i < 15; ++i)
                    try
                    {
                        project(1000 + w * 100 + i, "public");
                    }
                    catch (const std::exception&)
                    {
                        ++failures;
                    }
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(g_lastRetry, 0, g_retries.load());
    }

    void testWritersOfDifferentProjectsNeitherFailNorDeadlock()
    {
        const auto& c = service::Catalogue::instance();
        std::vector<Poco::Int64> projects;
        for (int i = 0; i < 8; ++i)
            projects.push_back(project(i, "public"));
        g_retries = 0;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (std::size_t w = 0; w < projects.size(); ++w)
            threads.emplace_back([&, w] {
                std::mt19937 r(static_cast<unsigned>(w));
                for (int i = 0; i < 15; ++i)
                    try
                    {
                        const auto id =
                            domain::recordId(_pService->create(_actor, c.milestones, milestone(r), projects[w]));
                        _pService->update(_actor, c.milestones, id,
                                          {{"forecast_date",
                                            domain::Date::fromParts(2027, 6, 1).plusDays(long(r() % 300)).toString()}},
                                          Poco::Int64(1));
                        _pService->create(_actor, c.contributions,
                                          {{"partner_id", _partners[r() % 6]},
                                           {"role", "contributor"},
                                           {"kind", "funding"},
                                           {"amount_eur", Poco::Int64(100)}},
                                          projects[w]);
                        if (i % 3 == 0)
                            _pService->remove(_actor, c.milestones, id, Poco::Int64(2));
                    }
                    catch (const std::exception&)
                    {
                        ++failures;
                    }
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(g_lastRetry, 0, g_retries.load());
    }

    void testARefusedWriteWaitsForNoTurn()
    {
        if (!_pDb->isMySql())
            return; // SQLite's writers all take one turn: nobody's write waits for one project's
        const auto& c = service::Catalogue::instance();
        const auto hidden = project(100, "restricted");
        std::mt19937 r(1);
        const auto m = domain::recordId(_pService->create(_actor, c.milestones, milestone(r), hidden));
        const domain::Principal partner{7, "partner", domain::Role::Partner, _partners[1], domain::Credential::Session};
        const domain::Principal reviewer{8, "reviewer", domain::Role::Reviewer, std::nullopt,
                                         domain::Credential::Session};
        std::atomic<bool> held{false};
        std::thread holder([&] {
            storage::Transaction txn(_pDb->database());
            storage::RollupStore::takeTurn(txn.session(), hidden);
            held = true;
            std::this_thread::sleep_for(std::chrono::seconds(4));
            txn.commit();
        });
        while (!held)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const auto t0 = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_THROW(_pService->update(partner, c.milestones, m, {{"progress", 5}}, Poco::Int64(1)),
                             NotFoundError);
        CPPUNIT_ASSERT_THROW(_pService->remove(partner, c.milestones, m, Poco::Int64(1)), NotFoundError);
        CPPUNIT_ASSERT_THROW(_pService->update(reviewer, c.milestones, m, {{"progress", 5}}, Poco::Int64(1)),
                             ForbiddenError);
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        holder.join();
        CPPUNIT_ASSERT_MESSAGE("refused after " + std::to_string(waited) + " ms", waited < 2000);
    }

    void testBaselineAfterWaitingForTheTurnSeesTheCommittedWrite()
    {
        const auto& c = service::Catalogue::instance();
        const auto p = project(300, "public");
        const auto m = domain::recordId(
            _pService->create(_actor, c.milestones,
                              {{"title", "M"}, {"baseline_date", "2027-05-01"}, {"forecast_date", "2027-06-01"}}, p));
        std::atomic<bool> held{false};
        std::thread writer([&] {
            storage::Transaction txn(_pDb->database());
            storage::RollupStore::takeTurn(txn.session(), p);
            Poco::Int64 id = m;
            txn.session() << "UPDATE milestones SET forecast_date = '2027-09-09', version = version + 1 WHERE id = ?",
                use(id), now;
            held = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(800));
            storage::RollupStore::refreshMilestones(txn.session(), p);
            txn.commit();
        });
        while (!held)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        service::BaselineService baselines(_pDb->database(), *_pClock);
        Poco::JSON::Object::Ptr input = new Poco::JSON::Object;
        input->set("name", "BL");
        input->set("reason", "after the turn");
        std::string refused;
        try
        {
            (void)baselines.take(_actor, p, *input);
        }
        catch (const Poco::Exception& e)
        {
            refused = e.displayText();
        }
        writer.join();
        CPPUNIT_ASSERT_EQUAL(std::string(), refused);
        const auto after = _pService->get(_actor, c.milestones, m);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-09-09"), after.at("forecast_date").convert<std::string>());
        CPPUNIT_ASSERT_EQUAL(std::string("2027-09-09"), after.at("baseline_date").convert<std::string>());
    }

    void testLastDayOfTheCalendarCountsOverdue()
    {
        const auto& c = service::Catalogue::instance();
        const auto p = project(200, "public");
        _pService->create(_actor, c.milestones, {{"title", "M"}, {"baseline_date", "2027-05-01"}}, p);
        report::ReportService reports(_pDb->database(), *_pClock, domain::HealthThresholds{});
        for (const char* day : {"9999-09-01", "9999-12-31"})
        {
            report::PortfolioRequest request;
            request.asOf = domain::Date::parse(day);
            const auto out = reports.portfolio(reports.admit(), _actor, request);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(day, 1L, static_cast<long>(out.totals.milestonesOverdue));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(day, 1L, static_cast<long>(out.overdue.total));
        }
    }

private:
    Poco::Int64 project(int n, const char* visibility)
    {
        return domain::recordId(_pService->create(_actor, service::Catalogue::instance().projects,
                                                  {{"code", "CW-" + std::to_string(n)},
                                                   {"title", "Concurrent"},
                                                   {"kind", "capability"},
                                                   {"status", "implementation"},
                                                   {"visibility", visibility},
                                                   {"budget_eur", Poco::Int64(1000)}}));
    }

    static Record milestone(std::mt19937& r)
    {
        return {{"title", "M"},
                {"baseline_date", domain::Date::fromParts(2027, 1, 1).plusDays(long(r() % 300)).toString()},
                {"status", "planned"},
                {"progress", int(r() % 100)}};
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    std::unique_ptr<service::ResourceService> _pService;
    Poco::Channel::Ptr _pChannelBefore;
    domain::Principal _actor = domain::Principal::system();
    std::vector<Poco::Int64> _partners;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConcurrentWritesTest);
