#include "TestDatabase.h"

#include "captrack/app/ApiServer.h"
#include "captrack/app/Settings.h"
#include "captrack/service/AuthOptions.h"

#include <Poco/AutoPtr.h>
#include <Poco/FileStream.h>
#include <Poco/String.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <string>

namespace
{
using captrack::app::Settings;

std::string shippedPath()
{
    return captrack::test::TestDatabase::sourceRoot() + "/etc/captrack.properties";
}

/// Every key the file sets, with its value.
void collect(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
             std::map<std::string, std::string>& out)
{
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(prefix, keys);
    if (keys.empty() && !prefix.empty())
        out[prefix] = config.getString(prefix);
    for (const auto& key : keys)
        collect(config, prefix.empty() ? key : prefix + "." + key, out);
}

/// Keys the file shows commented out ("# key = value"), with the value shown.
std::map<std::string, std::string> commentedOut()
{
    std::map<std::string, std::string> shown;
    Poco::FileInputStream in(shippedPath());
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind("# ", 0) != 0)
            continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos)
            continue;
        const std::string key = Poco::trim(line.substr(2, equals - 2));
        if (Settings::defaults().count(key))
            shown[key] = Poco::trim(line.substr(equals + 1));
    }
    return shown;
}
} // namespace

/// The shipped etc/captrack.properties and the defaults in the code are one source: the file sets or
/// shows every setting, each with the code's default value, and names no setting the code lacks.
class ShippedSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ShippedSettingsTest);
    CPPUNIT_TEST(testEverySettingOfTheFileIsADefaultWithItsValue);
    CPPUNIT_TEST(testEveryDefaultIsInTheFile);
    CPPUNIT_TEST(testDefaultsAreThoseOfTheOptionStructs);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEverySettingOfTheFileIsADefaultWithItsValue()
    {
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file =
            new Poco::Util::PropertyFileConfiguration(shippedPath());
        std::map<std::string, std::string> set;
        collect(*file, "", set);
        CPPUNIT_ASSERT(set.size() > 10);
        for (const auto& [key, value] : set)
        {
            const auto known = Settings::defaults().find(key);
            CPPUNIT_ASSERT_MESSAGE("the file sets " + key + ", which the code does not know",
                                   known != Settings::defaults().end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, known->second, value);
        }
        for (const auto& [key, value] : commentedOut())
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key + " (shown commented out)", Settings::defaults().at(key), value);
    }

    void testEveryDefaultIsInTheFile()
    {
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file =
            new Poco::Util::PropertyFileConfiguration(shippedPath());
        const auto shown = commentedOut();
        for (const auto& [key, value] : Settings::defaults())
            CPPUNIT_ASSERT_MESSAGE("etc/captrack.properties neither sets nor shows " + key,
                                   file->hasProperty(key) || shown.count(key));
    }

    /// A server started without any setting runs as one started with the defaults: each default is
    /// its option struct's initialiser, the one place where it is written.
    void testDefaultsAreThoseOfTheOptionStructs()
    {
        const captrack::app::ServerOptions options;
        const auto& d = Settings::defaults();
        const auto number = [&d](const std::string& key) { return std::stoll(d.at(key)); };
        CPPUNIT_ASSERT_EQUAL(options.http.address, d.at("http.address"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.http.port), number("http.port"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.http.workers), number("http.threads"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.http.requestDeadline.totalMilliseconds()),
                             number("http.request_deadline_ms"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.http.shutdownGrace.totalSeconds()),
                             number("http.shutdown_grace_seconds"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.thresholds.redSlipDays), number("health.red_slip_days"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.thresholds.amberSlipDays),
                             number("health.amber_slip_days"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.reports.maxConcurrent), number("reports.max_concurrent"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.worklist.lookAheadDays), number("lead.look_ahead_days"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(options.worklist.staleDays), number("lead.stale_days"));
        const captrack::service::AuthOptions auth;
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.tokenLifetimeSeconds), number("auth.token_lifetime"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.pbkdf2Iterations), number("auth.pbkdf2_iterations"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.failureDelayMs), number("auth.failure_delay_ms"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.maxUserFailures), number("auth.max_user_failures"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.maxAddressFailures), number("auth.max_address_failures"));
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(auth.lockoutSeconds), number("auth.lockout_seconds"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ShippedSettingsTest);
