package dev.stagegate.customrules;

import com.google.re2j.Pattern;
import dev.cel.runtime.CelEvaluationException;
import dev.stagegate.memo.BoundedMemo;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Compiles the regular expressions rules use ({@code matches}, {@code regex.*}), after refusing
 * those whose compiled program would not fit in memory. re2j, unlike RE2, expands counted repeats
 * without a bound on how they nest: {@code ((((a{100}){100}){100}){100}){100}} is 31 characters and
 * would compile to ten billion instructions, so a pattern read from the checked document could
 * exhaust the heap (and the resident server exits on that). RE2's own limits are applied before
 * compiling: at most {@value #MAX_LENGTH} characters, and nested counted repeats whose counts
 * multiply to at most {@value #MAX_REPEAT_PRODUCT}.
 */
final class RegexPatterns {

    static final int MAX_LENGTH = 1_000;
    static final long MAX_REPEAT_PRODUCT = 1_000;

    /** Patterns that passed the limits, compiled; a pattern is at most MAX_LENGTH characters. */
    private static final BoundedMemo<String, Pattern> COMPILED = new BoundedMemo<>(1_024);
    /**
     * Patterns that passed the limits, as {@link SmallAsciiRegex} takes them: in a fresh JVM,
     * re2j's first pattern and its matches cost milliseconds that these do not.
     */
    private static final BoundedMemo<String, Optional<SmallAsciiRegex>> SMALL = new BoundedMemo<>(1_024);

    private RegexPatterns() {
    }

    /**
     * The compiled pattern, unless it is over the limits. Rules match the same few patterns on
     * every document, and checking and compiling one costs more than a match: each is compiled
     * once (re2j's patterns are immutable and thread-safe).
     */
    static Pattern compile(String pattern) throws CelEvaluationException {
        Optional<Pattern> known = COMPILED.get(pattern);
        if (known.isPresent()) {
            return known.get();
        }
        check(pattern);
        Pattern compiled = Pattern.compile(pattern);
        COMPILED.put(pattern, compiled);
        return compiled;
    }

    /**
     * The pattern as {@link SmallAsciiRegex} matches it, after the same limits as for re2j; empty
     * when it is outside that subset. Kept per pattern, as compiled ones are.
     */
    private static Optional<SmallAsciiRegex> small(String pattern) throws CelEvaluationException {
        Optional<Optional<SmallAsciiRegex>> known = SMALL.get(pattern);
        if (known.isPresent()) {
            return known.get();
        }
        check(pattern);
        Optional<SmallAsciiRegex> parsed = SmallAsciiRegex.parse(pattern);
        SMALL.put(pattern, parsed);
        return parsed;
    }

    /**
     * CEL's {@code matches} (as cel-java's RuntimeHelpers runs it), with the pattern checked and
     * compiled once: for the function bound into cel-java ({@code BoundedFunctions}) and for the
     * fast path ({@code FastPathProgram}) alike. A pattern and text {@link SmallAsciiRegex} takes
     * are matched there, everything else by re2j.
     *
     * @param partialMatch   as CEL's options: a match anywhere in the text, not the whole text
     * @param maxProgramSize as CEL's options: the largest compiled pattern, or -1 for no bound
     * @throws CelEvaluationException   when the pattern is over the limits ({@link #check})
     * @throws IllegalArgumentException when it does not compile, or compiles over {@code maxProgramSize}
     */
    static boolean matches(String text, String pattern, boolean partialMatch, int maxProgramSize)
            throws CelEvaluationException {
        if (partialMatch && maxProgramSize < 0) {
            Optional<SmallAsciiRegex> small = small(pattern);
            Boolean found = small.isPresent() ? small.get().find(text) : null;
            if (found != null) {
                return found;
            }
        }
        Pattern compiled = compile(pattern);
        if (maxProgramSize >= 0 && compiled.programSize() > maxProgramSize) {
            throw new IllegalArgumentException("Regex pattern exceeds allowed program size. Allowed: "
                    + maxProgramSize + ", Provided: " + compiled.programSize());
        }
        return partialMatch ? compiled.matcher(text).find() : compiled.matcher(text).matches();
    }

    /**
     * Refuses a pattern over the limits. The scan follows re2j's syntax just far enough to see
     * groups and counted repeats: escapes (including {@code \p{..}}, {@code \x{..}} and
     * {@code \Q..\E}) and character classes are skipped, and a brace that does not form a repeat is
     * a literal, as in re2j; anything it misreads re2j itself rejects or compiles small.
     */
    static void check(String pattern) throws CelEvaluationException {
        if (pattern.length() > MAX_LENGTH) {
            throw BoundedFunctions.limitExceeded("regex limit exceeded: the pattern is " + pattern.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        long worst = worstRepeatProduct(pattern);
        if (worst > MAX_REPEAT_PRODUCT) {
            throw BoundedFunctions.limitExceeded("regex limit exceeded: the pattern's nested repeat counts"
                    + " multiply to " + worst + "; at most " + MAX_REPEAT_PRODUCT + " are allowed");
        }
    }

    /** The largest product of the counts of nested counted repeats ({@code x{n}}, {@code x{n,m}}). */
    static long worstRepeatProduct(String pattern) {
        // per open group: the largest product reached inside it so far
        Deque<long[]> groups = new ArrayDeque<>();
        groups.push(new long[] {1});
        long worst = 1;
        long lastAtom = 1; // the product inside the atom just ended, which a repeat multiplies
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i = afterEscape(pattern, i);
                lastAtom = 1;
            } else if (c == '[') {
                i = afterClass(pattern, i);
                lastAtom = 1;
            } else if (c == '(') {
                groups.push(new long[] {1});
                i++;
                lastAtom = 1;
            } else if (c == ')') {
                long inner = groups.size() > 1 ? groups.pop()[0] : 1;
                i++;
                lastAtom = inner;
            } else if (c == '{') {
                int end = pattern.indexOf('}', i);
                long count = end < 0 ? -1 : repeatCount(pattern.substring(i + 1, end));
                if (count < 0) {
                    i++; // a literal brace
                    lastAtom = 1;
                } else {
                    long product = saturatedProduct(lastAtom, Math.max(count, 1));
                    groups.peek()[0] = Math.max(groups.peek()[0], product);
                    worst = Math.max(worst, product);
                    i = end + 1;
                    lastAtom = product;
                }
            } else {
                i++;
                lastAtom = 1;
            }
            if (lastAtom > 1) {
                groups.peek()[0] = Math.max(groups.peek()[0], lastAtom);
            }
        }
        return worst;
    }

    /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 if it is not a repeat. */
    private static long repeatCount(String inside) {
        int comma = inside.indexOf(',');
        String min = comma < 0 ? inside : inside.substring(0, comma);
        String max = comma < 0 ? "" : inside.substring(comma + 1);
        if (!isNumber(min) || !(max.isEmpty() || isNumber(max))) {
            return -1;
        }
        return Math.max(number(min), max.isEmpty() ? 0 : number(max));
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** Digits beyond a long's range saturate: such a count is refused either way. */
    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static long saturatedProduct(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static int afterEscape(String pattern, int backslash) {
        int next = backslash + 1;
        if (next >= pattern.length()) {
            return next;
        }
        char kind = pattern.charAt(next);
        if (kind == 'Q') {
            int end = pattern.indexOf("\\E", next + 1);
            return end < 0 ? pattern.length() : end + 2;
        }
        if ((kind == 'p' || kind == 'P' || kind == 'x') && next + 1 < pattern.length()
                && pattern.charAt(next + 1) == '{') {
            int end = pattern.indexOf('}', next + 1);
            return end < 0 ? pattern.length() : end + 1;
        }
        return next + 1;
    }

    private static int afterClass(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a leading ] is a literal
        }
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i = afterEscape(pattern, i);
            } else if (c == '[' && i + 1 < pattern.length() && pattern.charAt(i + 1) == ':') {
                int end = pattern.indexOf(":]", i + 2);
                i = end < 0 ? i + 1 : end + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }
}
