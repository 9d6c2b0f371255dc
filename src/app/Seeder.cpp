#include "captrack/app/Seeder.h"

#include "captrack/Errors.h"

#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"
#include "captrack/service/ResourceService.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <set>

namespace captrack::app
{

using domain::Record;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
Object::Ptr readJson(const std::string& path)
{
    Poco::FileInputStream in(path);
    Poco::JSON::Parser parser;
    return parser.parse(in).extract<Object::Ptr>();
}

/// The ids of a resource's records by code.
std::map<std::string, Poco::Int64> idsByCode(const service::ResourceService& resources,
                                             const service::Resource& resource)
{
    storage::ListQuery all;
    all.limit = 1000000;
    std::map<std::string, Poco::Int64> ids;
    for (const auto& record : resources.list(domain::Principal::system(), resource, all).items)
        ids[*domain::textField(record, "code")] = domain::recordId(record);
    return ids;
}

/// The record of a JSON object without the keys the seed file uses for linking.
Record withoutKeys(const Object& object, const std::set<std::string>& drop)
{
    Record record = service::recordFromJson(object);
    for (const auto& key : drop)
        record.erase(key);
    return record;
}

Poco::Int64 lookup(const std::map<std::string, Poco::Int64>& ids, const std::string& code, const std::string& what)
{
    const auto it = ids.find(code);
    if (it == ids.end())
        throw Poco::DataFormatException("demo.json names an unknown " + what, code);
    return it->second;
}
} // namespace

Seeder::Seeder(storage::Database& database, const domain::Clock& clock, std::string seedFolder)
    : _database(database), _clock(clock), _seedFolder(std::move(seedFolder))
{
}

SeedCounts Seeder::loadReference()
{
    const service::ResourceService resources(_database, _clock);
    const auto& c = service::Catalogue::instance();
    const auto data = readJson(_seedFolder + "/reference.json");
    const std::pair<const char*, const service::Resource*> sections[] = {{"capability_areas", &c.capabilityAreas},
                                                                         {"objectives", &c.objectives},
                                                                         {"partners", &c.partners},
                                                                         {"missions", &c.missions}};
    SeedCounts counts;
    for (const auto& [key, resource] : sections)
    {
        const auto existing = idsByCode(resources, *resource);
        for (const auto& item : *data->getArray(key))
        {
            const auto object = item.extract<Object::Ptr>();
            if (existing.count(object->getValue<std::string>("code")))
            {
                ++counts.skipped;
                continue;
            }
            try
            {
                resources.create(domain::Principal::system(), *resource, service::recordFromJson(*object));
                ++counts.created;
            }
            catch (const ConflictError&)
            {
                ++counts.skipped; // another server starting at the same time stored it first
            }
        }
    }
    return counts;
}

namespace
{
/// Creates the demo project's milestones in order, each `depends_on` naming earlier ones by key; returns
/// how many.
std::size_t createMilestones(const service::ResourceService& resources, const Object& project, Poco::Int64 projectId)
{
    const auto& c = service::Catalogue::instance();
    std::map<std::string, Poco::Int64> milestoneIds;
    std::size_t created = 0;
    for (const auto& m : *project.getArray("milestones"))
    {
        const auto milestone = m.extract<Object::Ptr>();
        Record input = withoutKeys(*milestone, {"key", "depends_on"});
        std::vector<Var> dependsOn;
        for (const auto& key : *milestone->getArray("depends_on"))
            dependsOn.emplace_back(lookup(milestoneIds, key.convert<std::string>(), "milestone key"));
        input["depends_on"] = dependsOn;
        milestoneIds[milestone->getValue<std::string>("key")] =
            domain::recordId(resources.create(domain::Principal::system(), c.milestones, input, projectId));
        ++created;
    }
    return created;
}
} // namespace

SeedCounts Seeder::loadDemo()
{
    const service::ResourceService resources(_database, _clock);
    const auto& c = service::Catalogue::instance();
    const auto data = readJson(_seedFolder + "/demo.json");
    const auto partners = idsByCode(resources, c.partners);
    const auto missions = idsByCode(resources, c.missions);
    const auto projects = idsByCode(resources, c.projects);
    const auto actor = domain::Principal::system();
    SeedCounts counts;
    for (const auto& item : *data->getArray("projects"))
    {
        const auto project = item.extract<Object::Ptr>();
        if (projects.count(project->getValue<std::string>("code")))
        {
            ++counts.skipped;
            continue;
        }
        const Record stored =
            resources.create(actor, c.projects, withoutKeys(*project, {"milestones", "contributions", "missions"}));
        const Poco::Int64 projectId = domain::recordId(stored);
        ++counts.created;
        counts.created += createMilestones(resources, *project, projectId);
        for (const auto& x : *project->getArray("contributions"))
        {
            const auto contribution = x.extract<Object::Ptr>();
            Record input = withoutKeys(*contribution, {"partner"});
            input["partner_id"] = lookup(partners, contribution->getValue<std::string>("partner"), "partner");
            resources.create(actor, c.contributions, input, projectId);
            ++counts.created;
        }
        for (const auto& x : *project->getArray("missions"))
        {
            const auto link = x.extract<Object::Ptr>();
            Record input = withoutKeys(*link, {"mission"});
            input["mission_id"] = lookup(missions, link->getValue<std::string>("mission"), "mission");
            resources.create(actor, c.missionLinks, input, projectId);
            ++counts.created;
        }
    }
    return counts;
}

} // namespace captrack::app
