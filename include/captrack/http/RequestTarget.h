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

} // namespace captrack::http
