#include "captrack/service/LeadDigest.h"
#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/MailOutbox.h"
#include "captrack/service/ResourceService.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <thread>

using namespace captrack;
using captrack::testing::at;
using domain::Record;
using namespace Poco::Data::Keywords;

/// A lead's digest (service::LeadDigest) and the outbox it is queued in (service::MailOutbox), on a
/// FixedClock moved across weeks: what a digest lists, once per lead and period, who gets nothing.
class LeadDigestTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LeadDigestTest);
    CPPUNIT_TEST(testDigestListsOverdueDueSoonAndSlipped);
    CPPUNIT_TEST(testNothingToSayIsNoMail);
    CPPUNIT_TEST(testQueuedOncePerPeriodAndLeadByTwoServersAtOnce);
    CPPUNIT_TEST(testOptedOutDisabledAndAddressLessLeadsGetNothing);
    CPPUNIT_TEST(testReviewersGetTheSnapshotSummaryOnce);
    CPPUNIT_TEST(testNothingIsQueuedWhenMailIsOff);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        // Monday 2027-03-01, 10:00 UTC: the data is made in the digest period that began at 06:00.
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        _pResources = std::make_unique<service::ResourceService>(_pDb->database(), *_pClock);
        _pWorklist = std::make_unique<service::LeadWorklist>(_pDb->database(), *_pClock, service::WorklistWindow{});
        _pDigest = std::make_unique<service::LeadDigest>(_pDb->database(), *_pClock, *_pWorklist, BASE);
        _lena = user("lena", "lead", "lena@example.org");
        _olaf = user("olaf", "lead", "");
        _rita = user("rita", "reviewer", "rita@example.org");
        _project = project("SPS-1", _lena);
        _overdue = milestone(_project, "Field trial", "2027-02-20");
        _dueToday = milestone(_project, "Report", "2027-03-15");
        _far = milestone(_project, "Final review", "2027-06-01");
        const Poco::Int64 done = milestone(_project, "Kick-off", "2027-02-01");
        update(catalogue().milestones, done, {{"status", "done"}, {"actual_date", "2027-02-02"}});
        milestone(project("SPS-2", _olaf), "Olaf's", "2027-02-01");
    }

    void tearDown() override
    {
        _pDigest.reset();
        _pWorklist.reset();
        _pResources.reset();
        _pDb.reset();
    }

    /// Two weeks on (Monday 03-15): the period began 03-15 06:00, the previous one 03-08 06:00. Between
    /// them (03-10) the far milestone's forecast moved 10 days later.
    void testDigestListsOverdueDueSoonAndSlipped()
    {
        _pClock->advance(9 * DAY);
        update(catalogue().milestones, _far, {{"forecast_date", "2027-06-11"}});
        _pClock->advance(5 * DAY);
        const auto period = service::digestPeriodAt({}, _pClock->now());
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-15T06:00:00Z"), period.key);
        const auto content = _pDigest->content(lena(), period);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), content.overdue.size());
        CPPUNIT_ASSERT_EQUAL(_overdue, domain::recordId(content.overdue[0].milestone));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), content.dueSoon.size());
        CPPUNIT_ASSERT_EQUAL(_dueToday, domain::recordId(content.dueSoon[0].milestone));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), content.slipped.size());
        CPPUNIT_ASSERT_EQUAL(10L, content.slipped[0].slipDays);
        const auto mail = _pDigest->mail(lena(), content);
        CPPUNIT_ASSERT(mail);
        CPPUNIT_ASSERT_EQUAL(std::string("captrack: 3 milestones need your update"), mail->subject);
        const std::string link = "\n  " + BASE + "/#/projects/" + std::to_string(_project) + "\n";
        for (const std::string& line : std::vector<std::string>{
                 "Hello Lena,\n", "of the projects you lead need your update (as of 2027-03-15)",
                 "\nOverdue\n- SPS-1 'Field trial' (milestone " + std::to_string(_overdue) + "): 23 days overdue" +
                     link,
                 "\nDue within 30 days\n- SPS-1 'Report' (milestone " + std::to_string(_dueToday) + "): due today" +
                     link,
                 "\nSlipped since the last digest (2027-03-08T06:00:00Z)\n- SPS-1 'Final review' (milestone " +
                     std::to_string(_far) + "): due 2027-06-11, was 2027-06-01 (+10 days)" + link,
                 BASE + "/#/needs-update\n", BASE + "/#/reminders\n"})
            CPPUNIT_ASSERT_MESSAGE(line + "\nnot in\n" + mail->body, mail->body.find(line) != std::string::npos);
        CPPUNIT_ASSERT(mail->body.find("Kick-off") == std::string::npos); // done: nothing to update
        // A week later the slip is old news: it happened before the previous period began.
        _pClock->advance(7 * DAY);
        CPPUNIT_ASSERT(_pDigest->content(lena(), service::digestPeriodAt({}, _pClock->now())).slipped.empty());
    }

    void testNothingToSayIsNoMail()
    {
        update(catalogue().milestones, _overdue, {{"status", "cancelled"}});
        update(catalogue().milestones, _dueToday, {{"forecast_date", "2027-12-01"}});
        const auto period = service::digestPeriodAt({}, _pClock->now());
        const auto content = _pDigest->content(lena(), period);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), content.milestoneCount());
        CPPUNIT_ASSERT(!_pDigest->mail(lena(), content));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pDigest->queueAll(period));
    }

    /// Two servers queue the same period at the same moment: one digest per lead; the next period another.
    void testQueuedOncePerPeriodAndLeadByTwoServersAtOnce()
    {
        const auto period = service::digestPeriodAt({}, _pClock->now());
        service::LeadDigest other(_pDb->database(), *_pClock, *_pWorklist, BASE);
        std::atomic<std::size_t> queued{0};
        std::thread first([&] { queued += _pDigest->queueAll(period); });
        std::thread second([&] { queued += other.queueAll(period); });
        first.join();
        second.join();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), queued.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pDigest->queueAll(period)); // a restart within the period
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), count("kind = 'digest' AND user_id = " + std::to_string(_lena)));
        _pClock->advance(7 * DAY);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pDigest->queueAll(service::digestPeriodAt({}, _pClock->now())));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), count("kind = 'digest' AND recipient = 'lena@example.org'"));
    }

    void testOptedOutDisabledAndAddressLessLeadsGetNothing()
    {
        auto period = service::digestPeriodAt({}, _pClock->now());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pDigest->queueAll(period)); // lena; olaf has no address
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), count("user_id = " + std::to_string(_olaf)));
        update(catalogue().users, _lena, {{"email_reminders", false}});
        update(catalogue().users, _olaf, {{"email", "olaf@example.org"}, {"disabled", true}});
        _pClock->advance(7 * DAY);
        period = service::digestPeriodAt({}, _pClock->now());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pDigest->queueAll(period));
        update(catalogue().users, _olaf, {{"disabled", false}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pDigest->queueAll(period));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), count("recipient = 'olaf@example.org'"));
    }

    void testReviewersGetTheSnapshotSummaryOnce()
    {
        user("rex", "reviewer", ""); // no address
        const Poco::Int64 quiet = user("quiet", "reviewer", "quiet@example.org");
        update(catalogue().users, quiet, {{"email_reminders", false}});
        const service::MailOutbox outbox(*_pClock, true);
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             outbox.enqueueToReviewers(session, service::mailKind::SNAPSHOT, "17", "Q1", "changes"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0),
                             outbox.enqueueToReviewers(session, service::mailKind::SNAPSHOT, "17", "Q1", "changes"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), count("kind = 'snapshot' AND recipient = 'rita@example.org' AND "
                                                   "period_key = '17' AND subject = 'Q1' AND body = 'changes'"));
        CPPUNIT_ASSERT(outbox.enqueue(session, _lena, service::mailKind::SNAPSHOT, "17", "Q1", "changes"));
        CPPUNIT_ASSERT(!outbox.enqueue(session, _lena, service::mailKind::SNAPSHOT, "17", "Q1", "changes"));
        CPPUNIT_ASSERT(!outbox.enqueue(session, _olaf, service::mailKind::SNAPSHOT, "17", "Q1", "changes"));
    }

    void testNothingIsQueuedWhenMailIsOff()
    {
        const service::MailOutbox outbox(*_pClock, false);
        auto pLease = _pDb->database().lease();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), outbox.enqueueToReviewers(pLease->session(), "snapshot", "1", "s", "b"));
        CPPUNIT_ASSERT(!outbox.enqueue(pLease->session(), _rita, "snapshot", "1", "s", "b"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), count("1 = 1"));
    }

