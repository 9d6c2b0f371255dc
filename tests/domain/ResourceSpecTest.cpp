#include "captrack/domain/Specs.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

using namespace captrack;
using domain::Record;
using domain::WriteMode;
using Poco::Dynamic::Var;

namespace
{
/// The fields named in the errors of normalising `input` as a create (then checking the record).
std::string rejectedFields(const domain::ResourceSpec& spec, const Record& input)
{
    FieldErrors errors;
    const Record record = domain::normaliseInput(spec, input, WriteMode::Create, errors);
    domain::checkRecord(spec, record, errors);
    std::string fields;
    for (const auto& error : errors)
        fields += (fields.empty() ? "" : ",") + error.field;
    return fields;
}

/// The message of the first error about `field` when `input` is normalised as a create and checked.
std::string messageFor(const domain::ResourceSpec& spec, const Record& input, const std::string& field)
{
    FieldErrors errors;
    const Record record = domain::normaliseInput(spec, input, WriteMode::Create, errors);
    domain::checkRecord(spec, record, errors);
    for (const auto& error : errors)
        if (error.field == field)
            return error.message;
    return "(no error on " + field + ")";
}

/// What a message for people must not hold: a word of JSON or SQL, or a code written with an underscore
/// (`in_progress`); "" when it holds none.
std::string jargonIn(const std::string& message)
{
    std::string word;
    for (std::size_t i = 0; i <= message.size(); ++i)
    {
        const char c = i < message.size() ? message[i] : ' ';
        if (std::isalpha(static_cast<unsigned char>(c)) || (c == '_' && !word.empty() && i + 1 < message.size() &&
                                                            std::isalpha(static_cast<unsigned char>(message[i + 1]))))
        {
            word += c;
            continue;
        }
        for (const char* jargon : {"null", "JSON", "string", "integer", "row", "boolean"})
            if (word == jargon)
                return word;
        if (word.find('_') != std::string::npos)
            return word;
        word.clear();
    }
    return "";
}

Record milestone(std::initializer_list<std::pair<const std::string, Var>> extra)
{
    Record r{{"title", "Field trial"}, {"baseline_date", "2027-05-01"}};
    for (const auto& [k, v] : extra)
        r[k] = v;
    return r;
}
} // namespace

class ResourceSpecTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ResourceSpecTest);
    CPPUNIT_TEST(testMilestoneRules);
    CPPUNIT_TEST(testProjectRules);
    CPPUNIT_TEST(testContributionRules);
    CPPUNIT_TEST(testCreateFillsDefaults);
    CPPUNIT_TEST(testUpdateRefusesCreateOnlyAndManagedFields);
    CPPUNIT_TEST(testJsonTypesAreStrictForEveryFieldKind);
    CPPUNIT_TEST(testTextRuleAndCodeAlphabetOfEverySpec);
    CPPUNIT_TEST(testMessagesNameTheFaultAndTheFixInPlainWords);
    CPPUNIT_TEST(testNoMessageOfAnyFieldUsesJargon);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMilestoneRules()
    {
        struct Case
        {
            Record input;
            const char* rejected;
        };
        const std::vector<Var> selfAndZero{Var(Poco::Int64(0))};
        const Case cases[] = {
            {milestone({}), ""},
            {milestone({{"status", "done"}, {"actual_date", "2027-05-02"}}), ""},
            {milestone({{"status", "done"}}), "actual_date"},
            {milestone({{"actual_date", "2027-05-02"}}), "actual_date"},
            {milestone({{"status", "finished"}}), "status"},
            {milestone({{"progress", 101}}), "progress"},
            {milestone({{"progress", -1}}), "progress"},
            {milestone({{"progress", 50.5}}), "progress"},
            {milestone({{"progress", "50"}}), "progress"},
            {milestone({{"progress", 100}}), ""},
            {milestone({{"weight", 0}}), "weight"},
            {milestone({{"weight", 3}}), ""},
            {milestone({{"baseline_date", "2027-02-29"}}), "baseline_date"},
            {milestone({{"baseline_date", Var()}}), "baseline_date"},
            {milestone({{"forecast_date", Var()}}), ""},
            {milestone({{"title", "   "}}), "title"},
            {milestone({{"title", std::string(201, 'x')}}), "title"},
            {milestone({{"title", std::string("\xC3\x28")}}), "title"},
            {milestone({{"depends_on", "1,2"}}), "depends_on"},
            {milestone({{"depends_on", selfAndZero}}), "depends_on"},
            {milestone({{"project_id", 4}}), "project_id"},
            {milestone({{"colour", "red"}}), "colour"},
            {Record{{"title", "No baseline"}}, "baseline_date"},
        };
        for (const auto& c : cases)
            CPPUNIT_ASSERT_EQUAL(std::string(c.rejected), rejectedFields(domain::milestoneSpec(), c.input));
    }

    void testProjectRules()
    {
        const Record base{{"code", "SPS-1"}, {"title", "T"}, {"kind", "capability"}};
        auto with = [&](const std::string& k, const Var& v) {
            Record r = base;
            r[k] = v;
            return r;
        };
        CPPUNIT_ASSERT_EQUAL(std::string(""), rejectedFields(domain::projectSpec(), base));
        CPPUNIT_ASSERT_EQUAL(std::string("declared_reason"),
                             rejectedFields(domain::projectSpec(), with("declared_health", "red")));
        CPPUNIT_ASSERT_EQUAL(std::string("declared_reason"),
                             rejectedFields(domain::projectSpec(), with("declared_reason", "because")));
        Record declared = with("declared_health", "amber");
        declared["declared_reason"] = "Partner funding late";
        CPPUNIT_ASSERT_EQUAL(std::string(""), rejectedFields(domain::projectSpec(), declared));
        Record dates = with("start_date", "2027-05-01");
        dates["end_date"] = "2027-04-30";
        CPPUNIT_ASSERT_EQUAL(std::string("end_date"), rejectedFields(domain::projectSpec(), dates));
        CPPUNIT_ASSERT_EQUAL(std::string("visibility"),
                             rejectedFields(domain::projectSpec(), with("visibility", "open")));
        CPPUNIT_ASSERT_EQUAL(std::string("budget_eur"), rejectedFields(domain::projectSpec(), with("budget_eur", -1)));
        CPPUNIT_ASSERT_EQUAL(std::string("objectives"),
                             rejectedFields(domain::projectSpec(), with("objectives", std::vector<Var>{Var(7)})));
        CPPUNIT_ASSERT_EQUAL(std::string("code"), rejectedFields(domain::projectSpec(), with("code", Var())));
    }

    void testContributionRules()
    {
        const Record base{{"partner_id", 3}, {"role", "contributor"}, {"kind", "funding"}};
        auto with = [&](const std::string& k, const Var& v) {
            Record r = base;
            r[k] = v;
            return r;
        };
        CPPUNIT_ASSERT_EQUAL(std::string(""), rejectedFields(domain::contributionSpec(), base));
        CPPUNIT_ASSERT_EQUAL(std::string("amount_eur"),
                             rejectedFields(domain::contributionSpec(), with("amount_eur", -1)));
        CPPUNIT_ASSERT_EQUAL(std::string(""), rejectedFields(domain::contributionSpec(), with("person_months", 1.5)));
        CPPUNIT_ASSERT_EQUAL(std::string("person_months"),
                             rejectedFields(domain::contributionSpec(), with("person_months", -0.5)));
        CPPUNIT_ASSERT_EQUAL(std::string("state"), rejectedFields(domain::contributionSpec(), with("state", "paid")));
        CPPUNIT_ASSERT_EQUAL(std::string("partner_id"),
                             rejectedFields(domain::contributionSpec(), with("partner_id", 0)));
        CPPUNIT_ASSERT_EQUAL(std::string("partner_id"),
                             rejectedFields(domain::contributionSpec(), with("partner_id", "UKR")));
    }

    void testCreateFillsDefaults()
    {
        FieldErrors errors;
        const Record r = domain::normaliseInput(domain::milestoneSpec(), milestone({}), WriteMode::Create, errors);
        CPPUNIT_ASSERT(errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("planned"), *domain::textField(r, "status"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), *domain::intField(r, "weight"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), *domain::intField(r, "progress"));
        CPPUNIT_ASSERT(domain::idListField(r, "depends_on").empty());
    }

    void testUpdateRefusesCreateOnlyAndManagedFields()
    {
        FieldErrors errors;
        const auto r = domain::normaliseInput(domain::missionLinkSpec(),
                                              {{"mission_id", 2}, {"id", 9}, {"version", 3}, {"note", "x"}},
                                              WriteMode::Update, errors);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("id"), errors[0].field); // errors come in field-name order
        CPPUNIT_ASSERT_EQUAL(std::string("mission_id"), errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), *domain::textField(r, "note"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), *domain::intField(r, "version"));
    }

    /// A JSON boolean is not a number, a number is not a boolean or a string, and an integer field
    /// takes a JSON integer only (Poco parses 1.0 and 1e2 as doubles).
    void testJsonTypesAreStrictForEveryFieldKind()
    {
        struct Case
        {
            const domain::ResourceSpec& spec;
            Record input;
            const char* rejected;
        };
        const Record user{{"username", "erin"}, {"display_name", "Erin"}, {"role", "reviewer"}};
        auto userWith = [&](const Var& disabled) {
            Record r = user;
            r["disabled"] = disabled;
            return r;
        };
        const Case cases[] = {
            {domain::milestoneSpec(), milestone({{"progress", true}}), "progress"},
            {domain::milestoneSpec(), milestone({{"progress", 50.0}}), "progress"},
            {domain::milestoneSpec(), milestone({{"progress", 1e2}}), "progress"},
            {domain::milestoneSpec(), milestone({{"progress", Poco::UInt64(9223372036854775808ULL)}}), "progress"},
            {domain::milestoneSpec(), milestone({{"progress", Poco::UInt64(50)}}), ""},
            {domain::milestoneSpec(), milestone({{"depends_on", std::vector<Var>{Var(true)}}}), "depends_on"},
            {domain::milestoneSpec(), milestone({{"depends_on", std::vector<Var>{Var(2.0)}}}), "depends_on"},
            {domain::milestoneSpec(), milestone({{"title", 5}}), "title"},
            {domain::milestoneSpec(), milestone({{"title", true}}), "title"},
            {domain::milestoneSpec(), milestone({{"status", 1}}), "status"},
            {domain::milestoneSpec(), milestone({{"baseline_date", 20270501}}), "baseline_date"},
            {domain::contributionSpec(),
             {{"partner_id", true}, {"role", "contributor"}, {"kind", "funding"}},
             "partner_id"},
            {domain::contributionSpec(),
             {{"partner_id", 3}, {"role", "contributor"}, {"kind", "funding"}, {"person_months", true}},
             "person_months"},
            {domain::contributionSpec(),
             {{"partner_id", 3}, {"role", "contributor"}, {"kind", "funding"}, {"person_months", "2"}},
             "person_months"},
            {domain::userSpec(), userWith(true), ""},
            {domain::userSpec(), userWith(1), "disabled"},
            {domain::userSpec(), userWith("true"), "disabled"},
        };
        for (const auto& c : cases)
            CPPUNIT_ASSERT_EQUAL(std::string(c.rejected), rejectedFields(c.spec, c.input));
    }

    /// Table-driven: each message names what is wrong in words and, where there is one, what to do.
    void testMessagesNameTheFaultAndTheFixInPlainWords()
    {
        struct Case
        {
            const domain::ResourceSpec& spec;
            Record input;
            const char* field;
            const char* message;
        };
        const Record project{{"code", "P-1"}, {"title", "Trial"}, {"kind", "scientific"}};
        auto projectWith = [&](std::initializer_list<std::pair<const std::string, Var>> extra) {
            Record r = project;
            for (const auto& [k, v] : extra)
                r[k] = v;
            return r;
        };
        const Case cases[] = {
            {domain::milestoneSpec(), milestone({{"baseline_date", Var()}}), "baseline_date", "is required"},
            {domain::milestoneSpec(), milestone({{"status", Var()}}), "status",
             "cannot be empty: leave it out instead"},
            {domain::milestoneSpec(), milestone({{"status", "finished"}}), "status",
             "must be one of planned, in progress, done or cancelled"},
            {domain::milestoneSpec(), milestone({{"progress", "50"}}), "progress", "must be a whole number"},
            {domain::milestoneSpec(), milestone({{"progress", 101}}), "progress", "must be between 0 and 100"},
            {domain::milestoneSpec(), milestone({{"baseline_date", "2027-02-29"}}), "baseline_date",
             "must be a date written YYYY-MM-DD, e.g. 2027-03-01"},
            {domain::milestoneSpec(), milestone({{"title", 5}}), "title", "must be text"},
            {domain::milestoneSpec(), milestone({{"colour", "red"}}), "colour",
             "is not a field of a milestone: remove it"},
            {domain::milestoneSpec(), milestone({{"version", 1}, {"created_at", "2027-01-01T00:00:00Z"}}), "created_at",
             "is set by captrack and cannot be changed: remove it"},
            {domain::milestoneSpec(), milestone({{"status", "done"}}), "actual_date",
             "is required when status is done: give the day it was done"},
            {domain::milestoneSpec(), milestone({{"actual_date", "2027-05-02"}}), "actual_date",
             "must be empty unless status is done"},
            {domain::milestoneSpec(), milestone({{"depends_on", "1"}}), "depends_on", "must be a list"},
            {domain::missionLinkSpec(),
             {{"mission_id", 1}, {"relation", "help"}},
             "relation",
             "must be one of direct support, interoperability, capacity building or lessons learned"},
            {domain::missionLinkSpec(),
             {{"mission_id", 1}, {"relation", "direct_support"}, {"colour", 1}},
             "colour",
             "is not a field of a mission link: remove it"},
            {domain::objectiveSpec(),
             {{"code", "SO9"}, {"name", "x"}, {"colour", 1}},
             "colour",
             "is not a field of an objective: remove it"},
            {domain::contributionSpec(),
             {{"partner_id", true}, {"role", "observer"}, {"kind", "data"}},
             "partner_id",
             "must be an id (a positive whole number)"},
            {domain::projectSpec(), projectWith({{"start_date", "2027-05-01"}, {"end_date", "2027-04-01"}}), "end_date",
             "must not be before the start date"},
            {domain::projectSpec(), projectWith({{"declared_health", "red"}}), "declared_reason",
             "is required when a health is declared: say why"},
            {domain::projectSpec(), projectWith({{"declared_reason", "Late"}}), "declared_reason",
             "must be empty when no health is declared"},
            {domain::userSpec(),
             {{"username", "erin"}, {"display_name", "Erin"}, {"role", "lead"}, {"partner_id", 3}},
             "partner_id",
             "must be empty unless the role is partner"},
        };
        for (const auto& c : cases)
            CPPUNIT_ASSERT_EQUAL(std::string(c.message), messageFor(c.spec, c.input, c.field));
    }

    /// Every field of every resource, sent null, a boolean, a fraction, a string and a list: no message
    /// speaks JSON, SQL or raw codes (docs/TEXT.md "Messages").
    void testNoMessageOfAnyFieldUsesJargon()
    {
        const domain::ResourceSpec* specs[] = {
            &domain::partnerSpec(),      &domain::missionSpec(),     &domain::capabilityAreaSpec(),
            &domain::objectiveSpec(),    &domain::projectSpec(),     &domain::milestoneSpec(),
            &domain::contributionSpec(), &domain::missionLinkSpec(), &domain::userSpec()};
        const Var values[] = {Var(), Var(true), Var(1.5), Var(std::string("x y")), Var(std::vector<Var>{Var(0)})};
        std::size_t checked = 0;
        for (const auto* spec : specs)
            for (const auto& field : spec->fields)
                for (const auto& value : values)
                {
                    FieldErrors errors;
                    const Record record =
                        domain::normaliseInput(*spec, {{field.name, value}}, WriteMode::Create, errors);
                    domain::checkRecord(*spec, record, errors);
                    for (const auto& error : errors)
                    {
                        CPPUNIT_ASSERT_EQUAL_MESSAGE(spec->entity + "." + error.field + ": " + error.message,
                                                     std::string(), jargonIn(error.message));
                        ++checked;
                    }
                }
        CPPUNIT_ASSERT(checked > 300);
    }

    /// Every text field applies the text rule (multi-line ones allow LF and tab); identifier codes
    /// their alphabet; capability area codes also '&' for the reference code S&T.
    void testTextRuleAndCodeAlphabetOfEverySpec()
    {
        struct Case
        {
            const domain::ResourceSpec& spec;
            std::string field;
            std::string value;
            bool accepted;
        };
        const Case cases[] = {
            {domain::projectSpec(), "code", "SPS-2027-014", true},
            {domain::projectSpec(), "code", "SPS\xE2\x80\xAE-1", false},
            {domain::projectSpec(), "code", "SPS\xE2\x80\x8B-1", false},
            {domain::projectSpec(), "code", "S&T", false},
            {domain::projectSpec(), "title", "Польові випробування", true},
            {domain::projectSpec(), "title", "Two\nlines", false},
            {domain::projectSpec(), "title", "Zero\xE2\x80\x8Bwidth", false},
            {domain::projectSpec(), "description", "Two\nlines\tand a tab, zero\xE2\x80\x8Bwidth", true},
            {domain::projectSpec(), "description", "Bidi \xE2\x81\xA6x\xE2\x81\xA9", false},
            {domain::projectSpec(), "description", "CR\r\n", false},
            {domain::projectSpec(), "declared_reason", "Late\ndelivery", true},
            {domain::projectSpec(), "capability_area", "CYB\x07", false},
            {domain::projectSpec(), "objectives", "", false},
            {domain::capabilityAreaSpec(), "code", "S&T", true},
            {domain::capabilityAreaSpec(), "code", "&T", false},
            {domain::partnerSpec(), "code", "UKR", true},
            {domain::partnerSpec(), "code", "U K R", false},
            {domain::partnerSpec(), "name", "Ukraine\x7F", false},
            {domain::missionSpec(), "code", "AU-SUP", true},
            {domain::missionSpec(), "region", "Western\nBalkans", false},
            {domain::objectiveSpec(), "code", "SO1\xC2\xAD", false},
            {domain::contributionSpec(), "description", "Two\nlines", true},
            {domain::missionLinkSpec(), "note", "\xE2\x80\x8Fnote", false},
            {domain::userSpec(), "display_name", "Erin\xC2\x85", false},
            {domain::userSpec(), "username", ".erin", false},
        };
        for (const auto& c : cases)
        {
            const std::string& value = c.value;
            const Var input = c.field == "objectives" ? Var(std::vector<Var>{Var("SO1\xE2\x80\xAE")}) : Var(value);
            FieldErrors errors;
            (void)domain::normaliseInput(c.spec, {{c.field, input}}, WriteMode::Create, errors);
            const bool accepted = errors.empty();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.spec.entity + "." + c.field + " = " + value, c.accepted, accepted);
            if (!accepted)
                CPPUNIT_ASSERT_EQUAL(c.field, errors.front().field);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResourceSpecTest);
