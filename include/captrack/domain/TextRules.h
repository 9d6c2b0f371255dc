#pragma once

// What text captrack stores, and what its renderers emit: the one rule for every text a client sends
// (resource fields, baseline names and reasons, API token names) and for every identifier code.
// The rules and the reasons for them are in docs/TEXT.md. Stateless functions, safe for concurrent use.

#include <optional>
#include <string>

namespace captrack::domain
{

/// Whether a text field may span lines. Descriptions, reasons and notes do; names, titles, codes and
/// everything else that is shown on one line or compared do not.
enum class TextLines
{
    Single,   ///< no line breaks, no tabs, no invisible characters
    Multiple, ///< line feeds (U+000A) and tabs allowed; no other line or paragraph separator
};

/// Why `text` may not be stored in a field of that shape, as a field message ("must not contain
/// bidirectional formatting characters (U+202E at character 3)"), or nullopt when it may.
/// Refused everywhere: invalid UTF-8; C0 controls (but line feed and tab in multi-line text), DEL and
/// C1 controls; carriage return; the bidirectional formatting characters U+061C, U+200E, U+200F,
/// U+202A..U+202E, U+2066..U+2069; U+2028, U+2029; U+FEFF; deprecated format characters
/// U+206A..U+206F and U+FFF9..U+FFFB; non-characters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF).
/// Refused in single-line text only: invisible characters that make two strings look alike (U+00AD,
/// U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180E, U+200B, U+2060..U+2064, U+3164, U+FFA0).
/// U+200C and U+200D (joiners that scripts and emoji need) are allowed.
[[nodiscard]] std::optional<std::string> plainTextProblem(const std::string& text, TextLines lines);

/// The alphabet of codes (project, partner, mission, capability area, objective): ASCII letters,
/// digits, '.', '_' and '-'.
inline constexpr const char* CODE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

/// Why `code` is not a code over `alphabet` (a set of ASCII characters, e.g. CODE_CHARACTERS), or
/// nullopt: a code starts with an ASCII letter or digit and uses only characters of the alphabet.
/// Length limits are the field's own.
[[nodiscard]] std::optional<std::string> codeProblem(const std::string& code, const std::string& alphabet);

/// `text` with every byte that is not UTF-8 and every character no report format may carry replaced
/// by U+FFFD: C0 controls but tab, line feed and carriage return (which XML 1.0 allows), DEL, C1
/// controls, bidirectional formatting characters and non-characters. Renderers pass all stored text
/// through it, because rows written before these rules may hold anything.
[[nodiscard]] std::string displayableText(const std::string& text);

/// Why `address` is not an e-mail address captrack sends to, or nullopt: `local@domain` in ASCII, the
/// local part 1 to 64 characters without spaces, controls or any of `"(),:;<>[\]@`, not starting or
/// ending with '.' nor holding "..", the domain two or more dot-separated labels of letters, digits and
/// '-' (1 to 63 each, no '-' at either end). Quoted local parts, address literals and non-ASCII
/// addresses (SMTPUTF8) are refused: every relay takes what passes. Length limits are the field's own.
[[nodiscard]] std::optional<std::string> emailAddressProblem(const std::string& address);

} // namespace captrack::domain
