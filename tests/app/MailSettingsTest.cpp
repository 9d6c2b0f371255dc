#include "captrack/app/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

using captrack::app::Settings;

/// app::Settings::mailOptions: the mail.* settings read, checked and refused with the key's name.
class MailSettingsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailSettingsTest);
    CPPUNIT_TEST(testDefaultsLeaveMailOff);
    CPPUNIT_TEST(testSettingsAreRead);
    CPPUNIT_TEST(testBadSettingsAreRefusedByName);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDefaultsLeaveMailOff()
    {
        const auto mail = Settings::mailOptions(*configured({}));
        CPPUNIT_ASSERT(!mail.enabled());
        CPPUNIT_ASSERT_EQUAL(1, mail.digest.weekday);
        CPPUNIT_ASSERT(mail.smtp.startTls == captrack::service::StartTlsMode::Auto);
    }

    void testSettingsAreRead()
    {
        const auto mail = Settings::mailOptions(
            *configured({"mail.smtp.host=relay.example.org", "mail.smtp.port=587", "mail.starttls=required",
                         "mail.digest.weekday=Friday", "mail.digest.hour_utc=23",
                         "mail.web_base_url=https://ct.example.org/app//"}));
        CPPUNIT_ASSERT(mail.enabled());
        CPPUNIT_ASSERT_EQUAL(Poco::UInt16(587), mail.smtp.port);
        CPPUNIT_ASSERT(mail.smtp.startTls == captrack::service::StartTlsMode::Required);
        CPPUNIT_ASSERT_EQUAL(5, mail.digest.weekday);
        CPPUNIT_ASSERT_EQUAL(23, mail.digest.hourUtc);
        CPPUNIT_ASSERT_EQUAL(std::string("https://ct.example.org/app"), mail.webBaseUrl);
    }

    void testBadSettingsAreRefusedByName()
    {
        for (const auto& [pair, key] :
             std::vector<std::pair<std::string, std::string>>{{"mail.starttls=yes", "mail.starttls"},
                                                              {"mail.digest.weekday=fri", "mail.digest.weekday"},
                                                              {"mail.digest.hour_utc=24", "mail.digest.hour_utc"},
                                                              {"mail.smtp.port=0", "mail.smtp.port"},
                                                              {"mail.retry_seconds=0", "mail.retry_seconds"}})
        {
            try
            {
                (void)Settings::mailOptions(*configured({pair}));
                CPPUNIT_FAIL(pair + " was taken");
            }
            catch (const Poco::InvalidArgumentException& e)
            {
                CPPUNIT_ASSERT_MESSAGE(pair + ": " + e.displayText(), e.displayText().find(key) != std::string::npos);
            }
        }
        CPPUNIT_ASSERT_THROW((void)Settings::mailOptions(*configured({"mail.smtp.host=relay", "mail.sender="})),
                             Poco::InvalidArgumentException);
    }

private:
    static Poco::AutoPtr<Poco::Util::LayeredConfiguration> configured(const std::vector<std::string>& pairs)
    {
        Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
        Settings::addLayers(*config);
        for (const auto& pair : pairs)
            Settings::addOverride(*config, pair);
        return config;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailSettingsTest);
