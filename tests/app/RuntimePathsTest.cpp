#include "captrack/app/RuntimePaths.h"

#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <fstream>

using captrack::app::InstallLayout;
using captrack::app::RuntimePaths;
namespace fs = std::filesystem;

namespace
{
/// Changes the working directory for one scope.
class WorkingDirectory
{
public:
    explicit WorkingDirectory(const fs::path& path) : _previous(fs::current_path()) { fs::current_path(path); }
    ~WorkingDirectory() { fs::current_path(_previous); }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

private:
    fs::path _previous;
};
} // namespace

/// The installed binary reads the installed settings and migrations wherever it is started; a build
/// tree's binary reads the developer's, as before there was a package.
class RuntimePathsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RuntimePathsTest);
    CPPUNIT_TEST(testTheInstalledBinaryReadsTheInstalledFiles);
    CPPUNIT_TEST(testALinkToTheInstalledBinaryIsTheInstalledBinary);
    CPPUNIT_TEST(testAnyOtherBinaryReadsTheDevelopersFiles);
    CPPUNIT_TEST(testThisBuildInstallsUnderItsPrefixAndTheTestsAreNotInstalled);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _root = fs::path(Poco::TemporaryFile::tempName());
        fs::create_directories(_root / "usr/bin");
        std::ofstream(_root / "usr/bin/captrack") << "binary";
        _layout = InstallLayout{(_root / "usr/bin/captrack").string(), "/etc/captrack/captrack.properties",
                                "/usr/share/captrack/sql"};
    }

    void tearDown() override { fs::remove_all(_root); }

    void testTheInstalledBinaryReadsTheInstalledFiles()
    {
        // From any working directory, one with a developer's etc/ and sql/ included.
        fs::create_directories(_root / "checkout/etc");
        fs::create_directories(_root / "checkout/sql/sqlite");
        for (const auto& folder : {_root, _root / "checkout"})
        {
            const WorkingDirectory inside(folder);
            const auto paths = RuntimePaths::of(_layout.binary, _layout);
            CPPUNIT_ASSERT(paths.installed);
            CPPUNIT_ASSERT_EQUAL(std::string("/etc/captrack/captrack.properties"), paths.configFile);
            CPPUNIT_ASSERT_EQUAL(std::string("/usr/share/captrack/sql"), paths.sqlRoot);
        }
    }

    void testALinkToTheInstalledBinaryIsTheInstalledBinary()
    {
        // /bin/captrack on a merged-/usr system, or a path through a link to the folder.
        fs::create_symlink(_root / "usr/bin/captrack", _root / "captrack-link");
        fs::create_directory_symlink(_root / "usr/bin", _root / "bin");
        for (const auto& path : {_root / "captrack-link", _root / "bin/captrack", _root / "usr/bin/../bin/captrack"})
            CPPUNIT_ASSERT_MESSAGE(path.string(), RuntimePaths::of(path.string(), _layout).installed);
        // A copy is another binary.
        fs::copy_file(_root / "usr/bin/captrack", _root / "captrack-copy");
        CPPUNIT_ASSERT(!RuntimePaths::of((_root / "captrack-copy").string(), _layout).installed);
    }

    void testAnyOtherBinaryReadsTheDevelopersFiles()
    {
        const std::string buildTree = (_root / "build/dev/captrack").string();
        const std::string sourceSql = std::string(CAPTRACK_SOURCE_DIR) + "/sql";
        fs::create_directories(_root / "elsewhere");
        fs::create_directories(_root / "checkout/sql/sqlite");
        {
            // Outside a checkout: the source tree's migrations.
            const WorkingDirectory inside(_root / "elsewhere");
            const auto paths = RuntimePaths::of(buildTree, _layout);
            CPPUNIT_ASSERT(!paths.installed);
            CPPUNIT_ASSERT_EQUAL(std::string("etc/captrack.properties"), paths.configFile);
            CPPUNIT_ASSERT_EQUAL(sourceSql, paths.sqlRoot);
        }
        {
            // In a checkout (or a folder with its own sql/): those.
            const WorkingDirectory inside(_root / "checkout");
            const auto paths = RuntimePaths::of(buildTree, _layout);
            CPPUNIT_ASSERT(!paths.installed);
            CPPUNIT_ASSERT_EQUAL(std::string("etc/captrack.properties"), paths.configFile);
            CPPUNIT_ASSERT_EQUAL(std::string("sql"), paths.sqlRoot);
        }
        // Unknown (no /proc): not the installed binary.
        CPPUNIT_ASSERT(!RuntimePaths::of("", _layout).installed);
    }

    void testThisBuildInstallsUnderItsPrefixAndTheTestsAreNotInstalled()
    {
        const auto layout = InstallLayout::ofThisBuild();
        const auto endsWith = [](const std::string& text, const std::string& tail) {
            return text.size() > tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
        };
        CPPUNIT_ASSERT_MESSAGE(layout.binary, endsWith(layout.binary, "/bin/captrack"));
        CPPUNIT_ASSERT_MESSAGE(layout.configFile, endsWith(layout.configFile, "/captrack/captrack.properties"));
        CPPUNIT_ASSERT_MESSAGE(layout.sqlRoot, endsWith(layout.sqlRoot, "/share/captrack/sql"));
        CPPUNIT_ASSERT(!RuntimePaths::ofThisProcess().installed);
    }

private:
    fs::path _root;
    InstallLayout _layout;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RuntimePathsTest);
