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
    CPPUNIT_TEST(testAnyJsonTreeIsWrittenAsPocoWritesIt);
    CPPUNIT_TEST(testEveryByteAtEveryPlaceOfAWordIsWrittenAsPocoWritesIt);
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

    /// service::appendJson (every answer built of Poco JSON objects: summaries, reports, problems) against
    /// Poco's Stringifier, on trees of every shape: objects that keep their keys' order and objects that
    /// sort them, keys that need escaping, arrays, objects by value and by pointer, and every scalar type.
    /// Text is scanned eight bytes at a time: each byte value, at each place of the first three words and
    /// at the tail, alone among plain bytes or beside another, comes out as Poco writes it.
    void testEveryByteAtEveryPlaceOfAWordIsWrittenAsPocoWritesIt()
    {
        for (int byte = 0; byte < 256; ++byte)
            for (std::size_t length = 1; length <= 27; ++length)
                for (std::size_t place = 0; place < length; ++place)
                {
                    std::string text(length, 'a');
                    text[place] = static_cast<char>(byte);
                    if (place + 1 < length)
                        text[length - 1] = static_cast<char>(255 - byte);
                    std::string direct;
                    service::appendJson(direct, Var(text));
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(byte) + " at " + std::to_string(place) + " of " +
                                                     std::to_string(length),
                                                 throughPoco(Var(text)), direct);
                }
    }

    void testAnyJsonTreeIsWrittenAsPocoWritesIt()
    {
        const auto& texts = hardTexts();
        const std::vector<Var> scalars{Var(),
                                       Var(Poco::Int64(-9223372036854775807)),
                                       Var(int(-7)),
                                       Var(unsigned(7)),
                                       Var(Poco::UInt64(18446744073709551615ULL)),
                                       Var(true),
                                       Var(false),
                                       Var(0.1),
                                       Var(-2.25e12),
                                       Var(3.0),
                                       Var(float(1.5)),
                                       Var('q'),
                                       Var(std::string("text")),
                                       Var(texts.back())};
        std::size_t compared = 0;
        for (std::size_t round = 0; round < 200; ++round)
        {
            const Var tree = treeOf(round, 0, scalars);
            std::string direct;
            service::appendJson(direct, tree);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), throughPoco(tree), direct);
            ++compared;
        }
        for (const auto& scalar : scalars)
        {
            std::string direct;
            service::appendJson(direct, scalar);
            CPPUNIT_ASSERT_EQUAL(throughPoco(scalar), direct);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(200), compared);
    }

private:
    /// A tree whose shape and values depend on `round`, at most three levels deep.
    static Var treeOf(std::size_t round, int depth, const std::vector<Var>& scalars)
    {
        const auto& texts = hardTexts();
        const std::size_t width = 1 + (round * 7 + static_cast<std::size_t>(depth)) % 6;
        const auto child = [&](std::size_t i) {
            const std::size_t pick = round * 31 + i * 17 + static_cast<std::size_t>(depth) * 5;
            return depth < 2 && pick % 4 == 0 ? treeOf(pick, depth + 1, scalars) : scalars[pick % scalars.size()];
        };
        switch ((round + static_cast<std::size_t>(depth)) % 4)
        {
        case 0:
        case 1: {
            // Keys inserted out of order, some needing escapes; kept in order by the first kind only.
            Poco::JSON::Object::Ptr object = new Poco::JSON::Object(round % 2 ? Poco::JSON_PRESERVE_KEY_ORDER : 0);
            for (std::size_t i = 0; i < width; ++i)
                object->set((i % 3 == 2 ? texts[(round + i) % texts.size()] : "") + "key" + std::to_string(width - i),
                            child(i));
            if (round % 8 == 5)
                return Var(*object); // an object held by value
            return object;
        }
        default: {
            Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
            for (std::size_t i = 0; i < width; ++i)
                array->add(child(i));
            if (round % 8 == 6)
                return Var(*array);
            return array;
        }
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordJsonTest);
