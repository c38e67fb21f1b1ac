package dev.stagegate.customrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SmallAsciiRegex} decides as re2j does, which is the authority: on the patterns rules are
 * written with, on edge cases of RE2's syntax, and on thousands of patterns and texts generated
 * from the subset's grammar. A pattern it takes must be one re2j compiles, so that an error is
 * never turned into a verdict.
 */
class SmallAsciiRegexTest {

    private static final String[] TEXTS = {"", "a", "b", "ab", "ba", "abc", "aab", "abab", "-", "a-b", "1.2.3",
        "1.2.3-rc.1", "v1.2", "10.20.30", "x_y", "a\nb", "\n", " ", "a b", "\t", "\u000b", "\f", "\r",
        "registry.example.com/team/app", "ghcr.io/x", "latest", "1.2.3-latest", "AbC", "__", "...", "a.b",
        "aaaaaaaaaaaa", "0", "09", "a\u0000", "\u007f", "a0_", "$", "^", "a$", "[a]", "{", "(ab)"};

    @Test
    void decidesThePatternsRulesAreWrittenWith() {
        String[] patterns = {"^[0-9]+\\.[0-9]+\\.[0-9]+$", "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$",
            "^registry\\.example\\.com/", "latest$", "^v?\\d+(\\.\\d+){2}$", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            "^(dev|test|staging|prod)-[a-z]+$", "\\s", "^\\w+$", "(?:rc|beta)\\.\\d+", "^[^:]+:[^:]+$",
            "^.*$", "", "a*?b", "^x{2,3}$", "^(a|)+$"};
        for (String pattern : patterns) {
            assertTrue(SmallAsciiRegex.parse(pattern).isPresent(), pattern);
            for (String text : TEXTS) {
                assertDecidesAsRe2j(pattern, text);
            }
        }
    }

    @Test
    void leavesToRe2jWhatIsOutsideTheSubset() {
        String[] outside = {"(?i)abc", "\\bword\\b", "\\p{L}", "\\x41", "\\Qa.b\\E", "[[:alpha:]]", "[]a]", "a**",
            "a{2}{3}", "*a", "a{1001}", "a{3,2}", "a{,3}", "a{x}", "^a|b", "a|b$", "a^b", "a$b", "(a", "a)", "[a",
            "[^]", "a\\", "\\z", "\\A", "é", "a\u0000", "[a-b-c]", "[\\d-z]", "[z-a]", "(?P<name>a)", "a{1000}{2}",
            "\\1", "x{0,1001}", "}", "]", "a{02}", "a{1,02}", "(|a){002,}"};
        for (String pattern : outside) {
            assertEquals(Optional.empty(), SmallAsciiRegex.parse(pattern), pattern);
        }
    }

    @Test
    void leavesTextsBeyondAsciiToRe2j() {
        SmallAsciiRegex dot = SmallAsciiRegex.parse("^.$").orElseThrow();
        assertNull(dot.find("é"));
        assertNull(dot.find("\uD83D\uDE00"));
        assertTrue(dot.find("e"));
    }

    @Test
    void anchorsAndNewlinesAreRe2js() {
        for (String pattern : new String[] {"^a$", "a$", "^a", ".", "[^a]", "\\D", "\\S", "\\W", "\\s", "a\\$",
            "a\\\\$", "^$", "$", "^", "(a|b)*c", "(a*)*", "(a|b?)+$", "x*", "\\v", "[\\v]", "\\-", "[.-z]",
            "[!--]", "\\_", "\\ ", "[a-]", "[-a]", "[\\]]", "[^\\n]", "a|"}) {
            for (String text : TEXTS) {
                assertDecidesAsRe2j(pattern, text);
            }
        }
    }

