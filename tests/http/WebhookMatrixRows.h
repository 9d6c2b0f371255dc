#pragma once

#include "MatrixCases.h"

namespace captrack::test::matrix
{

/// A webhook endpoint registered by the admin; returns its path.
inline std::string newWebhook(Cell& cell)
{
    return API + "/webhooks/" +
           str(cell.server.create(API + "/webhooks", R"({"url": "http://127.0.0.1:9/)" + cell.tag +
                                                         R"(", "secret": "matrix-secret-0123456789",
                                                         "events": ["milestone.changed"]})"));
}

/// Webhooks are the admins' alone: every other role gets 403, partners included (as for users).
inline void addWebhookRows(std::vector<Row>& rows)
{
    const std::string collection = API + "/webhooks";
    rows.push_back(
        {"GET /api/v1/webhooks", "all", [collection](Cell&) { return Request{collection}; }, adminOnly(200)});
    rows.push_back({"POST /api/v1/webhooks", "new endpoint",
                    [collection](Cell& c) {
                        return Request{collection, R"({"url": "https://example.org/)" + c.tag +
                                                       R"(", "secret": "matrix-secret-0123456789",
                                                       "events": ["project.health_changed"]})"};
                    },
                    adminOnly(201)});
    rows.push_back(
        {"GET /api/v1/webhooks/{id}", "throwaway", [](Cell& c) { return Request{newWebhook(c)}; }, adminOnly(200)});
    rows.push_back({"GET /api/v1/webhooks/{id}", "missing id",
                    [collection](Cell&) { return Request{collection + "/" + MISSING_ID}; }, adminOnly(404)});
    rows.push_back({"PATCH /api/v1/webhooks/{id}", "throwaway",
                    [](Cell& c) { return current(c.server, newWebhook(c), R"({"active": false})"); }, adminOnly(200)});
    rows.push_back({"DELETE /api/v1/webhooks/{id}", "throwaway",
                    [](Cell& c) { return current(c.server, newWebhook(c)); }, adminOnly(204)});
    rows.push_back({"GET /api/v1/webhooks/{id}/deliveries", "throwaway",
                    [](Cell& c) { return Request{newWebhook(c) + "/deliveries"}; }, adminOnly(200)});
    rows.push_back({"GET /api/v1/webhooks/{id}/deliveries", "missing id",
                    [collection](Cell&) { return Request{collection + "/" + MISSING_ID + "/deliveries"}; },
                    adminOnly(404)});
}

} // namespace captrack::test::matrix
