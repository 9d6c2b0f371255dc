#include "RenderText.h"

#include "captrack/domain/TextRules.h"
#include "captrack/domain/Wording.h"

#include <Poco/Dynamic/Var.h>

#include <cctype>

namespace captrack::report::detail
{

using Poco::Dynamic::Var;

std::string filtersText(const ReportFilters& filters)
{
    std::string out;
    for (const auto& [name, values] : filters)
    {
        std::string text;
        for (std::size_t i = 0; i < values.size(); ++i)
            text += (i == 0 ? "" : ", ") + values[i];
        out += (out.empty() ? "" : "; ") + humanName(name) + ": " + text;
    }
    return out.empty() ? "none" : out;
}

std::string decimalText(double value)
{
    return Var(value).convert<std::string>();
}

std::string humanName(std::string name)
{
    return domain::plainWords(std::move(name));
}

std::string capitalised(std::string text)
{
    if (!text.empty())
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

std::string escapeHtml(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : domain::displayableText(text))
    {
        switch (c)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string escapeMarkdown(const std::string& text)
{
    // & stays: an entity reference decodes to text, never to markup.
    static const std::string SPECIAL = "\\`*_[]<>|~";
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : domain::displayableText(oneLine(text)))
    {
        if (SPECIAL.find(c) != std::string::npos || (out.empty() && c == '#'))
            out += '\\';
        out += c;
    }
    return out;
}

std::string oneLine(const std::string& text)
{
    std::string out = text;
    for (auto& c : out)
        if (c == '\r' || c == '\n' || c == '\t')
            c = ' ';
    return out;
}

} // namespace captrack::report::detail
