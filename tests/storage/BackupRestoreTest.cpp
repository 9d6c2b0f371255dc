#include "BackupFiles.h"
#include "ScratchDatabase.h"
#include "TestDatabase.h"
#include "WriteLoad.h"
#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/BackupRestorer.h"
#include "captrack/storage/BackupWriter.h"
#include "captrack/storage/CalendarFeedStore.h"
#include "captrack/storage/Migrator.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>
#include <sys/stat.h>

using namespace captrack;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;
using namespace captrack::test::backupfiles;

namespace
{
const domain::Principal SYSTEM = domain::Principal::system();

const service::Catalogue& catalogue()
{
    return service::Catalogue::instance();
}

/// The number of tables the database holds.
Poco::Int64 tablesOf(storage::Database& database)
{
    auto pLease = database.lease();
    Poco::Int64 tables = 0;
    pLease->session() << (database.dialect() == storage::Dialect::MySQL
                              ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                              : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"),
        into(tables), now;
    return tables;
}

/// Reference data every project needs, and a partner for contributions.
void createReferenceData(const service::ResourceService& service)
{
    service.create(SYSTEM, catalogue().capabilityAreas, {{"code", "CYB"}, {"name", "Cyber defence"}});
    service.create(SYSTEM, catalogue().objectives, {{"code", "SO1"}, {"name", "Security"}});
    service.create(SYSTEM, catalogue().partners,
                   {{"code", "MDA"}, {"name", "Moldova"}, {"kind", "nation"}, {"framework", "EAPC"}});
}

Poco::Int64 createProject(const service::ResourceService& service, const std::string& code,
                          const std::string& title = "Field trial")
{
    return domain::recordId(service.create(SYSTEM, catalogue().projects,
                                           {{"code", code},
                                            {"title", title},
                                            {"kind", "scientific"},
                                            {"capability_area", "CYB"},
                                            {"objectives", std::vector<Var>{Var("SO1")}}}));
}

/// What a restored database holds of the write load: versions, and audit and history rows per record.
struct RestoredWrites
{
    std::map<Poco::Int64, Poco::Int64> projectVersions;
    std::map<Poco::Int64, Poco::Int64> milestoneVersions;
    std::map<std::pair<std::string, Poco::Int64>, Poco::Int64> auditRows;
    std::map<Poco::Int64, Poco::Int64> historyRows;

    explicit RestoredWrites(storage::Database& database)
    {
        auto pLease = database.lease();
        auto& session = pLease->session();
        readPairs(session, "SELECT id, version FROM projects", projectVersions);
        readPairs(session, "SELECT id, version FROM milestones", milestoneVersions);
        readPairs(session, "SELECT milestone_id, COUNT(*) FROM milestone_history GROUP BY milestone_id", historyRows);
        std::vector<std::string> entities;
        std::vector<Poco::Int64> ids, counts;
        session << "SELECT entity, entity_id, COUNT(*) FROM audit_events GROUP BY entity, entity_id", into(entities),
            into(ids), into(counts), now;
        for (std::size_t i = 0; i < entities.size(); ++i)
            auditRows[{entities[i], ids[i]}] = counts[i];
    }

    [[nodiscard]] Poco::Int64 version(const test::AcknowledgedWrite& write) const
    {
        const auto& versions = write.entity == "project" ? projectVersions : milestoneVersions;
        const auto found = versions.find(write.id);
        return found == versions.end() ? 0 : found->second;
    }

private:
    static void readPairs(Poco::Data::Session& session, const std::string& sql,
                          std::map<Poco::Int64, Poco::Int64>& into_)
    {
        std::vector<Poco::Int64> keys, values;
        session << sql, into(keys), into(values), now;
        for (std::size_t i = 0; i < keys.size(); ++i)
            into_[keys[i]] = values[i];
    }
};
} // namespace

class BackupRestoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BackupRestoreTest);
    CPPUNIT_TEST(testBackupUnderWriteLoadHoldsEveryAcknowledgedWriteWhole);
    CPPUNIT_TEST(testRestoreRefusesANonEmptyDatabaseAndChangesNothing);
    CPPUNIT_TEST(testRestoreRefusesADamagedFileOrANewerSchemaAndLoadsNothing);
    CPPUNIT_TEST(testRestoreRefusesAHostileFileWithAReasonAndLoadsNothing);
    CPPUNIT_TEST(testRoundTripThroughTheOtherDialectKeepsEveryRow);
    CPPUNIT_TEST(testRecordCreatedAfterRestoreGetsAnIdNoBackedUpRowEverHad);
    CPPUNIT_TEST(testBackupFileIsPrivateAndAppearsWholeOrNotAtAll);
    CPPUNIT_TEST(testBackupRefusesARowARestoreCouldNotReadAndNamesIt);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        _pService = std::make_unique<service::ResourceService>(_pDb->database(), _clock);
        createReferenceData(*_pService);
        _pFolder = std::make_unique<Poco::TemporaryFile>();
        _pFolder->createDirectories();
        _backup = _pFolder->path() + "/captrack.backup";
    }

    void tearDown() override
    {
        _pService.reset();
        _pDb.reset();
        _pFolder.reset();
    }

    /// Writers go on through the whole backup, and the backup waits, after its first table, until
    /// writes begun after its snapshot are acknowledged: every write acknowledged before the backup
    /// began is restored with its audit and history rows, none begun later is, none is half there.
    void testBackupUnderWriteLoadHoldsEveryAcknowledgedWriteWhole()
    {
        test::WriteLoad load(_pDb->database(), _clock, 3);
        load.waitForAcknowledged(60);
        const auto beforeBackup = load.acknowledged();
        backUp(_pDb->database(), _backup, [&load](const std::string&, Poco::UInt64) {
            if (load.marked())
                return;
            load.mark();
            load.waitForAcknowledged(20, true);
        });
        load.stop();
        test::ScratchDatabase target;
        restore(target.database(), _backup);

        const RestoredWrites restored(target.database());
        for (const auto& write : beforeBackup)
            CPPUNIT_ASSERT_MESSAGE(write.entity + " " + std::to_string(write.id) + " lost",
                                   restored.version(write) >= write.version);
        std::size_t begunAfterSnapshot = 0;
        for (const auto& write : load.acknowledged())
        {
            if (!write.startedAfterMark)
                continue;
            ++begunAfterSnapshot;
            CPPUNIT_ASSERT_MESSAGE(write.entity + " " + std::to_string(write.id) + " from after the snapshot",
                                   restored.version(write) < write.version);
        }
        CPPUNIT_ASSERT(begunAfterSnapshot >= 20);
        assertNoWriteHalfThere(restored);
    }

    void testRestoreRefusesANonEmptyDatabaseAndChangesNothing()
    {
        createProject(*_pService, "SPS-1");
        backUp(_pDb->database(), _backup);
        test::ScratchDatabase target;
        storage::Migrator(target.database(), test::TestDatabase::sqlRoot()).migrate();
        const service::ResourceService targetService(target.database(), _clock);
        targetService.create(SYSTEM, catalogue().objectives, {{"code", "SO9"}, {"name", "Already here"}});
        const std::string before = _pFolder->path() + "/before.backup";
        backUp(target.database(), before);
        try
        {
            restore(target.database(), _backup);
            CPPUNIT_FAIL("a restore into a database with rows must be refused");
        }
        catch (const ConflictError& e)
        {
            CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find("is not empty (") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find("objectives") != std::string::npos);
        }
        const std::string after = _pFolder->path() + "/after.backup";
        backUp(target.database(), after);
        CPPUNIT_ASSERT_EQUAL(rowsOf(before), rowsOf(after));
    }

    void testRestoreRefusesADamagedFileOrANewerSchemaAndLoadsNothing()
    {
        createProject(*_pService, "SPS-1", "Field trial");
        backUp(_pDb->database(), _backup);
        const std::string whole = readFile(_backup);
        const std::string broken = _pFolder->path() + "/broken.backup";
        test::ScratchDatabase target;

        writeFile(broken, whole.substr(0, whole.rfind('\n', whole.size() - 2) + 1));
        CPPUNIT_ASSERT_THROW(restore(target.database(), broken), Poco::DataFormatException); // no end line
        writeFile(broken, whole.substr(0, whole.size() / 2));
        CPPUNIT_ASSERT_THROW(restore(target.database(), broken), Poco::DataFormatException); // cut mid-row
        std::string altered = whole;
        altered.replace(altered.find("Field trial"), 11, "Field trIal");
        writeFile(broken, altered);
        CPPUNIT_ASSERT_THROW(restore(target.database(), broken), Poco::DataFormatException); // checksum
        std::string newer = whole;
        newer.replace(newer.find("\"migrations\":["), 14, "\"migrations\":[\"999_future.sql\",");
        writeFile(broken, newer);
        CPPUNIT_ASSERT_THROW(restore(target.database(), broken), ConflictError);
        // Refused before the database was touched: not even a migration was applied.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), tablesOf(target.database()));
        writeFile(broken, withRowReplaced(whole, "project_objectives", "[999999,\"SO1\"]"));
        try
        {
            restore(target.database(), broken);
            CPPUNIT_FAIL("a row that names a project the backup does not hold must be refused");
        }
        catch (const Poco::DataFormatException& e)
        {
            CPPUNIT_ASSERT_MESSAGE(e.message(),
                                   e.message().find("project_objectives -> projects") != std::string::npos);
        }
        writeFile(broken, "{\"format\":\"something else\"}\n");
        CPPUNIT_ASSERT_THROW(restore(target.database(), broken), Poco::DataFormatException);

        // Nothing was loaded: the whole file still restores into the same database.
        restore(target.database(), _backup);
        CPPUNIT_ASSERT_EQUAL(rowsOf(_backup), rowsOf(backUp(target.database(), broken)));
    }

    /// Files whose checksum is right but whose content no backup holds: each is refused with a
    /// DataFormatException saying why (the command's exit code 65, not 70), in bounded memory, and loads
    /// nothing.
    void testRestoreRefusesAHostileFileWithAReasonAndLoadsNothing()
    {
        createProject(*_pService, "SPS-1", "Field trial");
        backUp(_pDb->database(), _backup);
        const std::string whole = readFile(_backup);
        const std::string hostile = _pFolder->path() + "/hostile.backup";
        test::ScratchDatabase target;
        const std::string endRows = "{\"end\":{\"rows\":{";
        const struct
        {
            std::string file;
            std::string reason;
        } cases[] = {
            {withRowReplaced(whole, "projects", "[\"" + std::string(5u << 20, 'x') + "\"]"), "longer than 4 MiB"},
            {whole.substr(0, whole.find('\n') + 1) + std::string(5u << 20, '['), "longer than 4 MiB"},
            {withRowReplaced(whole, "project_objectives", "[{\"a\":1},\"SO1\"]"), "a list or an object"},
            {withRowReplaced(whole, "project_objectives", "[" + std::string(100000, '[') + "]"), "a list or an object"},
            {withRowReplaced(whole, "project_objectives", "[true,\"SO1\"]"), "not null, a number or a string"},
            {withRowReplaced(whole, "project_objectives", "[1,\"SO1\",3]"), "do not match the columns"},
            {withChecksumRedone(replacedAll(whole, endRows, endRows + "\"zz\":-1,")), "does not read"},
            {withChecksumRedone(replacedAll(whole, "\"changes\"", "\"changes`; DROP TABLE users; --\"")),
             "column audit_events.changes`; DROP TABLE users; -- is not in this schema"},
            {withChecksumRedone(replacedAll(whole, "\"changes\"", "\"changes\\\") VALUES (1); --\"")),
             "column audit_events.changes\") VALUES (1); -- is not in this schema"},
            {withChecksumRedone(replacedAll(whole, "\"users\"", "\"users; DROP TABLE projects\"")),
             "table users; DROP TABLE projects is not in this schema"},
            {withChecksumRedone(replacedAll(whole, "\"columns\":[\"id\",\"username\"", "\"columns\":[\"id\",\"id\"")),
             "column users.id twice"},
            {withMigrationRecorded(whole, "999_never_applied.sql"), "schema_migrations, the Migrator's own table"},
        };
        for (const auto& hostileCase : cases)
        {
            writeFile(hostile, hostileCase.file);
            try
            {
                restore(target.database(), hostile);
                CPPUNIT_FAIL("restored a file with " + hostileCase.reason);
            }
            catch (const Poco::DataFormatException& e)
            {
                CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(hostileCase.reason) != std::string::npos);
            }
        }
        restore(target.database(), _backup);
        CPPUNIT_ASSERT_EQUAL(rowsOf(_backup), rowsOf(backUp(target.database(), hostile)));
    }

    /// SQLite -> the tests' database (MariaDB when given, else SQLite) -> SQLite: the same rows, byte
    /// for byte in the backup's form, texts of every kind, NULLs and reals included.
    /// A user with a calendar feed whose secret has this hash (written straight through the store).
    static void addCalendarFeed(storage::Database& database, const std::string& digest)
    {
        auto pLease = database.lease();
        auto& session = pLease->session();
        session << "INSERT INTO users (username, display_name, role, disabled, version, created_at, updated_at) "
                   "VALUES ('feeder', 'Feeder', 'lead', 0, 1, '2027-03-01T10:00:00Z', '2027-03-01T10:00:00Z')",
            now;
        Poco::Int64 user = 0;
        session << "SELECT id FROM users WHERE username = 'feeder'", into(user), now;
        storage::CalendarFeedStore(database).insert(session, {user, digest, "2027-03-01T10:00:00Z", 0});
    }

    void testRoundTripThroughTheOtherDialectKeepsEveryRow()
    {
        test::ScratchDatabase source(test::ScratchDatabase::Kind::SQLite);
        storage::Migrator(source.database(), test::TestDatabase::sqlRoot()).migrate();
        const service::ResourceService sourceService(source.database(), _clock);
        createReferenceData(sourceService);
        const auto project = createProject(sourceService, "SPS-2027-014", "Ünïcødé \"quoted\" \\ 😀 终");
        const auto partner = *sourceService.findId(SYSTEM, catalogue().partners, {"code = ?", {Var("MDA")}});
        for (const double months : {2.5, 3.0, 0.1})
            sourceService.create(SYSTEM, catalogue().contributions,
                                 {{"partner_id", partner},
                                  {"role", "contributor"},
                                  {"kind", "expertise"},
                                  {"amount_eur", 1000},
                                  {"person_months", months},
                                  {"description", "Lines\nand\ttabs"}},
                                 project);
        sourceService.create(SYSTEM, catalogue().milestones, {{"title", "M-1"}, {"baseline_date", "2027-05-01"}},
                             project);
        addCalendarFeed(source.database(), std::string(64, 'f'));
        backUp(source.database(), _backup);

        test::ScratchDatabase middle;
        restore(middle.database(), _backup);
        const std::string throughMiddle = _pFolder->path() + "/middle.backup";
        backUp(middle.database(), throughMiddle);
        test::ScratchDatabase back(test::ScratchDatabase::Kind::SQLite);
        restore(back.database(), throughMiddle);
        const std::string throughBack = _pFolder->path() + "/back.backup";
        backUp(back.database(), throughBack);

        CPPUNIT_ASSERT_EQUAL(rowsOf(_backup), rowsOf(throughMiddle));
        CPPUNIT_ASSERT_EQUAL(rowsOf(_backup), rowsOf(throughBack));
        CPPUNIT_ASSERT(rowsOf(_backup).find("😀 终") != std::string::npos);
        CPPUNIT_ASSERT(rowsOf(_backup).find(",2.5,") != std::string::npos);
        CPPUNIT_ASSERT(rowsOf(_backup).find(",3.0,") != std::string::npos);
        CPPUNIT_ASSERT(rowsOf(_backup).find(std::string(64, 'f')) != std::string::npos); // the feed's hash
    }

    /// The last project is deleted before the backup: its id must not come back, on either dialect.
    void testRecordCreatedAfterRestoreGetsAnIdNoBackedUpRowEverHad()
    {
        const auto kept = createProject(*_pService, "SPS-1");
        const auto deleted = createProject(*_pService, "SPS-2");
        _pService->remove(SYSTEM, catalogue().projects, deleted, Poco::Int64(1));
        backUp(_pDb->database(), _backup);
        test::ScratchDatabase target;
        restore(target.database(), _backup);

        const service::ResourceService targetService(target.database(), _clock);
        const auto created = createProject(targetService, "SPS-3");
        CPPUNIT_ASSERT(created > deleted);
        const auto milestone = targetService.create(SYSTEM, catalogue().milestones,
                                                    {{"title", "After"}, {"baseline_date", "2027-05-01"}}, kept);
        CPPUNIT_ASSERT(domain::recordId(milestone) > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("SPS-1"),
                             *domain::textField(targetService.get(SYSTEM, catalogue().projects, kept), "code"));
    }

    void testBackupFileIsPrivateAndAppearsWholeOrNotAtAll()
    {
        createProject(*_pService, "SPS-1");
        writeFile(_backup, "an older backup\n");
        CPPUNIT_ASSERT_THROW(backUp(_pDb->database(), _backup,
                                    [](const std::string&, Poco::UInt64) { throw Poco::IOException("disk gone"); }),
                             Poco::IOException);
        CPPUNIT_ASSERT_EQUAL(std::string("an older backup\n"), readFile(_backup));
        std::vector<std::string> files;
        Poco::File(_pFolder->path()).list(files);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), files.size()); // no temporary file left behind

        backUp(_pDb->database(), _backup);
        struct stat status
        {
        };
        CPPUNIT_ASSERT_EQUAL(0, ::stat(_backup.c_str(), &status));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(status.st_mode & 0777));
        CPPUNIT_ASSERT(readFile(_backup).find("\"format\":\"captrack-backup\"") != std::string::npos);
    }

    /// A row that cannot be written (text that is not UTF-8) or read back (a line over 4 MiB) fails the
    /// backup with the row's table and key, the old file kept. SQLite only: MySQL's TEXT columns hold
    /// 64 KiB at most and its utf8mb4 columns only well-formed text.
    void testBackupRefusesARowARestoreCouldNotReadAndNamesIt()
    {
        if (_pDb->isMySql())
            return;
        const auto project = createProject(*_pService, "SPS-1");
        const std::string row = "the row of projects with id = " + std::to_string(project);
        const struct
        {
            std::string description;
            std::string reason;
        } cases[] = {
            {std::string(5u << 20, 'x'), row + " is longer than a backup line may be"},
            {"caf\xe9", row + ": a text value is not well-formed UTF-8"},
        };
        writeFile(_backup, "an older backup\n");
        for (const auto& rowCase : cases)
        {
            {
                auto pLease = _pDb->database().lease();
                std::string description = rowCase.description;
                pLease->session() << "UPDATE projects SET description = ? WHERE id = ?", use(description),
                    bind(project), now;
            }
            try
            {
                backUp(_pDb->database(), _backup);
                CPPUNIT_FAIL("wrote " + rowCase.reason);
            }
            catch (const Poco::DataFormatException& e)
            {
                CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(rowCase.reason) != std::string::npos);
            }
            CPPUNIT_ASSERT_EQUAL(std::string("an older backup\n"), readFile(_backup));
        }
    }

