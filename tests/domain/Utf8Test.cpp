#include "captrack/domain/Utf8.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::domain;

/// The UTF-8 decoder, counter and shortener (domain/Utf8.h) that validation and every renderer share.
class Utf8Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(Utf8Test);
    CPPUNIT_TEST(testDecodesEveryLengthAndRefusesMalformedSequences);
    CPPUNIT_TEST(testCountsCodePoints);
    CPPUNIT_TEST(testAppendWritesEveryLength);
    CPPUNIT_TEST(testShortensByCharactersNeverBytes);
    CPPUNIT_TEST(testShortenedNeverCutsAnInvalidByteIntoMore);
    CPPUNIT_TEST(testShortenedAtWordKeepsWholeWordsWithinTheRoom);
    CPPUNIT_TEST(testShortenedToEmsFitsWideLettersAndScripts);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDecodesEveryLengthAndRefusesMalformedSequences()
    {
        struct Case
        {
            std::string bytes;
            bool valid;
            char32_t codePoint;
            std::size_t length;
        };
        const Case cases[] = {
            {"A", true, 0x41, 1},
            {"\xC2\x80", true, 0x80, 2},
            {"\xD0\x87", true, 0x407, 2}, // Ї
            {"\xE2\x80\xAE", true, 0x202E, 3},
            {"\xEF\xBF\xBD", true, 0xFFFD, 3},
            {"\xF0\x9F\x9A\x80", true, 0x1F680, 4}, // 🚀
            {"\xF4\x8F\xBF\xBF", true, 0x10FFFF, 4},
            {"\x80", false, 0xFFFD, 1},
            {"\xC1\xBF", false, 0xFFFD, 1},         // overlong
            {"\xE0\x9F\xBF", false, 0xFFFD, 1},     // overlong
            {"\xF0\x8F\xBF\xBF", false, 0xFFFD, 1}, // overlong
            {"\xED\xBF\xBF", false, 0xFFFD, 1},     // surrogate U+DFFF
            {"\xF4\x90\x80\x80", false, 0xFFFD, 1}, // above U+10FFFF
            {"\xF5\x80\x80\x80", false, 0xFFFD, 1},
            {"\xE2\x28\xA1", false, 0xFFFD, 1}, // continuation missing
            {"\xE2\x82", false, 0xFFFD, 1},     // cut short
        };
        for (const auto& c : cases)
        {
            const auto decoded = utf8::decodeAt(c.bytes, 0);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.bytes, c.valid, decoded.valid);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.bytes, static_cast<unsigned>(c.codePoint),
                                         static_cast<unsigned>(decoded.codePoint));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.bytes, c.length, decoded.length);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.bytes, c.valid, utf8::isValid(c.bytes));
        }
    }

    void testCountsCodePoints()
    {
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), utf8::codePointCount(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), utf8::codePointCount("Україна"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), utf8::codePointCount("e\xCC\x81"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), utf8::codePointCount("\xF0\x9F\x9A\x80"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), utf8::codePointCount("a\xFF"
                                                                  "b"));
    }

    void testAppendWritesEveryLength()
    {
        for (const char32_t c : {char32_t(0x24), char32_t(0x407), char32_t(0x20AC), char32_t(0x1F680)})
        {
            std::string out;
            utf8::append(out, c);
            const auto decoded = utf8::decodeAt(out, 0);
            CPPUNIT_ASSERT(decoded.valid);
            CPPUNIT_ASSERT_EQUAL(static_cast<unsigned>(c), static_cast<unsigned>(decoded.codePoint));
            CPPUNIT_ASSERT_EQUAL(out.size(), decoded.length);
        }
    }

    void testShortensByCharactersNeverBytes()
    {
        struct Case
        {
            std::string text;
            std::size_t max;
            std::string expected;
        };
        const std::string family =
            "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"; // 👩‍👩‍👧
        const std::string flag = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xA6";                    // 🇺🇦
        const std::string thumb = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";                   // 👍🏽
        const std::string heart = "\xE2\x9D\xA4\xEF\xB8\x8F";                           // ❤️
        const Case cases[] = {
            {"Field trial", 20, "Field trial"},
            {"Field trial", 11, "Field trial"},
            {"Field trial", 5, "Field…"},
            {"Польові випробування", 6, "Польов…"}, // a byte cut would split a Cyrillic letter
            {"Польові", 7, "Польові"},
            {"cafe\xCC\x81 noir", 4, "cafe\xCC\x81…"}, // the accent stays with its letter
            {"e\xCC\x81\xCC\xA3x", 1, "e\xCC\x81\xCC\xA3…"},
            {"a" + family + "b", 2, "a" + family + "…"},
            {"a" + flag + flag, 2, "a" + flag + "…"},
            {flag + flag, 1, flag + "…"},
            {thumb + "x", 1, thumb + "…"},
            {heart + heart, 1, heart + "…"},
            {"\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80", 2, "\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80…"},
            {"", 0, ""},
            {"x", 0, "…"},
        };
        for (const auto& c : cases)
        {
            const std::string shortened = utf8::shortened(c.text, c.max);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.expected, shortened);
            CPPUNIT_ASSERT_MESSAGE(c.text, utf8::isValid(shortened));
        }
    }

    /// Chart labels: the room counts the ellipsis; the cut falls after the last whole word that fits, and
    /// inside a first word only when that alone is too long.
    /// Chart labels measured by how wide they are drawn: capitals, "W" and wide scripts take more room
    /// than a count of characters says, so a label of them is cut shorter and still fits.
    void testShortenedToEmsFitsWideLettersAndScripts()
    {
        using captrack::domain::utf8::emWidth;
        using captrack::domain::utf8::shortenedToEms;
        CPPUNIT_ASSERT_EQUAL(std::string("Field trial"), shortenedToEms("Field trial", 20));
        for (const std::string& title :
             {std::string(60, 'W'), std::string("ВВЕДЕНИЕ В ЭКСПЛУАТАЦИЮ СИСТЕМЫ СВЯЗИ И УПРАВЛЕНИЯ"),
              std::string("統合防空ミサイル防衛システムの配備と試験運用の完了報告"),
              std::string("mmmm wwww MMMM WWWW mmmm wwww")})
        {
            const std::string cut = shortenedToEms(title, 15);
            CPPUNIT_ASSERT_MESSAGE(cut, emWidth(cut) <= 15.0 + 1e-9);
            CPPUNIT_ASSERT_MESSAGE(cut, cut.size() >= 3 && cut.substr(cut.size() - 3) == "…");
        }
        // At a word when that keeps at least half; inside a long first word otherwise.
        CPPUNIT_ASSERT_EQUAL(std::string("Fifth six-monthly…"),
                             shortenedToEms("Fifth six-monthly progress report", 13));
        CPPUNIT_ASSERT_EQUAL(std::string("M-637 WWWW…"), shortenedToEms("M-637 WWWWWWWWWWWWWWWWWWWW", 10));
    }

    void testShortenedAtWordKeepsWholeWordsWithinTheRoom()
    {
        struct Case
        {
            std::string text;
            std::size_t max;
            std::string expected;
        };
        const Case cases[] = {
            {"Field trial of a mine detector", 30, "Field trial of a mine detector"},
            {"Field trial of a mine detector", 29, "Field trial of a mine…"},
            {"Field trial of a mine detector", 22, "Field trial of a mine…"},
            {"Field trial of a mine detector", 21, "Field trial of a…"},
            {"Field trial of a mine detector", 12, "Field trial…"},
            {"Field trial", 11, "Field trial"},
            {"Field trial", 10, "Field…"},
            {"Interoperability trial", 10, "Interoper…"}, // one long first word: cut inside it
            {"Польові випробування техніки", 20, "Польові…"},
            {"Польові випробування техніки", 21, "Польові випробування…"},
            {"cafe\xCC\x81 noir bar", 10, "cafe\xCC\x81 noir…"},
            {"ab", 1, "…"},
            {"", 3, ""},
        };
        for (const auto& c : cases)
        {
            const std::string got = utf8::shortenedAtWord(c.text, c.max);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text + " in " + std::to_string(c.max), c.expected, got);
            CPPUNIT_ASSERT(utf8::codePointCount(got) <= c.max + 1); // + the accent's combining mark
        }
    }

    void testShortenedNeverCutsAnInvalidByteIntoMore()
    {
        // Text stored before validation may be malformed: each bad byte is one character, kept as it is.
        CPPUNIT_ASSERT_EQUAL(std::string("a\xFF…"), utf8::shortened("a\xFF"
                                                                    "bc",
                                                                    2));
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3…"), utf8::shortened("\xC3\x28zz", 1));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Utf8Test);
