#include "TestDatabase.h"

#include "captrack/app/Settings.h"

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
};

CPPUNIT_TEST_SUITE_REGISTRATION(ShippedSettingsTest);
