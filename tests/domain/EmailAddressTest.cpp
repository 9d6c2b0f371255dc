#include "captrack/domain/Specs.h"
#include "captrack/domain/TextRules.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;

/// domain::emailAddressProblem, table-driven, and the user's `email` field that it guards.
class EmailAddressTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EmailAddressTest);
    CPPUNIT_TEST(testAddressesEveryRelayTakesPass);
    CPPUNIT_TEST(testEachKindOfBadAddressIsRefused);
    CPPUNIT_TEST(testTheUserFieldIsCheckedAndOptional);
    CPPUNIT_TEST_SUITE_END();

public:
    void testAddressesEveryRelayTakesPass()
    {
        for (const char* address : {"lena@example.org", "a@b.co", "first.last+tag@mail.example-host.eu",
                                    "o'neil_x-y@sub.domain.example", "UPPER@EXAMPLE.ORG"})
            CPPUNIT_ASSERT_MESSAGE(address, !domain::emailAddressProblem(address));
    }

    void testEachKindOfBadAddressIsRefused()
    {
        const std::string longLocal(65, 'a');
        const std::string longLabel(64, 'b');
        for (const std::string& address : {std::string(""),
                                           std::string("lena"),
                                           std::string("lena@"),
                                           std::string("@example.org"),
                                           std::string("a@b@example.org"),
                                           std::string("lena@localhost"),
                                           std::string("le na@example.org"),
                                           std::string("\"lena\"@example.org"),
                                           std::string("lena@exa mple.org"),
                                           std::string(".lena@example.org"),
                                           std::string("lena.@example.org"),
                                           std::string("le..na@example.org"),
                                           std::string("lena@-example.org"),
                                           std::string("lena@example-.org"),
                                           std::string("lena@example..org"),
                                           std::string("lena@example.org."),
                                           std::string("lena@[127.0.0.1]"),
                                           std::string("l\xC3\xA9na@example.org"),
                                           std::string("lena@ex\xC3\xA9.org"),
                                           std::string("lena\n@example.org"),
                                           std::string("<lena@example.org>"),
                                           longLocal + "@example.org",
                                           "lena@" + longLabel + ".org"})
            CPPUNIT_ASSERT_MESSAGE(address, domain::emailAddressProblem(address).has_value());
    }

    void testTheUserFieldIsCheckedAndOptional()
    {
        const auto& spec = domain::userSpec();
        const domain::Record base{{"username", "lena"}, {"display_name", "Lena"}, {"role", "lead"}};
        auto check = [&spec](domain::Record record) {
            FieldErrors errors;
            const auto normalised = domain::normaliseInput(spec, record, domain::WriteMode::Create, errors);
            domain::checkRecord(spec, normalised, errors);
            return errors;
        };
        CPPUNIT_ASSERT(check(base).empty());
        auto withAddress = base;
        withAddress["email"] = std::string("lena@example.org");
        CPPUNIT_ASSERT(check(withAddress).empty());
        withAddress["email"] = std::string("lena at example.org");
        const auto errors = check(withAddress);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("email"), errors[0].field);
        withAddress["email"] = std::string(250, 'a') + "@example.org"; // over the field's 254
        CPPUNIT_ASSERT(!check(withAddress).empty());
        CPPUNIT_ASSERT(spec.field("email_reminders") != nullptr);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), spec.field("email_reminders")->defaultValue.convert<Poco::Int64>());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmailAddressTest);
