#include "captrack/domain/TextRules.h"

#include <cstring>

namespace captrack::domain
{

namespace
{
bool isLetterOrDigit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::optional<std::string> localPartProblem(const std::string& local)
{
    if (local.empty() || local.size() > 64)
        return "needs 1 to 64 characters before the @";
    for (const char c : local)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F || std::strchr("\"(),:;<>[\\]", c) != nullptr)
            return "may not contain '" + std::string(1, c) + "' before the @ (plain ASCII, no spaces or quotes)";
    }
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
        return "may not start or end with '.' or hold \"..\" before the @";
    return std::nullopt;
}

std::optional<std::string> domainProblem(const std::string& domain)
{
    std::size_t labels = 0;
    std::size_t start = 0;
    while (start <= domain.size())
    {
        const std::size_t end = std::min(domain.find('.', start), domain.size());
        const std::string label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return "needs a domain of dot-separated names after the @ (e.g. example.org)";
        for (const char c : label)
            if (!isLetterOrDigit(c) && c != '-')
                return "may only hold letters, digits, '-' and '.' after the @";
        ++labels;
        start = end + 1;
    }
    if (labels < 2)
        return "needs a domain with a dot after the @ (e.g. example.org)";
    return std::nullopt;
}
} // namespace

std::optional<std::string> emailAddressProblem(const std::string& address)
{
    const auto at = address.find('@');
    if (at == std::string::npos || address.find('@', at + 1) != std::string::npos)
        return "must be one e-mail address: name@example.org";
    if (auto problem = localPartProblem(address.substr(0, at)))
        return problem;
    return domainProblem(address.substr(at + 1));
}

} // namespace captrack::domain
