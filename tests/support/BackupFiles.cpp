#include "BackupFiles.h"

#include <Poco/DigestEngine.h>
#include <Poco/FileStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

namespace captrack::test::backupfiles
{

std::string readFile(const std::string& path)
{
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

void writeFile(const std::string& path, const std::string& text)
{
    Poco::FileOutputStream out(path);
    out << text;
}

std::string rowsOf(const std::string& backup)
{
    const std::string text = readFile(backup);
    const auto first = text.find('\n') + 1;
    const auto last = text.rfind('\n', text.size() - 2) + 1;
    return text.substr(first, last - first);
}

std::string withChecksumRedone(std::string text)
{
    const auto endLine = text.rfind('\n', text.size() - 2) + 1;
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(text.substr(0, endLine));
    const auto digest = text.find("\"sha256\":\"", endLine) + 10;
    return text.replace(digest, 64, Poco::DigestEngine::digestToHex(sha.digest()));
}

std::string withRowReplaced(const std::string& backup, const std::string& table, const std::string& row)
{
    std::string text = backup;
    const auto start = text.find("{\"table\":\"" + table + "\"}\n") + table.size() + 13;
    text.replace(start, text.find('\n', start) - start, row);
    return withChecksumRedone(text);
}

std::string withMigrationRecorded(const std::string& backup, const std::string& migration)
{
    const std::string tables = "\"tables\":[";
    const std::string endRows = "{\"end\":{\"rows\":{";
    std::string text = backup;
    text.replace(text.find(tables), tables.size(),
                 tables + "{\"name\":\"schema_migrations\",\"columns\":[\"name\",\"applied_at\"],\"key\":[\"name\"]},");
    text.insert(text.find('\n') + 1,
                "{\"table\":\"schema_migrations\"}\n[\"" + migration + "\",\"2027-01-01T00:00:00Z\"]\n");
    text.replace(text.rfind(endRows), endRows.size(), endRows + "\"schema_migrations\":1,");
    return withChecksumRedone(text);
}

std::string replacedAll(std::string text, const std::string& from, const std::string& to)
{
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace captrack::test::backupfiles
