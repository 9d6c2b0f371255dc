#include "captrack/storage/Database.h"

#include <Poco/File.h>
#include <Poco/Format.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sys/stat.h>

using namespace captrack;
using namespace Poco::Data::Keywords;

/// Issue 8, finding 10: the SQLite database, its -wal and -shm files and the folder the server makes
/// for them are its user's alone, whatever the umask (the test runs under a permissive 022, so that
/// it fails if the storage layer leaves the modes to the umask). SQLite files only, on any
/// CAPTRACK_TEST_DB.
class SqliteFilesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SqliteFilesTest);
    CPPUNIT_TEST(testNewDatabaseFolderIs0700AndFiles0600);
    CPPUNIT_TEST(testLooseExistingFilesAreTightened);
    CPPUNIT_TEST(testExistingFolderIsLeftAsItIs);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _previousUmask = ::umask(S_IWGRP | S_IWOTH);
        _root = Poco::TemporaryFile::tempName();
        Poco::File(_root).createDirectories();
        _path = _root + "/var/captrack.db";
    }

    void tearDown() override
    {
        ::umask(_previousUmask);
        Poco::File(_root).remove(true);
    }

    void testNewDatabaseFolderIs0700AndFiles0600()
    {
        {
            storage::Database database(storage::DatabaseUrl::parse("sqlite:" + _path), 2);
            writeSomething(database);
            CPPUNIT_ASSERT_EQUAL(std::string("0700"), modeOf(_root + "/var"));
            for (const char* suffix : {"", "-wal", "-shm"})
                CPPUNIT_ASSERT_EQUAL_MESSAGE(_path + suffix, std::string("0600"), modeOf(_path + suffix));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("0600"), modeOf(_path));
    }

    void testLooseExistingFilesAreTightened()
    {
        {
            storage::Database database(storage::DatabaseUrl::parse("sqlite:" + _path), 2);
            writeSomething(database);
        }
        // As earlier versions left them, with a WAL a crash left behind.
        std::ofstream(_path + "-wal").flush();
        for (const char* suffix : {"", "-wal"})
            ::chmod((_path + suffix).c_str(), 0644);
        ::chmod(_path.c_str(), 0664);
        storage::Database database(storage::DatabaseUrl::parse("sqlite:" + _path), 2);
        writeSomething(database);
        for (const char* suffix : {"", "-wal", "-shm"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(_path + suffix, std::string("0600"), modeOf(_path + suffix));
        auto pLease = database.lease();
        int rows = 0;
        pLease->session() << "SELECT COUNT(*) FROM probe", into(rows), now;
        CPPUNIT_ASSERT_EQUAL(2, rows);
    }

    void testExistingFolderIsLeftAsItIs()
    {
        Poco::File(_root + "/var").createDirectories();
        ::chmod((_root + "/var").c_str(), 0750);
        storage::Database database(storage::DatabaseUrl::parse("sqlite:" + _path), 2);
        writeSomething(database);
        CPPUNIT_ASSERT_EQUAL(std::string("0750"), modeOf(_root + "/var"));
        CPPUNIT_ASSERT_EQUAL(std::string("0600"), modeOf(_path));
    }

private:
    /// A write, so that SQLite makes its -wal and -shm files.
    static void writeSomething(storage::Database& database)
    {
        auto pLease = database.lease();
        pLease->session() << "CREATE TABLE IF NOT EXISTS probe (x INTEGER)", now;
        pLease->session() << "INSERT INTO probe (x) VALUES (1)", now;
    }

    static std::string modeOf(const std::string& path)
    {
        struct stat status;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + " exists", 0, ::stat(path.c_str(), &status));
        return Poco::format("%04o", static_cast<unsigned>(status.st_mode & 07777));
    }

    mode_t _previousUmask = 0;
    std::string _root;
    std::string _path;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteFilesTest);
