#include "captrack/domain/Specs.h"

#include "FieldBuilders.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/domain/Wording.h"

namespace captrack::domain
{

using namespace fields;

namespace
{
void requireOrder(const Record& r, const std::string& from, const std::string& to, FieldErrors& errors)
{
    const auto start = dateField(r, from), end = dateField(r, to);
    if (start && end && *end < *start)
        errors.push_back({to, "must not be before the " + fieldWords(from)});
}

void checkProject(const Record& r, FieldErrors& errors)
{
    requireOrder(r, "start_date", "end_date", errors);
    const bool declared = textField(r, "declared_health").has_value();
    const auto reason = textField(r, "declared_reason");
    const bool hasReason = reason && !Poco::trim(*reason).empty();
    if (declared && !hasReason)
        errors.push_back({"declared_reason", "is required when a health is declared: say why"});
    if (!declared && hasReason)
        errors.push_back({"declared_reason", "must be empty when no health is declared"});
}

void checkMilestone(const Record& r, FieldErrors& errors)
{
    const bool done = textField(r, "status") == nameText(MilestoneStatus::Done);
    const bool hasActual = dateField(r, "actual_date").has_value();
    if (done && !hasActual)
        errors.push_back({"actual_date", "is required when status is done: give the day it was done"});
    if (!done && hasActual)
        errors.push_back({"actual_date", "must be empty unless status is done"});
}

void checkUser(const Record& r, FieldErrors& errors)
{
    const bool isPartner = textField(r, "role") == nameText(Role::Partner);
    const bool hasPartner = intField(r, "partner_id").has_value();
    if (isPartner && !hasPartner)
        errors.push_back({"partner_id", "is required for the partner role"});
    if (!isPartner && hasPartner)
        errors.push_back({"partner_id", "must be empty unless the role is partner"});
    if (const auto email = textField(r, "email"))
        if (const auto problem = emailAddressProblem(*email))
            errors.push_back({"email", *problem});
}

void checkMission(const Record& r, FieldErrors& errors)
{
    requireOrder(r, "start_date", "end_date", errors);
}

ResourceSpec make(Entity kind, std::string table, std::vector<FieldSpec> own)
{
    ResourceSpec spec;
    spec.kind = kind;
    spec.entity = nameText(kind);
    spec.table = std::move(table);
    spec.fields = withStandardFields(std::move(own));
    return spec;
}
} // namespace

const std::vector<std::string>& frameworkCodes()
{
    static const std::vector<std::string> codes{"NATO", "EAPC", "MD", "ICI", "PATG", "IO"};
    return codes;
}

const ResourceSpec& partnerSpec()
{
    static const ResourceSpec spec = [] {
        auto s = make(Entity::Partner, "partners",
                      {code("code", 10), text("name", true), choiceOf<PartnerKind>("kind", true),
                       choice("framework", frameworkCodes(), true),
                       choiceOf<PartnerStatus>("status", PartnerStatus::Active)});
        s.uniqueField = "code";
        s.defaultSort = "code";
        return s;
    }();
    return spec;
}

const ResourceSpec& missionSpec()
{
    static const ResourceSpec spec = [] {
        auto s = make(Entity::Mission, "missions",
                      {code("code", 20), text("name", true), choiceOf<MissionKind>("kind", true),
                       text("region", false, 100), date("start_date", false), date("end_date", false)});
        s.uniqueField = "code";
        s.defaultSort = "code";
        s.rule = checkMission;
        return s;
    }();
    return spec;
}

const ResourceSpec& capabilityAreaSpec()
{
    static const ResourceSpec spec = [] {
        // The NDPP planning domain "science and technology" is S&T (sql/seed/reference.json): '&' is a
        // visible, ordinary character that every renderer escapes, so capability area codes may use it.
        auto areaCode = code("code", 10);
        areaCode.allowedCharacters += "&";
        auto s = make(Entity::CapabilityArea, "capability_areas", {areaCode, text("name", true)});
        s.uniqueField = "code";
        s.defaultSort = "code";
        return s;
    }();
    return spec;
}

const ResourceSpec& objectiveSpec()
{
    static const ResourceSpec spec = [] {
        auto s = make(Entity::Objective, "objectives", {code("code", 10), text("name", true)});
        s.uniqueField = "code";
        s.defaultSort = "code";
        return s;
    }();
    return spec;
}

const ResourceSpec& projectSpec()
{
    static const ResourceSpec spec = [] {
        auto title = text("title", true);
        title.sortable = true;
        auto lead = reference("lead_user_id", FieldKind::Id, "users", "id", false);
        auto budget = integer("budget_eur", 0, 1.0e13, 0);
        auto s = make(Entity::Project, "projects",
                      {code("code", 40), title, choiceOf<ProjectKind>("kind", true), prose("description", 10000),
                       reference("capability_area", FieldKind::Code, "capability_areas", "code", false),
                       list("objectives", FieldKind::CodeList, "objectives", "code", "project_objectives", "project_id",
                            "objective_code"),
                       choiceOf<ProjectStatus>("status", ProjectStatus::Pipeline),
                       choiceOf<Visibility>("visibility", Visibility::Participants), lead, date("start_date", false),
                       date("end_date", false), budget, choiceOf<Health>("declared_health", false),
                       prose("declared_reason", 1000)});
        s.uniqueField = "code";
        s.defaultSort = "code";
        s.rule = checkProject;
        return s;
    }();
    return spec;
}

const ResourceSpec& milestoneSpec()
{
    static const ResourceSpec spec = [] {
        auto title = text("title", true);
        title.sortable = true;
        auto s =
            make(Entity::Milestone, "milestones",
                 {parent("project_id", "projects"), title, date("baseline_date", true), date("forecast_date", false),
                  date("actual_date", false), choiceOf<MilestoneStatus>("status", MilestoneStatus::Planned),
                  integer("progress", 0, 100, 0), integer("weight", 1, 1000, 1),
                  list("depends_on", FieldKind::IdList, "milestones", "id", "milestone_dependencies", "milestone_id",
                       "depends_on_id")});
        s.parentField = "project_id";
        s.defaultSort = "baseline_date";
        s.rule = checkMilestone;
        return s;
    }();
    return spec;
}

const ResourceSpec& contributionSpec()
{
    static const ResourceSpec spec = [] {
        auto personMonths = integer("person_months", 0, 1.0e6, 0);
        personMonths.kind = FieldKind::Number;
        personMonths.defaultValue = 0.0;
        auto s = make(Entity::Contribution, "contributions",
                      {parent("project_id", "projects"), reference("partner_id", FieldKind::Id, "partners", "id", true),
                       choiceOf<ContributionRole>("role", true), choiceOf<ContributionKind>("kind", true),
                       choiceOf<ContributionState>("state", ContributionState::Pledged),
                       integer("amount_eur", 0, 1.0e13, 0), personMonths, prose("description", 2000)});
        s.parentField = "project_id";
        return s;
    }();
    return spec;
}

const ResourceSpec& missionLinkSpec()
{
    static const ResourceSpec spec = [] {
        auto mission = reference("mission_id", FieldKind::Id, "missions", "id", true);
        mission.access = FieldAccess::CreateOnly;
        auto s = make(Entity::MissionLink, "mission_links",
                      {parent("project_id", "projects"), mission, choiceOf<MissionRelation>("relation", true),
                       prose("note", 2000)});
        s.parentField = "project_id";
        s.uniqueField = "mission_id";
        return s;
    }();
    return spec;
}

const ResourceSpec& userSpec()
{
    static const ResourceSpec spec = [] {
        auto username = code("username", 64);
        username.access = FieldAccess::CreateOnly;
        username.minLength = 2;
        username.allowedCharacters = "abcdefghijklmnopqrstuvwxyz0123456789._@-";
        const auto disabled = boolean("disabled", false);
        // Reminders by e-mail (docs/OPERATING-mail.md): an optional address (254: RFC 5321's longest
        // path) and the opt-out, on by default so that giving an address is enough.
        const auto emailReminders = boolean("email_reminders", true);
        auto s = make(Entity::User, "users",
                      {username, text("display_name", true), choiceOf<Role>("role", true),
                       reference("partner_id", FieldKind::Id, "partners", "id", false), disabled,
                       text("email", false, 254), emailReminders});
        s.uniqueField = "username";
        s.defaultSort = "username";
        s.rule = checkUser;
        return s;
    }();
    return spec;
}

} // namespace captrack::domain
