#pragma once

// The words of captrack's messages to people (docs/TEXT.md "Messages"): codes and field names as
// words, lists of choices, and the sentences every resource shares. Stateless, safe for concurrent use.

#include <Poco/Types.h>

#include <string>
#include <vector>

namespace captrack::domain
{

/// A code or name in words: "in_progress" -> "in progress", "capability_area" -> "capability area".
[[nodiscard]] std::string plainWords(std::string code);

/// A field name in words, without the "id" of a reference: "start_date" -> "start date",
/// "partner_id" -> "partner", "lead_user_id" -> "lead user".
[[nodiscard]] std::string fieldWords(const std::string& field);

/// Words with "a" or "an" before them: "a milestone", "an objective".
[[nodiscard]] std::string withArticle(const std::string& words);

/// Codes as a choice in words: "planned, in progress, done or cancelled".
[[nodiscard]] std::string choiceWords(const std::vector<std::string>& codes);

/// The field message for a member a body may not carry: "is not a field of a milestone: remove it".
[[nodiscard]] std::string notAFieldOf(const std::string& entity);

/// The detail of a 412: someone else changed the record since the client read it; what to do.
[[nodiscard]] std::string changedMeanwhile(const std::string& entity, Poco::Int64 current, Poco::Int64 sent);

/// "unknown query parameter 'x'", naming the parameter only when it is plainly a name (letters, digits,
/// `_ . - [ ]`, at most 40): a name with control, bidirectional or other characters is not quoted back.
[[nodiscard]] std::string unknownQueryParameter(const std::string& name);

} // namespace captrack::domain
