#include "captrack/app/SyntheticSeeder.h"

#include "captrack/domain/Vocabulary.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/SyntheticWriter.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <random>
#include <unordered_map>
#include <vector>

namespace captrack::app
{

using domain::ContributionKind;
using domain::ContributionRole;
using domain::ContributionState;
using domain::Date;
using domain::MilestoneStatus;
using domain::nameText;
using domain::ProjectStatus;
using Poco::Int64;

namespace
{
using namespace storage::synthetic;

Reference loadReference(Poco::Data::Session& session)
{
    Reference ref = storage::SyntheticWriter::loadReference(session);
    if (ref.partnerIds.empty() || ref.missionIds.empty() || ref.areas.empty() || ref.objectives.empty())
        throw Poco::IllegalStateException("synthetic data needs the reference data: run captrack seed first");
    return ref;
}

/// The draws for one project: std::mt19937 seeded with (seed, k), mapped to ranges by plain
/// arithmetic rather than std:: distributions (whose results differ between standard libraries), so
/// project k is the same on every run, build and platform. The modulo bias (< 1e-6) does not matter here.
class Draw
{
public:
    Draw(std::uint32_t seed, std::size_t k) : _engine(engineFor(seed, k)) {}

    int between(int low, int high)
    {
        return low + static_cast<int>(_engine() % static_cast<std::uint32_t>(high - low + 1));
    }
    bool chance(double p) { return _engine() < p * 4294967296.0; }
    /// An index drawn with the given relative weights.
    std::size_t weighted(std::initializer_list<int> weights)
    {
        int sum = 0;
        for (const int w : weights)
            sum += w;
        int x = between(0, sum - 1);
        std::size_t index = 0;
        for (const int w : weights)
        {
            if (x < w)
                return index;
            x -= w;
            ++index;
        }
        return index - 1;
    }
    template <class T> const T& pick(const std::vector<T>& items)
    {
        return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
    }
    /// `count` distinct indexes below `size` (fewer when size is smaller).
    std::vector<std::size_t> distinct(std::size_t count, std::size_t size)
    {
        std::vector<std::size_t> out;
        while (out.size() < std::min(count, size))
        {
            const auto i = static_cast<std::size_t>(between(0, static_cast<int>(size) - 1));
            if (std::find(out.begin(), out.end(), i) == out.end())
                out.push_back(i);
        }
        return out;
    }

private:
    static std::mt19937 engineFor(std::uint32_t seed, std::size_t k)
    {
        std::seed_seq sequence{seed, static_cast<std::uint32_t>(k),
                               static_cast<std::uint32_t>(static_cast<std::uint64_t>(k) >> 32)};
        return std::mt19937(sequence);
    }

