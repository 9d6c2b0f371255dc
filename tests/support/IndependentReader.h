#pragma once

#include <Poco/Types.h>

#include <memory>
#include <string>

namespace captrack::test
{

/// Reads the test database behind the server's back, through a different client than the server's
/// Poco::Data: MySQL Connector/C++ for MariaDB, the sqlite3 C API for SQLite. Tests use it to check
/// that what the server acknowledged is really stored, and that nothing of a rejected write is.
/// Each query opens its own connection, so it sees only committed data.
class IndependentReader
{
public:
    /// url is a db.url: `sqlite:PATH` or `mysql://USER:PASSWORD@HOST:PORT/NAME`.
    explicit IndependentReader(std::string url);

    /// `SELECT COUNT(*) FROM <from>`.
    [[nodiscard]] Poco::Int64 count(const std::string& from) const;
    /// The first column of the first row of a query as text ("NULL" for NULL, "" for no row).
    [[nodiscard]] std::string scalar(const std::string& sql) const;

private:
    std::string _url;
};

} // namespace captrack::test
