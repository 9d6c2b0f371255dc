#pragma once

// UTF-8 as RFC 3629 defines it: the one decoder, counter and shortener that validation and every
// renderer use, so that no caller counts or cuts bytes. Stateless functions, safe for concurrent use.

#include <cstddef>
#include <string>

namespace captrack::domain::utf8
{

/// One step of decoding: the code point at an offset and how many bytes it takes.
struct Decoded
{
    char32_t codePoint = 0; ///< U+FFFD when not valid
    std::size_t length = 1; ///< bytes taken; 1 for an invalid byte, so a caller can step over it
    bool valid = false;
};

/// U+FFFD REPLACEMENT CHARACTER, which renderers show in place of what they may not emit.
inline constexpr char32_t REPLACEMENT = 0xFFFD;

/// Decodes the code point starting at byte `offset` (< text.size()). Overlong forms, surrogates
/// (U+D800..U+DFFF), values above U+10FFFF, stray continuation bytes and cut sequences are invalid.
[[nodiscard]] Decoded decodeAt(const std::string& text, std::size_t offset);

/// True when the whole text is well-formed UTF-8.
[[nodiscard]] bool isValid(const std::string& text);

/// The number of code points (an invalid byte counts as one): the length rules of text fields.
[[nodiscard]] std::size_t codePointCount(const std::string& text);

/// Appends the UTF-8 form of a code point (the caller passes a scalar value, not a surrogate).
void append(std::string& out, char32_t codePoint);

/// The byte offset just after the user-perceived character that starts at `offset`: a code point
/// with the combining marks, variation selectors, emoji modifiers and tags that follow it, code points
/// joined by U+200D ZERO WIDTH JOINER, and a pair of regional indicators (a flag).
[[nodiscard]] std::size_t characterEnd(const std::string& text, std::size_t offset);

/// The first `maxCharacters` user-perceived characters (see characterEnd) followed by "…", or the
/// text unchanged when it has no more than that. Never splits a code point, nor a letter from its
/// accent, nor an emoji sequence; an invalid byte counts as one character and is kept as it is.
[[nodiscard]] std::string shortened(const std::string& text, std::size_t maxCharacters);

/// The text in at most `maxCharacters` user-perceived characters, "…" included: unchanged when it fits,
/// else cut after the last whole word that fits (at a space, which is dropped) and "…" added; a first
/// word longer than the room is cut inside it instead. For labels whose room is counted (charts).
[[nodiscard]] std::string shortenedAtWord(const std::string& text, std::size_t maxCharacters);

/// How wide `text` is drawn, in ems, at most about: a wide-script (CJK, Hangul, full-width) character or
/// emoji 1, "m", "w", "M", "W", "@", "%" 1, other capitals 0.8, everything else 0.62 (sans-serif fonts).
[[nodiscard]] double emWidth(const std::string& text);

/// The text cut to be drawn in at most `roomEms` ems (emWidth), "…" included: unchanged when it fits,
/// else cut after the last whole word that fits when that keeps more than half of what fits, else inside
/// the word, and "…" added. For labels whose room is measured (charts).
[[nodiscard]] std::string shortenedToEms(const std::string& text, double roomEms);

} // namespace captrack::domain::utf8
