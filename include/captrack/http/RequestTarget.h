#pragma once

#include <string>
#include <utility>
#include <vector>

namespace captrack::http
{

/// A request-target taken apart: the decoded path in normal form and the decoded query parameters.
struct RequestTarget
{
    std::string path; ///< "/" or "/seg/seg" with every segment non-empty and percent-decoded
    std::vector<std::pair<std::string, std::string>> query;
};

/// Parses an origin-form request-target (`/api/v1/projects?limit=5`). Only paths in normal form are
/// accepted, so that a path names one route whatever way it is spelled: BadRequestError for a
/// target that does not start with '/', an empty segment (`//`, a trailing `/`), a `.` or `..`
/// segment (also percent-encoded), an encoded `/`, `\` or NUL, a raw `\`, a control character,
/// a malformed percent-escape, a fragment, or text that is not UTF-8. Pure; safe for any input.
[[nodiscard]] RequestTarget parseRequestTarget(const std::string& target);

/// Where the public calendar feeds live: `/calendar/<secret>.ics` (http/CalendarApi.h).
inline constexpr const char* CALENDAR_ROOT = "/calendar";

/// The request-target as logs may show it, with no calendar feed's secret: a target whose path (as
/// parseRequestTarget decodes it) is under CALENDAR_ROOT becomes `/calendar/*****`, and in any other
/// target each run of 32 or more hex digits (a secret sent to a wrong or malformed address) becomes
/// `*****`; anything else is unchanged. Pure; safe for any input.
[[nodiscard]] std::string loggableTarget(const std::string& target);

} // namespace captrack::http
