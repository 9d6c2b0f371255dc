#include "captrack/domain/Wording.h"

namespace captrack::domain
{

std::string plainWords(std::string code)
{
    for (auto& c : code)
        if (c == '_')
            c = ' ';
    return code;
}

std::string fieldWords(const std::string& field)
{
    const std::string words = plainWords(field);
    const std::string suffix = " id";
    if (words.size() > suffix.size() && words.compare(words.size() - suffix.size(), suffix.size(), suffix) == 0)
        return words.substr(0, words.size() - suffix.size());
    return words;
}

std::string withArticle(const std::string& words)
{
    const bool vowel = !words.empty() && std::string("aeiouAEIOU").find(words.front()) != std::string::npos;
    return (vowel ? "an " : "a ") + words;
}

std::string choiceWords(const std::vector<std::string>& codes)
{
    std::string out;
    for (std::size_t i = 0; i < codes.size(); ++i)
        out += (i == 0 ? "" : i + 1 == codes.size() ? " or " : ", ") + plainWords(codes[i]);
    return out;
}

std::string notAFieldOf(const std::string& entity)
{
    return "is not a field of " + withArticle(plainWords(entity)) + ": remove it";
}

std::string changedMeanwhile(const std::string& entity, Poco::Int64 current, Poco::Int64 sent)
{
    return "someone else changed this " + plainWords(entity) + " after you loaded it (it is now at version " +
           std::to_string(current) + ", you sent " + std::to_string(sent) + "): reload it, then make your change again";
}

std::string unknownQueryParameter(const std::string& name)
{
    const bool plain = !name.empty() && name.size() <= 40 &&
                       name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-[]") ==
                           std::string::npos;
    return plain ? "unknown query parameter '" + name + "'" : "an unknown query parameter (its name is not shown)";
}

} // namespace captrack::domain
