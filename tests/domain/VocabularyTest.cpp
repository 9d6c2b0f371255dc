#include "captrack/domain/Vocabulary.h"
#include "captrack/domain/Specs.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace captrack::domain;

class VocabularyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(VocabularyTest);
    CPPUNIT_TEST(testEveryNameParsesBackToItsValue);
    CPPUNIT_TEST(testOnlyExactNamesParse);
    CPPUNIT_TEST(testResourceFieldsAllowExactlyTheSetsNames);
    CPPUNIT_TEST(testEverySetHasItsOwnKeyAndDistinctNames);
    CPPUNIT_TEST_SUITE_END();

    template <typename E> static void checkRoundTrip()
    {
        for (const E value : allValues<E>())
        {
            const auto parsed = parseName<E>(nameOf(value));
            CPPUNIT_ASSERT_MESSAGE(std::string(nameOf(value)), parsed.has_value());
            CPPUNIT_ASSERT(*parsed == value);
        }
    }

    static std::vector<std::string> choicesOf(const ResourceSpec& spec, const std::string& field)
    {
        const auto* f = spec.field(field);
        CPPUNIT_ASSERT_MESSAGE(spec.entity + "." + field, f != nullptr);
        return f->choices;
    }

public:
    void testEveryNameParsesBackToItsValue()
    {
        checkRoundTrip<Health>();
        checkRoundTrip<ProjectStatus>();
        checkRoundTrip<MilestoneStatus>();
        checkRoundTrip<ContributionKind>();
        checkRoundTrip<Role>();
        checkRoundTrip<Entity>();
        CPPUNIT_ASSERT_EQUAL(std::string("in_progress"), nameText(MilestoneStatus::InProgress));
        CPPUNIT_ASSERT_EQUAL(std::string("mission_link"), nameText(Entity::MissionLink));
    }

    void testOnlyExactNamesParse()
    {
        CPPUNIT_ASSERT(!parseName<Health>("Green"));
        CPPUNIT_ASSERT(!parseName<Health>("none"));
        CPPUNIT_ASSERT(!parseName<Health>("green "));
        CPPUNIT_ASSERT(!parseName<Health>(""));
        CPPUNIT_ASSERT(!parseName<Role>("anonymous"));
        CPPUNIT_ASSERT(parseName<Health>("red") == Health::Red);
    }

    void testResourceFieldsAllowExactlyTheSetsNames()
    {
        CPPUNIT_ASSERT(choicesOf(projectSpec(), "status") == namesOf<ProjectStatus>());
        CPPUNIT_ASSERT(choicesOf(projectSpec(), "kind") == namesOf<ProjectKind>());
        CPPUNIT_ASSERT(choicesOf(projectSpec(), "visibility") == namesOf<Visibility>());
        CPPUNIT_ASSERT(choicesOf(projectSpec(), "declared_health") == namesOf<Health>());
        CPPUNIT_ASSERT(choicesOf(milestoneSpec(), "status") == namesOf<MilestoneStatus>());
        CPPUNIT_ASSERT(choicesOf(contributionSpec(), "role") == namesOf<ContributionRole>());
        CPPUNIT_ASSERT(choicesOf(contributionSpec(), "kind") == namesOf<ContributionKind>());
        CPPUNIT_ASSERT(choicesOf(contributionSpec(), "state") == namesOf<ContributionState>());
        CPPUNIT_ASSERT(choicesOf(partnerSpec(), "kind") == namesOf<PartnerKind>());
        CPPUNIT_ASSERT(choicesOf(partnerSpec(), "status") == namesOf<PartnerStatus>());
        CPPUNIT_ASSERT(choicesOf(missionSpec(), "kind") == namesOf<MissionKind>());
        CPPUNIT_ASSERT(choicesOf(missionLinkSpec(), "relation") == namesOf<MissionRelation>());
        CPPUNIT_ASSERT(choicesOf(userSpec(), "role") == namesOf<Role>());
    }

    void testEverySetHasItsOwnKeyAndDistinctNames()
    {
        std::set<std::string_view> keys;
        for (const auto& set : everyNamedSet())
        {
            CPPUNIT_ASSERT_MESSAGE(std::string(set.key), keys.insert(set.key).second);
            const std::set<std::string> distinct(set.names.begin(), set.names.end());
            CPPUNIT_ASSERT_EQUAL(set.names.size(), distinct.size());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(14), keys.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(VocabularyTest);
