#include "captrack/storage/Database.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace captrack::storage
{

// The MySQL connection string leaves the client library's auto-reconnect off on purpose: a silently
// reconnected session would lose its session settings (wsrep_sync_wait, lock wait timeout) and any
// open transaction. A lost connection fails its request with 503 and the pool opens a new session.
DatabaseUrl DatabaseUrl::parse(const std::string& url)
{
    DatabaseUrl out;
    if (url.rfind("sqlite:", 0) == 0)
    {
        out.dialect = Dialect::SQLite;
        out.connector = "SQLite";
        out.sqlitePath = url.substr(7);
        if (out.sqlitePath.empty())
            throw Poco::InvalidArgumentException("db.url", "sqlite: needs a file path or :memory:");
        out.connectionString = out.sqlitePath;
        out.display = url;
        return out;
    }
    if (url.rfind("mysql://", 0) == 0 || url.rfind("mariadb://", 0) == 0)
    {
        const Poco::URI uri(url);
        std::string user = uri.getUserInfo(), password;
        const auto colon = user.find(':');
        if (colon != std::string::npos)
        {
            password = user.substr(colon + 1);
            user = user.substr(0, colon);
        }
        std::string name = uri.getPath();
        if (!name.empty() && name[0] == '/')
            name.erase(0, 1);
        if (uri.getHost().empty() || name.empty())
            throw Poco::InvalidArgumentException("db.url", "mysql:// URL needs a host and a database name");
        out.dialect = Dialect::MySQL;
        out.connector = "MySQL";
        out.connectionString = "host=" + uri.getHost() +
                               ";port=" + std::to_string(uri.getPort() ? uri.getPort() : 3306) + ";db=" + name +
                               ";user=" + user + ";password=" + password + ";character-set=utf8mb4;compress=false";
        out.display = "mysql://" + user + (password.empty() ? "" : ":***") + "@" + uri.getHost() + ":" +
                      std::to_string(uri.getPort() ? uri.getPort() : 3306) + "/" + name;
        return out;
    }
    throw Poco::InvalidArgumentException("db.url", "expected sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/NAME");
}

} // namespace captrack::storage
