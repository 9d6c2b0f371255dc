#include "captrack/domain/TextRules.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::domain;

namespace
{
/// "ok" when the text rule accepts `text`, else the start of its message (up to " (").
std::string verdict(const std::string& text, TextLines lines)
{
    const auto problem = plainTextProblem(text, lines);
    return problem ? problem->substr(0, problem->find(" (")) : "ok";
}

const std::string OK = "ok";
const std::string CONTROL = "must not contain control characters";
const std::string LINE = "must be a single line: no line breaks";
const std::string BIDI = "must not contain bidirectional formatting characters";
const std::string INVISIBLE = "must not contain invisible characters";
const std::string FORMAT = "must not contain byte order marks or deprecated format characters";
const std::string NONCHAR = "must not contain Unicode non-characters";
const std::string SEPARATOR = "must break lines with plain line breaks only";
const std::string UTF8 = "must be valid UTF-8";
} // namespace

/// The text rule of every stored text (domain/TextRules.h): each class of refused character, in
/// single-line and multi-line text, the messages that name it, and what renderers replace.
class TextRulesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TextRulesTest);
    CPPUNIT_TEST(testEachCharacterClassInSingleAndMultiLineText);
    CPPUNIT_TEST(testInvalidUtf8IsRefused);
    CPPUNIT_TEST(testMessageNamesTheCharacterAndWhereItIs);
    CPPUNIT_TEST(testCodesUseTheirAlphabetAndStartWithALetterOrDigit);
    CPPUNIT_TEST(testDisplayableTextReplacesWhatNoFormatMayCarry);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEachCharacterClassInSingleAndMultiLineText()
    {
        struct Case
        {
            std::string text;
            std::string single, multiple;
        };
        const Case cases[] = {
            {"Field trial", OK, OK},
            {"Польові випробування ґ Ї", OK, OK},
            {"Zürich naïve café", OK, OK},
            {"e\xCC\x81 combining acute", OK, OK},
            {"emoji \xF0\x9F\x9A\x80 and \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xAC", OK, OK}, // U+200D kept
            {"\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A", OK, OK},                                        // Arabic, RTL itself
            {"a\xE2\x80\x8C"
             "b",
             OK, OK}, // U+200C ZWNJ
            {"line\nbreak", LINE, OK},
            {"tab\there", CONTROL, OK},
            {"carriage\r\nreturn", CONTROL, CONTROL},
            {std::string("nul\0x", 5), CONTROL, CONTROL},
            {"bell\x07", CONTROL, CONTROL},
            {"escape\x1B[31m", CONTROL, CONTROL},
            {"del\x7F", CONTROL, CONTROL},
            {"c1 \xC2\x85 next line", CONTROL, CONTROL},
            {"c1 \xC2\x9F", CONTROL, CONTROL},
            {"\xD8\x9C arabic letter mark", BIDI, BIDI}, // U+061C
            {"lrm \xE2\x80\x8E", BIDI, BIDI},            // U+200E
            {"rlm \xE2\x80\x8F", BIDI, BIDI},            // U+200F
            {"lre \xE2\x80\xAA", BIDI, BIDI},            // U+202A
            {"P-1\xE2\x80\xAEgnp.exe", BIDI, BIDI},      // U+202E RIGHT-TO-LEFT OVERRIDE
            {"lri \xE2\x81\xA6", BIDI, BIDI},            // U+2066
            {"pdi \xE2\x81\xA9", BIDI, BIDI},            // U+2069
            {"zw\xE2\x80\x8Bsp", INVISIBLE, OK},         // U+200B
            {"word\xE2\x81\xA0joiner", INVISIBLE, OK},   // U+2060
            {"soft\xC2\xADhyphen", INVISIBLE, OK},       // U+00AD
            {"hangul\xE3\x85\xA4"
             "filler",
             INVISIBLE, OK},                                // U+3164
            {"mongolian\xE1\xA0\x8E", INVISIBLE, OK},       // U+180E
            {"bom\xEF\xBB\xBF", FORMAT, FORMAT},            // U+FEFF
            {"\xE2\x81\xAA deprecated", FORMAT, FORMAT},    // U+206A
            {"annotation \xEF\xBF\xB9", FORMAT, FORMAT},    // U+FFF9
            {"line\xE2\x80\xA8separator", LINE, SEPARATOR}, // U+2028
            {"para\xE2\x80\xA9separator", LINE, SEPARATOR}, // U+2029
            {"nonchar \xEF\xBF\xBF", NONCHAR, NONCHAR},     // U+FFFF
            {"nonchar \xEF\xBF\xBE", NONCHAR, NONCHAR},     // U+FFFE
            {"nonchar \xEF\xB7\x90", NONCHAR, NONCHAR},     // U+FDD0
            {"nonchar \xF4\x8F\xBF\xBF", NONCHAR, NONCHAR}, // U+10FFFF
            {"private \xEE\x80\x80 use", OK, OK},           // U+E000 is allowed
            {"", OK, OK},
        };
        for (const auto& c : cases)
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE("single-line: " + c.text, c.single, verdict(c.text, TextLines::Single));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("multi-line: " + c.text, c.multiple, verdict(c.text, TextLines::Multiple));
        }
    }

    void testInvalidUtf8IsRefused()
    {
        const std::string cases[] = {
            "\xC3\x28",             // a lead byte without its continuation
            "\x80",                 // a stray continuation byte
            "\xC0\xAF",             // overlong '/'
            "\xE0\x80\xAF",         // overlong '/' in three bytes
            "\xF0\x80\x80\xAF",     // overlong '/' in four bytes
            "\xED\xA0\x80",         // the surrogate U+D800
            "\xF4\x90\x80\x80",     // U+110000, beyond Unicode
            "\xF8\x88\x80\x80\x80", // a five-byte form
            "\xFF",                 // never in UTF-8
            "cut \xE2\x82",         // a sequence cut short at the end
        };
        for (const auto& text : cases)
            for (const auto lines : {TextLines::Single, TextLines::Multiple})
                CPPUNIT_ASSERT_EQUAL_MESSAGE(text, UTF8, verdict(text, lines));
    }

    void testMessageNamesTheCharacterAndWhereItIs()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("must not contain bidirectional formatting characters (U+202E at character 4)"),
            *plainTextProblem("\xD0\x9F-1\xE2\x80\xAE", TextLines::Single));
        CPPUNIT_ASSERT_EQUAL(std::string("must not contain control characters (U+0007 at character 2)"),
                             *plainTextProblem("a\x07", TextLines::Multiple));
        CPPUNIT_ASSERT_EQUAL(std::string("must be valid UTF-8 (invalid byte at offset 3)"),
                             *plainTextProblem("abc\xC3", TextLines::Single));
    }

    void testCodesUseTheirAlphabetAndStartWithALetterOrDigit()
    {
        struct Case
        {
            std::string code;
            std::string alphabet;
            const char* problem; ///< nullptr when the code is good
        };
        const std::string AREA = std::string(CODE_CHARACTERS) + "&";
        const Case cases[] = {
            {"SPS-2027-014", CODE_CHARACTERS, nullptr},
            {"AU-SUP", CODE_CHARACTERS, nullptr},
            {"so_1.a", CODE_CHARACTERS, nullptr},
            {"9A", CODE_CHARACTERS, nullptr},
            {"S&T", AREA, nullptr},
            {"S&T", CODE_CHARACTERS, "may only use letters A-Z and a-z, digits and . _ - (not '&' at character 2)"},
            {"P 1", CODE_CHARACTERS, "may only use letters A-Z and a-z, digits and . _ - (not U+0020 at character 2)"},
            {"P/1", CODE_CHARACTERS, "may only use letters A-Z and a-z, digits and . _ - (not '/' at character 2)"},
            {"\xD0\xA0-1", CODE_CHARACTERS, "must start with a letter or digit"}, // Cyrillic Р looks like P
            {"P\xD0\x90", CODE_CHARACTERS,
             "may only use letters A-Z and a-z, digits and . _ - (not U+0410 at "
             "character 2)"},
            {"-P1", CODE_CHARACTERS, "must start with a letter or digit"},
            {".", CODE_CHARACTERS, "must start with a letter or digit"},
            {"=1+1", CODE_CHARACTERS, "must start with a letter or digit"},
            {"", CODE_CHARACTERS, "must not be empty"},
            {"Ab@c", "abcdefghijklmnopqrstuvwxyz0123456789._@-",
             "may only use letters a-z, digits and . _ @ - (not 'A' at character 1)"},
        };
        for (const auto& c : cases)
        {
            const auto problem = codeProblem(c.code, c.alphabet);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.code, std::string(c.problem ? c.problem : "none"), problem.value_or("none"));
        }
    }

    void testDisplayableTextReplacesWhatNoFormatMayCarry()
    {
        const std::string R = "\xEF\xBF\xBD"; // U+FFFD
        const std::pair<std::string, std::string> cases[] = {
            {"plain Польові", "plain Польові"},
            {"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
            {"bell\x07"
             "del\x7F"
             "c1\xC2\x85",
             "bell" + R + "del" + R + "c1" + R},
            {std::string("nul\0!", 5), "nul" + R + "!"},
            {"rlo\xE2\x80\xAE"
             "x",
             "rlo" + R + "x"},
            {"bad\xC3\x28", "bad" + R + "("},
            {"nonchar\xEF\xBF\xBE", "nonchar" + R},
            {"zwsp\xE2\x80\x8Bkept", "zwsp\xE2\x80\x8Bkept"},
        };
        for (const auto& [text, expected] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected, displayableText(text));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextRulesTest);
