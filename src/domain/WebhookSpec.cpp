#include "FieldBuilders.h"
#include "captrack/domain/Specs.h"

#include <Poco/URI.h>

namespace captrack::domain
{

using namespace fields;

namespace
{
/// An endpoint is an absolute http or https URL with a host. Admins alone register them, so the server
/// calling an address inside its own network (SSRF) is an admin's choice, not a visitor's
/// (docs/HTTP.md "Webhooks").
void checkWebhook(const Record& r, FieldErrors& errors)
{
    if (const auto url = textField(r, "url"))
    {
        try
        {
            const Poco::URI uri(*url);
            if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
                errors.push_back({"url", "must be an http:// or https:// address with a host"});
            else if (!uri.getUserInfo().empty() || !uri.getFragment().empty())
                errors.push_back({"url", "must carry no user name, password or #fragment"});
        }
        catch (const Poco::SyntaxException&)
        {
            errors.push_back({"url", "is not a URL"});
        }
    }
    if (codeListField(r, "events").empty())
        errors.push_back({"events", "name at least one event"});
}
} // namespace

const ResourceSpec& webhookSpec()
{
    static const ResourceSpec spec = [] {
        auto url = text("url", true, 2000);
        url.sortable = true;
        auto secret = text("secret", true, 200);
        secret.minLength = 16;
        secret.writeOnly = true;
        const auto active = boolean("active", true);
        ResourceSpec s;
        s.kind = Entity::Webhook;
        s.entity = nameText(Entity::Webhook);
        s.table = "webhooks";
        s.fields = withStandardFields({url, secret,
                                       list("events", FieldKind::CodeList, "webhook_events", "code",
                                            "webhook_subscriptions", "webhook_id", "event"),
                                       reference("project_id", FieldKind::Id, "projects", "id", false), active,
                                       prose("description", 500)});
        s.rule = checkWebhook;
        return s;
    }();
    return spec;
}

} // namespace captrack::domain
