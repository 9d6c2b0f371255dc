#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/http/RequestFramer.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/SocketAddress.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace captrack::http
{

/// A request as the handlers see it: method, path, the values of the route's `{name}` segments,
/// query parameters, the body (already read, within its route's limit) and the acting principal.
/// Belongs to the worker thread that answers it; not shared.
class ApiRequest
{
public:
    /// `head` must outlive the request; `path` is in normal form (parseRequestTarget).
    ApiRequest(const RequestHead& head, std::string path, std::vector<std::pair<std::string, std::string>> query,
               std::string body, std::string clientAddress);
    /// The same, with the client's address as the transport has it (`client` must outlive the request):
    /// its text is made only if a handler asks for it.
    ApiRequest(const RequestHead& head, std::string path, std::vector<std::pair<std::string, std::string>> query,
               std::string body, const Poco::Net::SocketAddress& client);

    [[nodiscard]] const std::string& method() const { return _head.method; }
    [[nodiscard]] const std::string& path() const { return _path; }
    [[nodiscard]] const std::string& body() const { return _body; }
    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& query() const { return _query; }
    /// The last value of a query parameter, if given.
    [[nodiscard]] std::optional<std::string> queryValue(const std::string& name) const;
    /// The client's IP address (the peer of the connection).
    [[nodiscard]] const std::string& clientAddress() const;
    /// A request header, if given.
    [[nodiscard]] std::optional<std::string> header(const std::string& name) const;

    /// The `{name}` path segment; the route guarantees it exists.
    [[nodiscard]] const std::string& param(const std::string& name) const { return _params.at(name); }
    /// The `{name}` path segment as an id; NotFoundError when it is not a positive whole number.
    [[nodiscard]] Poco::Int64 idParam(const std::string& name) const;
    void setParams(std::map<std::string, std::string> params) { _params = std::move(params); }

    /// The body as a JSON object; BadRequestError when it is empty, malformed or not an object.
    [[nodiscard]] Poco::JSON::Object::Ptr jsonBody() const;
    /// The version named by If-Match (`"3"`, `3` or `W/"3"`); nullopt when absent;
    /// PreconditionRequiredError for `*`, BadRequestError for anything else.
    [[nodiscard]] std::optional<Poco::Int64> ifMatch() const;

    /// The signed-in principal. UnauthorizedError when the request has not signed in: a request
    /// without credentials has no role and no rights (deny by default).
    [[nodiscard]] const domain::Principal& principal() const;
    [[nodiscard]] bool signedIn() const { return _principal.has_value(); }
    void setPrincipal(domain::Principal principal) { _principal = std::move(principal); }

private:
    const RequestHead& _head;
    std::string _path;
    std::vector<std::pair<std::string, std::string>> _query;
    std::string _body;
    const Poco::Net::SocketAddress* _pClient = nullptr;
    mutable std::optional<std::string> _clientAddress; ///< made on first use from *_pClient
    std::map<std::string, std::string> _params;
    std::optional<domain::Principal> _principal;
};

/// What a handler answers: status, content type, body and extra headers.
struct ApiResponse
{
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    /// A JSON response of the given object or array.
    [[nodiscard]] static ApiResponse json(int status, const Poco::Dynamic::Var& value);
    /// 204 No Content.
    [[nodiscard]] static ApiResponse noContent();
};

} // namespace captrack::http
