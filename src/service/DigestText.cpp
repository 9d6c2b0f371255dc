// LeadDigest::mail: the digest's words. Plain text, one milestone per line with its link on the next,
// so that any mail client shows it and a script can read it back (tests/mail/mail_digest.py).
#include "captrack/service/LeadDigest.h"

#include "captrack/domain/TextRules.h"

#include <sstream>

namespace captrack::service
{

namespace
{
std::string projectLink(const std::string& base, Poco::Int64 projectId)
{
    return base + "/#/projects/" + std::to_string(projectId);
}

std::string days(long n)
{
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

void writeItem(std::ostream& out, const std::string& base, const WorklistItem& item, const std::string& what)
{
    const auto& m = item.milestone;
    const Poco::Int64 projectId = *domain::intField(m, "project_id");
    out << "- " << item.projectCode << " '" << domain::textField(m, "title").value_or("") << "' (milestone "
        << domain::recordId(m) << "): " << what << "\n  " << projectLink(base, projectId) << "\n";
}

void writeWorklist(std::ostream& out, const std::string& base, const DigestContent& digest)
{
    if (!digest.overdue.empty())
    {
        out << "\nOverdue\n";
        for (const auto& item : digest.overdue)
            writeItem(out, base, item, days(item.overdueDays) + " overdue");
    }
    if (!digest.dueSoon.empty())
    {
        out << "\nDue within " << days(digest.lookAheadDays) << "\n";
        for (const auto& item : digest.dueSoon)
            writeItem(out, base, item, item.daysLeft == 0 ? std::string("due today") : "due in " + days(item.daysLeft));
    }
}

void writeSlipped(std::ostream& out, const std::string& base, const DigestContent& digest)
{
    if (digest.slipped.empty())
        return;
    out << "\nSlipped since the last digest (" << digest.since << ")\n";
    for (const auto& item : digest.slipped)
        out << "- " << item.milestone.projectCode << " '" << item.milestone.title << "' (milestone "
            << item.milestone.milestoneId << "): due " << item.milestone.due << ", was " << item.dueBefore << " (+"
            << days(item.slipDays) << ")\n  " << projectLink(base, item.milestone.projectId) << "\n";
}
} // namespace

std::optional<DigestMail> LeadDigest::mail(const storage::MailRecipientRow& lead, const DigestContent& digest) const
{
    const std::size_t count = digest.milestoneCount();
    if (count == 0)
        return std::nullopt;
    DigestMail mail;
    mail.subject = "captrack: " + std::to_string(count) +
                   (count == 1 ? " milestone needs your update" : " milestones need your update");
    std::ostringstream out;
    out << "Hello " << domain::displayableText(lead.displayName) << ",\n\n"
        << count << (count == 1 ? " milestone" : " milestones") << " of the projects you lead "
        << (count == 1 ? "needs" : "need") << " your update (as of " << digest.asOf.toString() << ").\n";
    writeWorklist(out, _webBaseUrl, digest);
    writeSlipped(out, _webBaseUrl, digest);
    out << "\nUpdate them on your list: " << _webBaseUrl << "/#/needs-update\n"
        << "\n-- \nYou get this digest because reminders by e-mail are on for your captrack account (" << lead.username
        << "). Turn them off at " << _webBaseUrl << "/#/reminders\n";
    mail.body = domain::displayableText(out.str());
    return mail;
}

} // namespace captrack::service
