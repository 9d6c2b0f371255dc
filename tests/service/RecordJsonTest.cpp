#include "captrack/service/RecordJson.h"
#include "captrack/domain/Specs.h"

#include <Poco/JSON/Stringifier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace captrack;
using domain::FieldKind;
using Poco::Dynamic::Var;

namespace
{
/// What the API wrote before the direct writer: recordToJson stringified by Poco.
std::string throughPoco(const Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

std::string everyByte()
{
    std::string bytes;
    for (int byte = 0; byte < 256; ++byte)
        bytes += static_cast<char>(byte);
    return bytes;
}

const std::vector<std::string>& hardTexts()
{
    static const std::vector<std::string> texts = {"",
                                                   "plain",
                                                   "quote \" backslash \\ slash /",
                                                   "tab\tnew\nline\rreturn",
                                                   std::string("nul\0x", 5),
                                                   "\x01\x1f control \b\f\x7f",
                                                   "é € 😀 \xe2\x80\xa8 line separator",
                                                   "<script>&amp;</script>",
                                                   everyByte()};
    return texts;
}

/// A record of `spec` whose every field holds the `round`-th value of its kind.
domain::Record sampleRecord(const domain::ResourceSpec& spec, std::size_t round)
{
    const auto& texts = hardTexts();
    const std::vector<Poco::Int64> integers = {0, 1, -1, 42, 9007199254740993, -9223372036854775807};
    const std::vector<double> numbers = {0.0, 12.5, 3.0, 1e-7, -2.25e12, 0.1};
    domain::Record record;
    for (const auto& field : spec.fields)
    {
        if (round % 7 == 6)
            continue; // every field missing: null
        switch (field.kind)
        {
        case FieldKind::Integer:
        case FieldKind::Id:
            record[field.name] = integers[round % integers.size()];
            break;
        case FieldKind::Boolean:
            record[field.name] = Poco::Int64(round % 2);
            break;
        case FieldKind::Number:
            record[field.name] = numbers[round % numbers.size()];
            break;
        case FieldKind::IdList:
            record[field.name] = std::vector<Poco::Int64>(round % 3, Poco::Int64(round));
            break;
        case FieldKind::CodeList:
            record[field.name] = std::vector<std::string>(texts.begin(), texts.begin() + static_cast<long>(round % 4));
            break;
        default:
            record[field.name] = round % 5 == 4 ? Var() : Var(texts[round % texts.size()]);
        }
    }
    return record;
}

std::vector<const domain::ResourceSpec*> everySpec()
{
    return {&domain::partnerSpec(),      &domain::missionSpec(),     &domain::capabilityAreaSpec(),
            &domain::objectiveSpec(),    &domain::projectSpec(),     &domain::milestoneSpec(),
            &domain::contributionSpec(), &domain::missionLinkSpec(), &domain::userSpec()};
}
} // namespace

/// The direct JSON writer of records and pages (service/RecordJson.h) writes exactly what Poco's
/// objects wrote before it, for every resource and every kind of value, escaping included.
class RecordJsonTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecordJsonTest);
    CPPUNIT_TEST(testRecordsAreWrittenAsPocoWroteThem);
    CPPUNIT_TEST(testPagesAreWrittenAsPocoWroteThem);
    CPPUNIT_TEST(testUnusualValueTypesFallBackToPoco);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRecordsAreWrittenAsPocoWroteThem()
    {
        for (const auto* pSpec : everySpec())
            for (std::size_t round = 0; round < 24; ++round)
            {
                const auto record = sampleRecord(*pSpec, round);
                std::string direct;
                service::appendRecordJson(direct, *pSpec, record);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(pSpec->entity + " round " + std::to_string(round),
                                             throughPoco(service::recordToJson(*pSpec, record)), direct);
            }
    }

    void testPagesAreWrittenAsPocoWroteThem()
    {
        const auto& spec = domain::projectSpec();
        for (std::size_t size : {0, 1, 3})
        {
            std::vector<domain::Record> records;
            Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
            for (std::size_t i = 0; i < size; ++i)
            {
                records.push_back(sampleRecord(spec, i));
                items->add(service::recordToJson(spec, records.back()));
            }
            CPPUNIT_ASSERT_EQUAL(throughPoco(service::pageJson(items, 1234, 25, 50)),
                                 service::pageJsonText(spec, records, 1234, 25, 50));
        }
    }

    void testUnusualValueTypesFallBackToPoco()
    {
        const auto& spec = domain::projectSpec();
        domain::Record record;
        for (const auto& field : spec.fields)
            if (field.kind == FieldKind::Text || field.kind == FieldKind::Integer)
                record[field.name] = field.kind == FieldKind::Text ? Var(int(7)) : Var(std::string("12"));
        std::string direct;
        service::appendRecordJson(direct, spec, record);
        CPPUNIT_ASSERT_EQUAL(throughPoco(service::recordToJson(spec, record)), direct);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordJsonTest);