private:
    static constexpr Poco::Timestamp::TimeDiff DAY = 86400LL * 1000000;
    inline static const std::string BASE = "https://ct.example.org";

    static const service::Catalogue& catalogue() { return service::Catalogue::instance(); }

    Poco::Int64 user(const std::string& name, const std::string& role, const std::string& email)
    {
        Record input{
            {"username", name}, {"display_name", std::string(1, char(name[0] - 32)) + name.substr(1)}, {"role", role}};
        if (!email.empty())
            input["email"] = email;
        return domain::recordId(_pResources->create(_actor, catalogue().users, input));
    }

    Poco::Int64 project(const std::string& code, Poco::Int64 lead)
    {
        return domain::recordId(
            _pResources->create(_actor, catalogue().projects,
                                {{"code", code}, {"title", code}, {"kind", "scientific"}, {"lead_user_id", lead}}));
    }

    Poco::Int64 milestone(Poco::Int64 projectId, const std::string& title, const std::string& baseline)
    {
        return domain::recordId(_pResources->create(_actor, catalogue().milestones,
                                                    {{"title", title}, {"baseline_date", baseline}}, projectId));
    }

    void update(const service::Resource& resource, Poco::Int64 id, const Record& change)
    {
        const auto before = _pResources->get(_actor, resource, id);
        (void)_pResources->update(_actor, resource, id, change, domain::intField(before, "version"));
    }

    storage::MailRecipientRow lena() const { return {_lena, "lena", "Lena", domain::Role::Lead, "lena@example.org"}; }

    Poco::Int64 count(const std::string& where)
    {
        auto pLease = _pDb->database().lease();
        Poco::Int64 n = 0;
        pLease->session() << "SELECT COUNT(*) FROM mail_outbox WHERE " + where, into(n), now;
        return n;
    }

    const domain::Principal _actor = domain::Principal::system();
    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    std::unique_ptr<service::ResourceService> _pResources;
    std::unique_ptr<service::LeadWorklist> _pWorklist;
    std::unique_ptr<service::LeadDigest> _pDigest;
    Poco::Int64 _lena = 0, _olaf = 0, _rita = 0, _project = 0, _overdue = 0, _dueToday = 0, _far = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LeadDigestTest);
