#include "captrack/service/SecretFile.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using captrack::service::loadOrCreateSecret;

namespace
{
unsigned modeOf(const std::string& path)
{
    struct stat info
    {
    };
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &info));
    return static_cast<unsigned>(info.st_mode) & 0777U;
}

/// Sets the process umask for a scope.
class UmaskScope
{
public:
    explicit UmaskScope(mode_t mask) : _old(::umask(mask)) {}
    ~UmaskScope() { ::umask(_old); }
    UmaskScope(const UmaskScope&) = delete;
    UmaskScope& operator=(const UmaskScope&) = delete;

private:
    mode_t _old;
};
} // namespace

/// The token secret the server loads at start: created private, refused when others may read it.
class SecretFileTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SecretFileTest);
    CPPUNIT_TEST(testCreatedPrivateInPrivateDirectories);
    CPPUNIT_TEST(testLooseModesAreRefusedWithTheFix);
    CPPUNIT_TEST(testExistingPrivateSecretIsRead);
    CPPUNIT_TEST(testServersStartingAtOnceShareOneWholeSecret);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _root = Poco::TemporaryFile::tempName();
        Poco::File(_root).createDirectories();
    }
    void tearDown() override { Poco::File(_root).remove(true); }

    void testCreatedPrivateInPrivateDirectories()
    {
        const std::string path = _root + "/var/keys/captrack.secret";
        const UmaskScope open(0); // the loosest umask: the modes created must not depend on it
        const std::string secret = loadOrCreateSecret(path);
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), secret.size());
        CPPUNIT_ASSERT_EQUAL(0600U, modeOf(path));
        CPPUNIT_ASSERT_EQUAL(0700U, modeOf(_root + "/var"));
        CPPUNIT_ASSERT_EQUAL(0700U, modeOf(_root + "/var/keys"));
        CPPUNIT_ASSERT_EQUAL(secret, loadOrCreateSecret(path));
    }

    /// Several servers on one machine starting together with one new secret file: each gets the same
    /// whole secret, none reads it half written (a refusal: "fewer than 32 characters").
    void testServersStartingAtOnceShareOneWholeSecret()
    {
        for (int round = 0; round < 40; ++round)
        {
            const std::string path = _root + "/round" + std::to_string(round) + "/captrack.secret";
            std::vector<std::string> secrets(8);
            std::atomic<int> refused{0};
            std::atomic<bool> go{false};
            std::vector<std::thread> servers;
            for (auto& secret : secrets)
                servers.emplace_back([&] {
                    while (!go)
                        std::this_thread::yield();
                    try
                    {
                        secret = loadOrCreateSecret(path);
                    }
                    catch (const Poco::Exception&)
                    {
                        ++refused;
                    }
                });
            go = true;
            for (auto& server : servers)
                server.join();
            CPPUNIT_ASSERT_EQUAL(0, refused.load());
            for (const auto& secret : secrets)
                CPPUNIT_ASSERT_EQUAL(secrets.front(), secret);
            CPPUNIT_ASSERT_EQUAL(std::size_t(64), secrets.front().size());
            std::vector<std::string> names;
            Poco::File(_root + "/round" + std::to_string(round)).list(names);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), names.size()); // no draft left behind
        }
    }

    void testLooseModesAreRefusedWithTheFix()
    {
        const std::string path = _root + "/captrack.secret";
        const std::string secret = loadOrCreateSecret(path);
        for (const unsigned mode : {0640U, 0604U, 0620U, 0602U, 0644U, 0666U})
        {
            ::chmod(path.c_str(), mode);
            try
            {
                (void)loadOrCreateSecret(path);
                CPPUNIT_FAIL("a secret file with mode " + std::to_string(mode) + " was used");
            }
            catch (const Poco::FileAccessDeniedException& e)
            {
                CPPUNIT_ASSERT_MESSAGE(e.displayText(), e.displayText().find("chmod 600 " + path) != std::string::npos);
            }
        }
        ::chmod(path.c_str(), 0600);
        CPPUNIT_ASSERT_EQUAL(secret, loadOrCreateSecret(path));
        ::chmod(path.c_str(), 0400);
        CPPUNIT_ASSERT_EQUAL(secret, loadOrCreateSecret(path));
    }

    void testExistingPrivateSecretIsRead()
    {
        const std::string path = _root + "/given.secret";
        {
            Poco::FileOutputStream out(path);
            out << "  0123456789abcdef0123456789abcdef0123  \n";
        }
        ::chmod(path.c_str(), 0600);
        CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdef0123456789abcdef0123"), loadOrCreateSecret(path));
        {
            Poco::FileOutputStream out(path);
            out << "short\n";
        }
        CPPUNIT_ASSERT_THROW((void)loadOrCreateSecret(path), Poco::DataFormatException);
    }

private:
    std::string _root;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretFileTest);