private:
    const std::string& backUp(storage::Database& database, const std::string& path,
                              const storage::BackupWriter::TableWritten& onTable = {})
    {
        storage::BackupWriter(database, _clock).writeTo(path, onTable);
        return path;
    }

    static void restore(storage::Database& database, const std::string& path)
    {
        storage::BackupRestorer(database, test::TestDatabase::sqlRoot()).restoreFrom(path);
    }

    /// Each project and milestone has exactly one audit row per version and each milestone one history
    /// row per version (create, then reschedules); each audit row of theirs has its record.
    static void assertNoWriteHalfThere(const RestoredWrites& restored)
    {
        for (const auto& [id, version] : restored.projectVersions)
            CPPUNIT_ASSERT_EQUAL(version, restored.auditRows.at({"project", id}));
        for (const auto& [id, version] : restored.milestoneVersions)
        {
            CPPUNIT_ASSERT_EQUAL(version, restored.auditRows.at({"milestone", id}));
            CPPUNIT_ASSERT_EQUAL(version, restored.historyRows.at(id));
        }
        for (const auto& [key, rows] : restored.auditRows)
        {
            const auto& [entity, id] = key;
            if (entity != "project" && entity != "milestone")
                continue;
            const auto& versions = entity == "project" ? restored.projectVersions : restored.milestoneVersions;
            CPPUNIT_ASSERT_MESSAGE(entity + " " + std::to_string(id) + " audited but absent", versions.count(id));
        }
        CPPUNIT_ASSERT_EQUAL(restored.milestoneVersions.size(), restored.historyRows.size());
    }

    domain::FixedClock _clock{Poco::Timestamp::fromEpochTime(1803981600)};
    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<service::ResourceService> _pService;
    std::unique_ptr<Poco::TemporaryFile> _pFolder;
    std::string _backup;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BackupRestoreTest);
