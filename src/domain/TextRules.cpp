#include "captrack/domain/TextRules.h"

#include "captrack/domain/Utf8.h"

#include <cctype>
#include <cstdio>

namespace captrack::domain
{

namespace
{
/// The classes of characters the text rule refuses, each with the words of its field message.
enum class Refused
{
    Nothing,
    LineBreak,     ///< in single-line text
    Control,       ///< C0 (but what multi-line text allows), DEL, C1
    Separator,     ///< U+2028, U+2029: multi-line text breaks lines with U+000A only
    Bidirectional, ///< can reorder what is shown, so that two strings look alike or text reads backwards
    Invisible,     ///< shows nothing, so that two different single-line strings look alike
    Format,        ///< byte order mark and deprecated format characters
    NonCharacter,  ///< never interchanged, not allowed in XML
};

bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

bool isBidirectionalFormat(char32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool isInvisible(char32_t c)
{
    return c == 0x00AD || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || c == 0x180E ||
           c == 0x200B || (c >= 0x2060 && c <= 0x2064) || c == 0x3164 || c == 0xFFA0;
}

bool isOtherFormat(char32_t c)
{
    return c == 0xFEFF || (c >= 0x206A && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB);
}

bool isNonCharacter(char32_t c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

Refused refusalOf(char32_t c, TextLines lines)
{
    const bool multiline = lines == TextLines::Multiple;
    if (c == '\n')
        return multiline ? Refused::Nothing : Refused::LineBreak;
    if (c == '\t' && multiline)
        return Refused::Nothing;
    if (isControl(c))
        return Refused::Control;
    if (c == 0x2028 || c == 0x2029)
        return multiline ? Refused::Separator : Refused::LineBreak;
    if (isBidirectionalFormat(c))
        return Refused::Bidirectional;
    if (isOtherFormat(c))
        return Refused::Format;
    if (isNonCharacter(c))
        return Refused::NonCharacter;
    return isInvisible(c) && !multiline ? Refused::Invisible : Refused::Nothing;
}

const char* wordsFor(Refused refused)
{
    switch (refused)
    {
    case Refused::LineBreak:
        return "must be a single line: no line breaks";
    case Refused::Control:
        return "must not contain control characters";
    case Refused::Separator:
        return "must break lines with plain line breaks only";
    case Refused::Bidirectional:
        return "must not contain bidirectional formatting characters";
    case Refused::Invisible:
        return "must not contain invisible characters";
    case Refused::Format:
        return "must not contain byte order marks or deprecated format characters";
    case Refused::NonCharacter:
        return "must not contain Unicode non-characters";
    case Refused::Nothing:
        break;
    }
    return "";
}

std::string codePointName(char32_t c)
{
    char name[12];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
    return name;
}

/// How a message names one character of a code: itself when it is visible ASCII, else U+XXXX.
std::string shown(char32_t c)
{
    return c > 0x20 && c < 0x7F ? "'" + std::string(1, static_cast<char>(c)) + "'" : codePointName(c);
}

/// "letters A-Z and a-z, digits and . _ -" for CODE_CHARACTERS.
std::string alphabetWords(const std::string& alphabet)
{
    const bool upper = alphabet.find('A') != std::string::npos, lower = alphabet.find('a') != std::string::npos;
    std::string words = upper && lower ? "letters A-Z and a-z" : upper ? "letters A-Z" : lower ? "letters a-z" : "";
    if (alphabet.find('0') != std::string::npos)
        words += std::string(words.empty() ? "" : ", ") + "digits";
    std::string others;
    for (const char c : alphabet)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            others += std::string(others.empty() ? "" : " ") + c;
    return others.empty() ? words : words + " and " + others;
}
} // namespace

std::optional<std::string> plainTextProblem(const std::string& text, TextLines lines)
{
    std::size_t character = 1;
    for (std::size_t offset = 0; offset < text.size(); ++character)
    {
        const utf8::Decoded decoded = utf8::decodeAt(text, offset);
        if (!decoded.valid)
            return "must be valid UTF-8 (invalid byte at offset " + std::to_string(offset) + ")";
        if (const Refused refused = refusalOf(decoded.codePoint, lines); refused != Refused::Nothing)
            return std::string(wordsFor(refused)) + " (" + codePointName(decoded.codePoint) + " at character " +
                   std::to_string(character) + ")";
        offset += decoded.length;
    }
    return std::nullopt;
}

std::optional<std::string> codeProblem(const std::string& code, const std::string& alphabet)
{
    if (code.empty())
        return "must not be empty";
    if (!std::isalnum(static_cast<unsigned char>(code.front())))
        return "must start with a letter or digit";
    std::size_t character = 1;
    for (std::size_t offset = 0; offset < code.size(); ++character)
    {
        const utf8::Decoded decoded = utf8::decodeAt(code, offset);
        if (decoded.codePoint >= 0x80 || alphabet.find(static_cast<char>(decoded.codePoint)) == std::string::npos)
            return "may only use " + alphabetWords(alphabet) + " (not " + shown(decoded.codePoint) + " at character " +
                   std::to_string(character) + ")";
        offset += decoded.length;
    }
    return std::nullopt;
}

std::string displayableText(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t offset = 0; offset < text.size();)
    {
        const utf8::Decoded decoded = utf8::decodeAt(text, offset);
        const char32_t c = decoded.codePoint;
        const bool xmlWhitespace = c == '\t' || c == '\n' || c == '\r';
        const bool allowed =
            decoded.valid && (xmlWhitespace || !(isControl(c) || isBidirectionalFormat(c) || isNonCharacter(c)));
        if (allowed)
            out.append(text, offset, decoded.length);
        else
            utf8::append(out, utf8::REPLACEMENT);
        offset += decoded.length;
    }
    return out;
}

} // namespace captrack::domain