    /**
     * Patterns generated from the subset's grammar, over a few characters that make matches and
     * near-misses likely, each on generated texts: every one it takes is decided as re2j does,
     * and it takes most of them (else this would prove little).
     */
    @Test
    void decidesGeneratedPatternsAsRe2j() {
        Random random = new Random(20261207);
        int taken = 0;
        int patterns = 6_000;
        for (int n = 0; n < patterns; n++) {
            String pattern = (random.nextInt(4) == 0 ? "^" : "") + alternation(random, 0)
                    + (random.nextInt(4) == 0 ? "$" : "");
            Optional<SmallAsciiRegex> small = SmallAsciiRegex.parse(pattern);
            if (small.isEmpty()) {
                continue;
            }
            taken++;
            List<String> texts = new ArrayList<>(List.of(TEXTS));
            for (int t = 0; t < 12; t++) {
                texts.add(text(random));
            }
            for (String text : texts) {
                assertDecidesAsRe2j(pattern, text);
            }
        }
        assertTrue(taken > patterns / 2, "only " + taken + " of " + patterns + " generated patterns were taken");
    }

    /** Strings of the syntax's characters, most of them not patterns at all: whatever it takes, re2j compiles. */
    @Test
    void neverTakesWhatRe2jRefuses() {
        Random random = new Random(7);
        String alphabet = "ab.-\\^$*+?()[]{}|,:0123dswDSW";
        int taken = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = random.nextInt(8); i >= 0; i--) {
                pattern.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (SmallAsciiRegex.parse(pattern.toString()).isPresent()) {
                taken++;
                assertDecidesAsRe2j(pattern.toString(), "ab-a.0");
                assertDecidesAsRe2j(pattern.toString(), "");
            }
        }
        assertTrue(taken > 1_000, "only " + taken + " taken");
    }

    @Test
    void costsTimeLinearInTheText() {
        SmallAsciiRegex nested = SmallAsciiRegex.parse("^(a|aa)*(a*)*b$").orElseThrow();
        String text = "a".repeat(1_000_000);
        long start = System.nanoTime();
        assertFalse(nested.find(text));
        // backtracking would not finish; a linear scan of a megabyte takes milliseconds
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    private static void assertDecidesAsRe2j(String pattern, String text) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            if (SmallAsciiRegex.parse(pattern).isPresent()) {
                fail("takes '" + pattern + "', which re2j refuses: " + e.getMessage());
            }
            return;
        }
        Optional<SmallAsciiRegex> small = SmallAsciiRegex.parse(pattern);
        if (small.isEmpty()) {
            return;
        }
        Boolean found = small.get().find(text);
        if (found != null) {
            assertEquals(compiled.matcher(text).find(), found, "'" + pattern + "' on '" + text + "'");
        }
    }

    private static String alternation(Random random, int depth) {
        StringBuilder out = new StringBuilder(sequence(random, depth));
        while (random.nextInt(5) == 0) {
            out.append('|').append(sequence(random, depth));
        }
        return out.toString();
    }

    private static String sequence(Random random, int depth) {
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            out.append(atom(random, depth)).append(repeat(random));
        }
        return out.toString();
    }

    private static String atom(Random random, int depth) {
        String[] simple = {"a", "b", "c", "0", "1", "-", "_", " ", ".", "\\.", "\\-", "\\d", "\\w", "\\s", "\\D",
            "\\S", "\\W", "\\n", "\\t", "\\$", "[ab]", "[^a]", "[a-c]", "[0-9]", "[^0-9a]", "[-a]", "[a-]", "[.]",
            "[\\d_]", "[^\\s]", "[\\n]", "[^\\n]", "\\\\", "\\^", "\\|"};
        int choice = random.nextInt(depth < 3 ? 8 : 6);
        if (choice < 6) {
            return simple[random.nextInt(simple.length)];
        }
        return (choice == 6 ? "(" : "(?:") + alternation(random, depth + 1) + ")";
    }

    private static String repeat(Random random) {
        String[] repeats = {"*", "+", "?", "{2}", "{0,2}", "{1,}", "{0}", "{2,3}", "*?", "+?", "??", "{02}", "{1,03}"};
        return random.nextInt(3) == 0 ? repeats[random.nextInt(repeats.length)] : "";
    }

    private static String text(Random random) {
        String alphabet = "abc01-_ .\n\t$^|\\";
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
