#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::service
{

/// The `changes` of one audit event, built field by field in the order they are set:
/// {"field": {"old": .., "new": ..}, ...}. Not copyable; one per event, used by one thread.
class AuditChanges
{
public:
    AuditChanges() = default;
    AuditChanges(const AuditChanges&) = delete;
    AuditChanges& operator=(const AuditChanges&) = delete;

    /// Records that `field` went from `before` to `after` (null for "not shown").
    void set(const std::string& field, const Poco::Dynamic::Var& before, const Poco::Dynamic::Var& after);
    /// The changes as JSON text, for AuditLog::recordRaw.
    [[nodiscard]] std::string json() const;

private:
    Poco::JSON::Object _changes{Poco::JSON_PRESERVE_KEY_ORDER};
};

} // namespace captrack::service
