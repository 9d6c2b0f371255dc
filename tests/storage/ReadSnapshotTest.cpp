#include "captrack/storage/ReadSnapshot.h"
#include "TestDatabase.h"
#include "captrack/domain/Clock.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ResourceService.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace captrack;
using namespace Poco::Data::Keywords;

class ReadSnapshotTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReadSnapshotTest);
    CPPUNIT_TEST(testReadsTheDatabaseAsOfItsStartWhileOthersWrite);
    CPPUNIT_TEST(testGivesTheSessionBackInAutocommitWithNoTransactionOpen);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), _clock);
        createObjective("SO1");
    }

    void tearDown() override
    {
        _pService.reset();
        _pDb.reset();
    }

    void testReadsTheDatabaseAsOfItsStartWhileOthersWrite()
    {
        {
            storage::ReadSnapshot snapshot(_pDb->database());
            createObjective("SO2");
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), countObjectives(snapshot.session()));
            createObjective("SO3");
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), countObjectives(snapshot.session()));
        }
        auto pLease = _pDb->database().lease();
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), countObjectives(pLease->session()));
    }

    /// On a pool of one session, the session a snapshot used is the next lease's: it must be in
    /// autocommit with no transaction open, and read what another pool wrote meanwhile.
    void testGivesTheSessionBackInAutocommitWithNoTransactionOpen()
    {
        storage::Database single(storage::DatabaseUrl::parse(_pDb->url()), 1);
        {
            storage::ReadSnapshot snapshot(single);
            CPPUNIT_ASSERT(inTransaction(snapshot.session()));
            countObjectives(snapshot.session());
        }
        createObjective("SO2");
        auto pLease = single.lease();
        CPPUNIT_ASSERT(!inTransaction(pLease->session()));
        if (_pDb->isMySql())
        {
            int autocommit = 0;
            pLease->session() << "SELECT @@autocommit", into(autocommit), now;
            CPPUNIT_ASSERT_EQUAL(1, autocommit);
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), countObjectives(pLease->session()));
        CPPUNIT_ASSERT(!inTransaction(pLease->session()));
    }

private:
    void createObjective(const std::string& code)
    {
        _pService->create(domain::Principal::system(), service::Catalogue::instance().objectives,
                          {{"code", code}, {"name", "Objective " + code}});
    }

    static Poco::Int64 countObjectives(Poco::Data::Session& session)
    {
        Poco::Int64 count = 0;
        session << "SELECT COUNT(*) FROM objectives", into(count), now;
        return count;
    }

    bool inTransaction(Poco::Data::Session& session) const
    {
        if (!_pDb->isMySql())
            return sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(session)) == 0;
        int open = 0;
        session << "SELECT @@in_transaction", into(open), now;
        return open != 0;
    }

    domain::SystemClock _clock;
    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<service::ResourceService> _pService;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReadSnapshotTest);