    std::mt19937 _engine;
};

const std::vector<std::string> SUBJECTS{"counter-IED detection",
                                        "cyber incident response",
                                        "maritime situational awareness",
                                        "CBRN defence",
                                        "demining",
                                        "secure communications",
                                        "border security",
                                        "energy security",
                                        "military medicine",
                                        "defence institution building",
                                        "logistics interoperability",
                                        "civil preparedness",
                                        "airspace surveillance",
                                        "critical undersea infrastructure",
                                        "disaster response"};
const std::vector<std::string> FORMS{"Capability package for",     "Training programme in",
                                     "Research network on",        "Pilot system for",
                                     "Interoperability trials in", "Centre of excellence for"};
const std::vector<std::string> MIDDLE_MILESTONES{
    "Requirements review", "Design review",     "Prototype delivered",         "Interim technical report",
    "Field trial",         "Training course",   "Equipment delivered",         "Workshop with partner experts",
    "Acceptance test",     "Data set released", "Six-monthly progress report", "Exercise participation"};
const std::vector<std::string> REASONS{"Lead nation reports procurement delays",
                                       "Partner staff rotation slows the work", "On track after re-planning",
                                       "Funding gap under review by the steering group"};

struct Project
{
    ProjectStatus status = ProjectStatus::Implementation; ///< row.status, typed
    ProjectRow row;
    std::vector<std::string> objectives;
    std::vector<MilestoneRow> milestones;
    std::vector<ContributionRow> contributions;
    std::vector<MissionLinkRow> missions;
};

/// Dates that fit the status: pipeline starts after as-of, closed ended before it, and so on.
std::pair<Date, Date> projectSpan(ProjectStatus status, const Date& asOf, Draw& draw)
{
    if (status == ProjectStatus::Pipeline)
    {
        const Date start = asOf.plusDays(draw.between(30, 365));
        return {start, start.plusDays(draw.between(365, 640))};
    }
    if (status == ProjectStatus::Closed)
        return {asOf.plusDays(-draw.between(1200, 1880)), asOf.plusDays(-draw.between(60, 700))};
    if (status == ProjectStatus::Finalisation)
        return {asOf.plusDays(-draw.between(700, 1800)), asOf.plusDays(draw.between(-30, 150))};
    if (status == ProjectStatus::Cancelled)
    {
        const Date start = asOf.plusDays(-draw.between(300, 1500));
        return {start, start.plusDays(draw.between(500, 1200))};
    }
    return {asOf.plusDays(-draw.between(60, 1800)), asOf.plusDays(draw.between(60, 640))};
}

/// One milestone whose baseline is `baseline`. Past ones are mostly done (some late); the open ones
/// are recent and overdue by weeks, or re-forecast into the future. Future ones are planned (in
/// progress when close), a few re-forecast late. done <=> actual_date.
MilestoneRow milestone(ProjectStatus projectStatus, const Date& baseline, const Date& asOf, Draw& draw)
{
    MilestoneRow m;
    m.baseline = baseline.toString();
    const long age = asOf.daysSince(baseline);
    const bool closed = projectStatus == ProjectStatus::Closed;
    const bool cancelledLater = projectStatus == ProjectStatus::Cancelled && age < 200;
    const double doneShare = age > 180 ? 0.985 : age > 60 ? 0.88 : 0.7;
    if (cancelledLater || (age > 0 && !closed && draw.chance(0.02)))
        m.status = nameText(MilestoneStatus::Cancelled);
    else if (age > 0 && (closed || draw.chance(doneShare)))
    {
        const long slip = draw.chance(0.9) ? draw.between(-7, 14) : draw.between(15, 120);
        const Date actual = std::min(baseline.plusDays(slip), asOf.plusDays(-1));
        m.status = nameText(MilestoneStatus::Done);
        m.progress = 100;
        m.actual = actual.toString();
        m.forecast = actual.toString();
    }
    else if (age > 0)
    {
        m.status = nameText(MilestoneStatus::InProgress);
        m.progress = draw.between(20, 95);
        const Date forecast = draw.chance(0.5) ? std::max(baseline, asOf.plusDays(-draw.between(1, 45)))
                                               : asOf.plusDays(draw.between(5, 90));
        m.forecast = forecast.toString();
    }
    else
    {
        const bool soon = age > -60 && draw.chance(0.5);
        m.status = nameText(soon ? MilestoneStatus::InProgress : MilestoneStatus::Planned);
        m.progress = soon ? draw.between(10, 80) : 0;
        const std::size_t forecast = draw.weighted({250, 685, 57, 8}); // none, on time, late, very late
        if (forecast == 1)
            m.forecast = m.baseline;
        else if (forecast > 1)
            m.forecast = baseline.plusDays(forecast == 2 ? draw.between(15, 60) : draw.between(91, 180)).toString();
    }
    m.weight = static_cast<Int64>(draw.weighted({70, 20, 10})) + 1;
    return m;
}

void addMilestones(Project& p, const Date& start, const Date& end, const Date& asOf, Draw& draw)
{
    // Kick-off two weeks or so after the start, the final report on the end date, the others spread
    // evenly in between (a few days early each).
    const int count = draw.between(6, 14);
    const long span = std::max(60L, end.daysSince(start));
    for (int i = 0; i < count; ++i)
    {
        const bool last = i == count - 1;
        const Date baseline = i == 0 ? start.plusDays(draw.between(7, 21))
                              : last ? end
                                     : start.plusDays(span * i / (count - 1) - draw.between(0, 10));
        MilestoneRow m = milestone(p.status, baseline, asOf, draw);
        m.title = i == 0 ? "Kick-off meeting" : last ? "Final report" : draw.pick(MIDDLE_MILESTONES);
        if (last)
            m.weight = 3;
        m.createdAt = p.row.createdAt;
        p.milestones.push_back(std::move(m));
    }
}

/// A contribution's state fits its project's status: pledged in the pipeline, delivered when closed.
ContributionState stateFor(ProjectStatus status, Draw& draw)
{
    static const ContributionState STATES[] = {ContributionState::Pledged, ContributionState::Committed,
                                               ContributionState::Delivered};
    if (status == ProjectStatus::Pipeline)
        return ContributionState::Pledged;
    if (status == ProjectStatus::Closed)
        return ContributionState::Delivered;
    return STATES[draw.weighted({20, 45, 35})];
}

void addContributions(Project& p, const Reference& ref, Draw& draw)
{
    static const ContributionRole ROLES[] = {ContributionRole::CoDirector, ContributionRole::Contributor,
                                             ContributionRole::Observer, ContributionRole::EndUser};
    static const ContributionKind KINDS[] = {ContributionKind::Funding,   ContributionKind::Personnel,
                                             ContributionKind::Expertise, ContributionKind::Equipment,
                                             ContributionKind::Training,  ContributionKind::Facilities,
                                             ContributionKind::Data};
    const auto partners = draw.distinct(draw.weighted({10, 25, 30, 20, 15}) + 1, ref.partnerIds.size());
    for (std::size_t i = 0; i < partners.size(); ++i)
    {
        ContributionRow c;
        c.partnerId = ref.partnerIds[partners[i]];
        const auto role = i == 0 ? ContributionRole::LeadNation : ROLES[draw.weighted({15, 55, 10, 20})];
        const auto kind = KINDS[draw.weighted({35, 20, 15, 10, 10, 5, 5})];
        c.role = nameText(role);
        c.kind = nameText(kind);
        c.state = nameText(stateFor(p.status, draw));
        c.amount =
            role == ContributionRole::Observer
                ? 0
                : Int64(1000) * (kind == ContributionKind::Funding ? draw.between(20, 2000) : draw.between(0, 300));
        const bool people = kind == ContributionKind::Personnel || kind == ContributionKind::Expertise ||
                            kind == ContributionKind::Training;
        c.personMonths = people ? draw.between(1, 240) / 4.0 : 0.0;
        if (draw.chance(0.4))
            c.description = "In-kind " + c.kind + " contribution (synthetic)";
        c.createdAt = p.row.createdAt;
        p.contributions.push_back(std::move(c));
    }
}

void addMissionLinks(Project& p, const Reference& ref, Draw& draw)
{
    for (const auto i : draw.distinct(draw.weighted({60, 30, 10}), ref.missionIds.size()))
    {
        MissionLinkRow l;
        l.missionId = ref.missionIds[i];
        l.relation = nameText(domain::allValues<domain::MissionRelation>()[draw.weighted({30, 30, 25, 15})]);
        if (draw.chance(0.3))
            l.note = std::string("Supports the mission's partner training line (synthetic)");
        l.createdAt = p.row.createdAt;
        p.missions.push_back(std::move(l));
    }
}

Project makeProject(std::size_t k, const Reference& ref, const SyntheticOptions& options)
{
    Draw draw(options.seed, k);
    Project p;
    auto& r = p.row;
    r.code = SyntheticSeeder::projectCode(k);
    // The weights follow the order of each set's values (domain/Vocabulary.h).
    p.status = domain::allValues<ProjectStatus>()[draw.weighted({8, 62, 10, 12, 3, 5})];
    r.status = nameText(p.status);
    r.visibility = nameText(domain::allValues<domain::Visibility>()[draw.weighted({45, 40, 15})]);
    r.kind = nameText(draw.chance(0.55) ? domain::ProjectKind::Capability : domain::ProjectKind::Scientific);
    // One draw per statement: the order of operands within an expression is unspecified.
    r.title = draw.pick(FORMS);
    r.title += " " + draw.pick(SUBJECTS) + " (" + r.code + ")";
    if (draw.chance(0.7))
        r.description = "Synthetic benchmark project: made-up data, not a real NATO project.";
    r.area = draw.pick(ref.areas);
    const auto [start, end] = projectSpan(p.status, options.asOf, draw);
    r.start = start.toString();
    r.end = end.toString();
    r.budget = Int64(1000) * static_cast<Int64>(std::exp(std::log(50.0) + (std::log(20000.0) - std::log(50.0)) *
                                                                              draw.between(0, 1000) / 1000.0));
    const bool active = p.status == ProjectStatus::Pipeline || p.status == ProjectStatus::Implementation ||
                        p.status == ProjectStatus::Finalisation;
    if (active && draw.chance(0.08))
    {
        r.declared = nameText(domain::allValues<domain::Health>()[draw.weighted({40, 40, 20})]);
        r.reason = draw.pick(REASONS);
    }
    r.createdAt = std::min(start, options.asOf).plusDays(-draw.between(14, 120)).toString() + "T09:00:00Z";
    for (const auto i : draw.distinct(static_cast<std::size_t>(draw.between(1, 3)), ref.objectives.size()))
        p.objectives.push_back(ref.objectives[i]);
    addMilestones(p, start, end, options.asOf, draw);
    addContributions(p, ref, draw);
    addMissionLinks(p, ref, draw);
    return p;
}

/// The SYN- projects already there: how many, and the highest number among their codes.
std::pair<std::size_t, std::size_t> existingSynthetic(Poco::Data::Session& session)
{
    const auto codes = storage::SyntheticWriter::syntheticProjectCodes(session);
    std::size_t count = 0, highest = 0;
    for (const auto& code : codes)
    {
        Poco::UInt64 number = 0;
        if (Poco::NumberParser::tryParseUnsigned64(code.substr(4), number))
        {
            ++count;
            highest = std::max(highest, static_cast<std::size_t>(number));
        }
    }
    return {count, highest};
}

/// Writes one batch in one transaction; the project ids come back with one SELECT.
void writeBatch(storage::Database& database, std::vector<Project>& batch, SyntheticCounts& counts)
{
    storage::Transaction tx(database);
    Int64 first = 0; // the batch's projects have the highest ids
    {
        // The writer's statements end before the commit, which may hand the session to another writer.
        storage::SyntheticWriter writer(tx.session());
        std::vector<ProjectRow> rows;
        for (auto& p : batch)
            rows.push_back(p.row);
        const auto idByCode = writer.insertProjects(std::move(rows));
        for (auto& p : batch)
        {
            const auto id = idByCode.find(p.row.code);
            if (id == idByCode.end())
                throw Poco::IllegalStateException("synthetic project not found after its insert", p.row.code);
            for (auto& code : p.objectives)
                writer.add(ObjectiveRow{id->second, std::move(code)});
            for (auto& m : p.milestones)
            {
                m.projectId = id->second;
                writer.add(std::move(m));
            }
            for (auto& c : p.contributions)
            {
                c.projectId = id->second;
                writer.add(std::move(c));
            }
            for (auto& l : p.missions)
            {
                l.projectId = id->second;
                writer.add(std::move(l));
            }
            counts.objectiveLinks += p.objectives.size();
            counts.milestones += p.milestones.size();
            counts.contributions += p.contributions.size();
            counts.missionLinks += p.missions.size();
        }
        writer.flush();
        for (const auto& [code, id] : idByCode)
            first = first == 0 ? id : std::min(first, id);
    }
    // The batch's report roll-ups, in the batch's transaction.
    if (first > 0)
        storage::RollupStore::rebuildFrom(tx.session(), first);
    tx.commit();
    counts.projects += batch.size();
}
} // namespace

SyntheticSeeder::SyntheticSeeder(storage::Database& database, SyntheticOptions options)
    : _database(database), _options(options)
{
}

std::string SyntheticSeeder::projectCode(std::size_t k)
{
    char code[32];
    std::snprintf(code, sizeof code, "SYN-%06zu", k);
    return code;
}

SyntheticCounts SyntheticSeeder::seed(std::size_t total, std::ostream* progress)
{
    Poco::Stopwatch clock;
    clock.start();
    SyntheticCounts counts;
    Reference ref;
    std::size_t highest = 0;
    {
        auto pLease = _database.lease();
        ref = loadReference(pLease->session());
        std::tie(counts.existing, highest) = existingSynthetic(pLease->session());
    }
    const std::size_t missing = total > counts.existing ? total - counts.existing : 0;
    const std::size_t perBatch = std::max<std::size_t>(1, _options.projectsPerTransaction);
    while (counts.projects < missing)
    {
        std::vector<Project> batch;
        const std::size_t n = std::min(perBatch, missing - counts.projects);
        for (std::size_t i = 1; i <= n; ++i)
            batch.push_back(makeProject(highest + counts.projects + i, ref, _options));
        writeBatch(_database, batch, counts);
        counts.seconds = clock.elapsed() / 1.0e6;
        if (progress)
            *progress << "synthetic: " << counts.projects << "/" << missing << " projects, " << counts.rows()
                      << " rows, " << static_cast<long>(counts.rows() / std::max(counts.seconds, 1e-6)) << " rows/s"
                      << std::endl;
    }
    counts.seconds = clock.elapsed() / 1.0e6;
    return counts;
}

} // namespace captrack::app
