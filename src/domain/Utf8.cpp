#include "captrack/domain/Utf8.h"

#include <Poco/Unicode.h>

#include <vector>

namespace captrack::domain::utf8
{

namespace
{
constexpr char32_t ZERO_WIDTH_JOINER = 0x200D;

unsigned char byteAt(const std::string& text, std::size_t offset)
{
    return static_cast<unsigned char>(text[offset]);
}

/// The length a lead byte announces, 0 for a byte that cannot start a sequence (80..C1, F5..FF).
std::size_t sequenceLength(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

bool isScalarOfLength(char32_t codePoint, std::size_t length)
{
    static const char32_t SMALLEST[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
    return codePoint >= SMALLEST[length] && codePoint <= 0x10FFFF && !surrogate;
}

bool isRegionalIndicator(char32_t c)
{
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/// Code points that belong to the character before them rather than starting one.
bool extendsPrevious(char32_t c)
{
    if (c == ZERO_WIDTH_JOINER || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F))
        return true; // joiner, emoji skin-tone modifiers, emoji tag characters
    Poco::Unicode::CharacterProperties properties;
    Poco::Unicode::properties(static_cast<int>(c), properties);
    return properties.category == Poco::Unicode::UCP_MARK; // combining marks and variation selectors
}
} // namespace

Decoded decodeAt(const std::string& text, std::size_t offset)
{
    const Decoded invalid{REPLACEMENT, 1, false};
    const unsigned char lead = byteAt(text, offset);
    const std::size_t length = sequenceLength(lead);
    if (length == 0 || offset + length > text.size())
        return invalid;
    if (length == 1)
        return {lead, 1, true};
    char32_t codePoint = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k)
    {
        const unsigned char next = byteAt(text, offset + k);
        if ((next & 0xC0) != 0x80)
            return invalid;
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    return isScalarOfLength(codePoint, length) ? Decoded{codePoint, length, true} : invalid;
}

bool isValid(const std::string& text)
{
    for (std::size_t offset = 0; offset < text.size();)
    {
        const Decoded decoded = decodeAt(text, offset);
        if (!decoded.valid)
            return false;
        offset += decoded.length;
    }
    return true;
}

std::size_t codePointCount(const std::string& text)
{
    std::size_t count = 0;
    for (std::size_t offset = 0; offset < text.size(); offset += decodeAt(text, offset).length)
        ++count;
    return count;
}

void append(std::string& out, char32_t c)
{
    if (c < 0x80)
        out += static_cast<char>(c);
    else if (c < 0x800)
        out += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    else if (c < 0x10000)
        out += {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                static_cast<char>(0x80 | (c & 0x3F))};
    else
        out += {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
}

std::size_t characterEnd(const std::string& text, std::size_t offset)
{
    const Decoded first = decodeAt(text, offset);
    std::size_t end = offset + first.length;
    if (!first.valid)
        return end;
    bool afterJoiner = false;
    bool flagOpen = isRegionalIndicator(first.codePoint);
    while (end < text.size())
    {
        const Decoded next = decodeAt(text, end);
        const bool joins =
            afterJoiner || extendsPrevious(next.codePoint) || (flagOpen && isRegionalIndicator(next.codePoint));
        if (!next.valid || !joins)
            break;
        flagOpen = false;
        afterJoiner = next.codePoint == ZERO_WIDTH_JOINER;
        end += next.length;
    }
    return end;
}

std::string shortened(const std::string& text, std::size_t maxCharacters)
{
    std::size_t offset = 0;
    for (std::size_t count = 0; offset < text.size(); ++count)
    {
        if (count == maxCharacters)
            return text.substr(0, offset) + "…";
        offset = characterEnd(text, offset);
    }
    return text;
}

std::string shortenedAtWord(const std::string& text, std::size_t maxCharacters)
{
    if (maxCharacters == 0)
        return "";
    const std::size_t room = maxCharacters - 1; // the ellipsis takes one
    std::size_t offset = 0, kept = 0, lastSpace = 0;
    for (; offset < text.size() && kept < room; ++kept)
    {
        if (text[offset] == ' ')
            lastSpace = offset;
        offset = characterEnd(text, offset);
    }
    if (offset >= text.size() || characterEnd(text, offset) >= text.size())
        return text; // it fits, a last character in the ellipsis' place included
    if (text[offset] == ' ')
        lastSpace = offset; // the word kept last ends right there
    std::string head = text.substr(0, lastSpace > 0 ? lastSpace : offset);
    while (!head.empty() && head.back() == ' ')
        head.pop_back();
    return head + "…";
}

namespace
{
double emsOf(char32_t c)
{
    const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                      (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x1F300;
    if (wide || c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '@' || c == '%')
        return 1.0;
    return Poco::Unicode::isUpper(static_cast<int>(c)) ? 0.8 : 0.62;
}

/// Each user-perceived character of `text`: where it ends, how wide it is, whether it is a space.
struct Glyph
{
    std::size_t end;
    double ems;
    bool space;
};

std::vector<Glyph> glyphsOf(const std::string& text)
{
    std::vector<Glyph> glyphs;
    for (std::size_t offset = 0; offset < text.size();)
    {
        const char32_t first = decodeAt(text, offset).codePoint;
        const std::size_t end = characterEnd(text, offset);
        glyphs.push_back({end, emsOf(first), first == ' '});
        offset = end;
    }
    return glyphs;
}
} // namespace

double emWidth(const std::string& text)
{
    double ems = 0;
    for (const auto& glyph : glyphsOf(text))
        ems += glyph.ems;
    return ems;
}

std::string shortenedToEms(const std::string& text, double roomEms)
{
    const auto glyphs = glyphsOf(text);
    double total = 0;
    for (const auto& glyph : glyphs)
        total += glyph.ems;
    if (total <= roomEms)
        return text;
    const double room = roomEms - 1.0; // the ellipsis
    double used = 0;
    std::size_t kept = 0, cut = 0, lastSpaceAt = 0, lastSpaceKept = 0;
    for (const auto& glyph : glyphs)
    {
        if (used + glyph.ems > room)
            break;
        if (glyph.space)
        {
            lastSpaceAt = cut; // the text before this space
            lastSpaceKept = kept;
        }
        used += glyph.ems;
        cut = glyph.end;
        ++kept;
    }
    std::string head = text.substr(0, lastSpaceKept > 0 && lastSpaceKept * 2 > kept ? lastSpaceAt : cut);
    while (!head.empty() && (head.back() == ' ' || head.back() == ',' || head.back() == ';' || head.back() == ':'))
        head.pop_back();
    return head + "…";
}

} // namespace captrack::domain::utf8
