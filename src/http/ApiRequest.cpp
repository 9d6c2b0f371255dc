#include "captrack/http/ApiRequest.h"

#include "captrack/Errors.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/http/JsonBody.h"
#include "captrack/service/RecordJson.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace captrack::http
{

ApiRequest::ApiRequest(const RequestHead& head, std::string path,
                       std::vector<std::pair<std::string, std::string>> query, std::string body,
                       std::string clientAddress)
    : _head(head), _path(std::move(path)), _query(std::move(query)), _body(std::move(body)),
      _clientAddress(std::move(clientAddress))
{
}

ApiRequest::ApiRequest(const RequestHead& head, std::string path,
                       std::vector<std::pair<std::string, std::string>> query, std::string body,
                       const Poco::Net::SocketAddress& client)
    : _head(head), _path(std::move(path)), _query(std::move(query)), _body(std::move(body)), _pClient(&client)
{
}

const std::string& ApiRequest::clientAddress() const
{
    if (!_clientAddress)
        _clientAddress = _pClient ? _pClient->host().toString() : std::string();
    return *_clientAddress;
}

std::optional<std::string> ApiRequest::queryValue(const std::string& name) const
{
    std::optional<std::string> value;
    for (const auto& [key, v] : _query)
        if (key == name)
            value = v;
    return value;
}

const domain::Principal& ApiRequest::principal() const
{
    if (!_principal)
        throw UnauthorizedError("sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
    return *_principal;
}

std::optional<std::string> ApiRequest::header(const std::string& name) const
{
    return _head.field(name);
}

Poco::Int64 ApiRequest::idParam(const std::string& name) const
{
    const std::string& text = param(name);
    const auto id = domain::decimalId(text);
    if (!id)
        throw NotFoundError("no resource at " + _path);
    return *id;
}

Poco::JSON::Object::Ptr ApiRequest::jsonBody() const
{
    return parseJsonObject(_body);
}

std::optional<Poco::Int64> ApiRequest::ifMatch() const
{
    auto value = header("If-Match");
    if (!value)
        return std::nullopt;
    std::string text = Poco::trim(*value);
    if (text == "*")
        throw PreconditionRequiredError("If-Match must name the version you last read, not *");
    if (text.rfind("W/", 0) == 0)
        text = text.substr(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    Poco::Int64 version = 0;
    if (!domain::isAllDigits(text) || !Poco::NumberParser::tryParse64(text, version))
        throw BadRequestError("If-Match must be an ETag of this API, e.g. \"3\"");
    return version;
}

ApiResponse ApiResponse::json(int status, const Poco::Dynamic::Var& value)
{
    ApiResponse response;
    response.status = status;
    service::appendJson(response.body, value); // what Poco's Stringifier writes, without its streams
    return response;
}

ApiResponse ApiResponse::noContent()
{
    ApiResponse response;
    response.status = 204;
    response.contentType.clear();
    return response;
}

} // namespace captrack::http
