package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.runtime.CelEvaluationException;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SmallAsciiRegex} must decide as re2j whenever it decides: the fuzzer writes patterns
 * from the characters of RE2's syntax and texts that come close to matching them; whatever the
 * small matcher takes must compile in re2j and match the same texts. The normal suite replays
 * the seeds in {@code SmallAsciiRegexFuzzTestInputs/}; the slow profile fuzzes.
 */
@Timeout(10)
class SmallAsciiRegexFuzzTest {

    private static final String SYNTAX = "ab01.-_ \\^$*+?()[]{}|,:dswDSWntv2";
    private static final String TEXT = "ab01.-_ \n\t$^|\\xyz9";

    @FuzzTest(maxDuration = "30s")
    void decidesAsRe2j(FuzzedDataProvider data) {
        String pattern = from(data, SYNTAX, data.consumeInt(0, 24));
        try {
            // as in RegexPatterns.matches: a pattern over RE2's limits reaches neither matcher
            RegexPatterns.check(pattern);
        } catch (CelEvaluationException overLimits) {
            return;
        }
        Optional<SmallAsciiRegex> small = SmallAsciiRegex.parse(pattern);
        if (small.isEmpty()) {
            return;
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new AssertionError("takes '" + pattern + "', which re2j refuses: " + e.getMessage(), e);
        }
        for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
            String text = from(data, TEXT, data.consumeInt(0, 16));
            boolean found;
            try {
                found = compiled.matcher(text).find();
            } catch (StackOverflowError deep) {
                // re2j's matcher recurses per empty-width step, and a long chain of them (within
                // the limits) can exhaust a thread's stack: cel-java then reports an error, where
                // the small matcher answers as RE2 would; nothing to compare
                continue;
            }
            assertThat(small.get().find(text)).as("'%s' on '%s'", pattern, text).isEqualTo(found);
        }
    }

    private static String from(FuzzedDataProvider data, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length && data.remainingBytes() > 0; i++) {
            out.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
        }
        return out.toString();
    }
}
