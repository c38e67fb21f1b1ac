package dev.stagegate.customrules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The regular expressions rules mostly hold (a release tag, a registry prefix, a name pattern),
 * matched as RE2 matches them, without re2j. In a fresh JVM, as a cold hook is, re2j spends
 * milliseconds building its tables for the first pattern and tens of microseconds on each match
 * while the JVM still interprets it; the cold hook's whole budget for five rules is twenty.
 *
 * <p>Only a plain subset of RE2's syntax is taken, and only ASCII: literal characters, {@code .},
 * classes of ASCII characters with ranges and negation, {@code \d \w \s} and their negations,
 * escaped punctuation, {@code \t \n \r \f \v}, groups {@code ( )} and {@code (?: )}, alternation,
 * the repeats {@code * + ? {n} {n,} {n,m}} (greedy or lazy: whether a match exists does not
 * depend on it; a count with a leading zero is literal text to RE2, and left to re2j),
 * {@code ^} as a pattern's first character and {@code $} as its last when the pattern has no
 * alternation outside a group. With repeats spelt out, at most
 * {@value #MAX_POSITIONS} characters or classes. {@link #parse} refuses anything else, and a
 * text with a character beyond ASCII is not matched here ({@link #find}): re2j decides those,
 * with its own errors for patterns it refuses.
 *
 * <p>The pattern becomes a Glushkov automaton: one state per character or class of the spelt-out
 * pattern, a set of states a 64-bit word. Matching keeps the set of states reached by some match
 * attempt so far, one step per character of the text, so it costs time linear in the text and
 * never backtracks, as RE2.
 */
final class SmallAsciiRegex {

    static final int MAX_POSITIONS = 64;
    /** RE2's bound on a counted repeat; a larger count is re2j's error to report. */
    private static final int MAX_REPEAT = 1_000;
    /** Occurrences of characters and groups visited while spelling out repeats, past which re2j decides. */
    private static final int MAX_VISITS = 4_096;

    private final boolean anchoredStart;
    private final boolean anchoredEnd;
    private final boolean nullable;
    private final long first;
    private final long last;
    private final long[] follow;
    /** For each ASCII character, the states whose character or class it is. */
    private final long[] statesOf;

    private SmallAsciiRegex(boolean anchoredStart, boolean anchoredEnd, Automaton automaton, Fragment whole) {
        this.anchoredStart = anchoredStart;
        this.anchoredEnd = anchoredEnd;
        this.nullable = whole.nullable;
        this.first = whole.first;
        this.last = whole.last;
        this.follow = automaton.follow.clone();
        this.statesOf = new long[128];
        for (int state = 0; state < automaton.positions; state++) {
            CharSet set = automaton.sets[state];
            for (int c = 0; c < 128; c++) {
                if (set.contains(c)) {
                    statesOf[c] |= 1L << state;
                }
            }
        }
    }

    /** The pattern as an automaton, or empty when it is outside the subset (re2j's to match). */
    static Optional<SmallAsciiRegex> parse(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            }
        }
        try {
            Parser parser = new Parser(pattern);
            boolean anchoredStart = parser.consumeIf('^');
            boolean anchoredEnd = pattern.length() > (anchoredStart ? 1 : 0) && pattern.endsWith("$")
                    && !endsWithEscapedDollar(pattern);
            parser.end = anchoredEnd ? pattern.length() - 1 : pattern.length();
            Node root = parser.alternation();
            if (parser.at != parser.end) {
                return Optional.empty(); // an unmatched ')'
            }
            if ((anchoredStart || anchoredEnd) && root instanceof Alternation) {
                return Optional.empty(); // '^a|b' anchors one branch only
            }
            Automaton automaton = new Automaton();
            Fragment whole = automaton.build(root);
            return Optional.of(new SmallAsciiRegex(anchoredStart, anchoredEnd, automaton, whole));
        } catch (Refused outside) {
            return Optional.empty();
        }
    }

    /** Whether the final '$' is escaped: an odd run of backslashes before it. */
    private static boolean endsWithEscapedDollar(String pattern) {
        int backslashes = 0;
        for (int i = pattern.length() - 2; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /**
     * Whether the pattern matches anywhere in {@code text}, as RE2's partial match (CEL's
     * {@code matches}); null when the text has a character beyond ASCII.
     */
    Boolean find(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 128) {
                return null;
            }
        }
        long states = 0;
        for (int i = 0; ; i++) {
            boolean mayStart = !anchoredStart || i == 0;
            if (((states & last) != 0 || nullable && mayStart) && (!anchoredEnd || i == length)) {
                return true;
            }
            if (i == length) {
                return false;
            }
            long next = mayStart ? first : 0;
            for (long rest = states; rest != 0; rest &= rest - 1) {
                next |= follow[Long.numberOfTrailingZeros(rest)];
            }
            states = next & statesOf[text.charAt(i)];
            if (states == 0 && anchoredStart) {
                return false;
            }
        }
    }

    /** The pattern is outside the subset. */
    private static final class Refused extends Exception {
        Refused() {
            super(null, null, false, false);
        }
    }

    private sealed interface Node permits Symbol, Sequence, Alternation, Repeat {
    }

    /** One character of the text, from a set. */
    private record Symbol(CharSet set) implements Node {
    }

    private record Sequence(List<Node> parts) implements Node {
    }

    private record Alternation(List<Node> branches) implements Node {
    }

    /** {@code min} to {@code max} times ({@code max} -1: no bound). */
    private record Repeat(Node inner, int min, int max) implements Node {
    }

    /** A set of ASCII characters, as two 64-bit words. */
    private static final class CharSet {
        long low;
        long high;

        static CharSet of(int from, int to) {
            CharSet set = new CharSet();
            set.addRange(from, to);
            return set;
        }

        void addRange(int from, int to) {
            for (int c = from; c <= to; c++) {
                if (c < 64) {
                    low |= 1L << c;
                } else {
                    high |= 1L << (c - 64);
                }
            }
        }

        void add(CharSet other) {
            low |= other.low;
            high |= other.high;
        }

        /** The complement within ASCII; RE2 also matches every other character, which {@link #find} never sees. */
        CharSet negated() {
            CharSet set = new CharSet();
            set.low = ~low;
            set.high = ~high;
            return set;
        }

        boolean contains(int c) {
            return c < 64 ? (low & (1L << c)) != 0 : (high & (1L << (c - 64))) != 0;
        }
    }

    private static CharSet digits() {
        return CharSet.of('0', '9');
    }

    private static CharSet wordCharacters() {
        CharSet set = CharSet.of('0', '9');
        set.addRange('A', 'Z');
        set.addRange('a', 'z');
        set.addRange('_', '_');
        return set;
    }

    /** RE2's {@code \s}: tab, newline, form feed, carriage return and space (not the vertical tab). */
    private static CharSet spaces() {
        CharSet set = CharSet.of('\t', '\n');
        set.addRange('\f', '\r');
        set.addRange(' ', ' ');
        return set;
    }

    /** A recursive-descent parser of the subset; throws {@link Refused} at anything else. */
    private static final class Parser {
        private final String pattern;
        int at;
        int end;

        Parser(String pattern) {
            this.pattern = pattern;
        }

        boolean consumeIf(char c) {
            if (at < pattern.length() && pattern.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        Node alternation() throws Refused {
            List<Node> branches = new ArrayList<>();
            branches.add(sequence());
            while (at < end && pattern.charAt(at) == '|') {
                at++;
                branches.add(sequence());
            }
            return branches.size() == 1 ? branches.get(0) : new Alternation(branches);
        }

        private Node sequence() throws Refused {
            List<Node> parts = new ArrayList<>();
            while (at < end && pattern.charAt(at) != '|' && pattern.charAt(at) != ')') {
                parts.add(repeated(atom()));
            }
            return parts.size() == 1 ? parts.get(0) : new Sequence(parts);
        }

        private Node atom() throws Refused {
            char c = pattern.charAt(at++);
            switch (c) {
                case '(' -> {
                    if (at < end && pattern.charAt(at) == '?') {
                        if (at + 1 < end && pattern.charAt(at + 1) == ':') {
                            at += 2;
                        } else {
                            throw new Refused(); // flags, named groups
                        }
                    }
                    Node inner = alternation();
                    if (at >= end || pattern.charAt(at) != ')') {
                        throw new Refused();
                    }
                    at++;
                    return inner;
                }
                case '.' -> {
                    CharSet set = CharSet.of(0, 127);
                    set.low &= ~(1L << '\n');
                    return new Symbol(set);
                }
                case '[' -> {
                    return new Symbol(characterClass());
                }
                case '\\' -> {
                    return new Symbol(escape());
                }
                case '*', '+', '?', '{', '}', ']', '^', '$', ')', '|' -> throw new Refused();
                default -> {
                    return new Symbol(CharSet.of(c, c));
                }
            }
        }

        /** The repeats after an atom: one, with an optional '?' for the lazy form; two is RE2's error. */
        private Node repeated(Node atom) throws Refused {
            if (at >= end) {
                return atom;
            }
            char c = pattern.charAt(at);
            Node repeat;
            switch (c) {
                case '*' -> repeat = new Repeat(atom, 0, -1);
                case '+' -> repeat = new Repeat(atom, 1, -1);
                case '?' -> repeat = new Repeat(atom, 0, 1);
                case '{' -> repeat = counted(atom);
                default -> {
                    return atom;
                }
            }
            if (c != '{') {
                at++;
            }
            if (at < end && pattern.charAt(at) == '?') {
                at++;
            }
            if (at < end && "*+?{".indexOf(pattern.charAt(at)) >= 0) {
                throw new Refused();
            }
            return repeat;
        }

        /** {@code {n}}, {@code {n,}} or {@code {n,m}} within RE2's bound; any other brace is refused. */
        private Node counted(Node atom) throws Refused {
            int close = pattern.indexOf('}', at);
            if (close < 0 || close >= end) {
                throw new Refused();
            }
            String inside = pattern.substring(at + 1, close);
            int comma = inside.indexOf(',');
            int min = count(comma < 0 ? inside : inside.substring(0, comma));
            int max = comma < 0 ? min : inside.substring(comma + 1).isEmpty() ? -1 : count(inside.substring(comma + 1));
            if (max != -1 && max < min) {
                throw new Refused();
            }
            at = close + 1;
            return new Repeat(atom, min, max);
        }

        private static int count(String digits) throws Refused {
            if (digits.isEmpty() || digits.length() > 4 || digits.length() > 1 && digits.charAt(0) == '0') {
                // RE2 takes a count with a leading zero for literal text ('a{02}' is "a{02}"), as re2j does
                throw new Refused();
            }
            int value = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') {
                    throw new Refused();
                }
                value = value * 10 + (c - '0');
            }
            if (value > MAX_REPEAT) {
                throw new Refused();
            }
            return value;
        }

        /** After '[': single characters, escapes and ranges up to ']'; '-' first or last is itself. */
        private CharSet characterClass() throws Refused {
            boolean negated = at < end && pattern.charAt(at) == '^';
            if (negated) {
                at++;
            }
            CharSet set = new CharSet();
            boolean empty = true;
            while (true) {
                if (at >= end) {
                    throw new Refused();
                }
                char c = pattern.charAt(at);
                if (c == ']') {
                    if (empty) {
                        throw new Refused(); // '[]a]': a leading ']' is left to re2j
                    }
                    at++;
                    break;
                }
                if (c == '[') {
                    throw new Refused(); // '[:alpha:]' and the like
                }
                CharSet item;
                int single;
                if (c == '\\') {
                    at++;
                    item = escape();
                    single = singleCharacter(item);
                } else {
                    at++;
                    item = CharSet.of(c, c);
                    single = c;
                }
                if (at + 1 < end && pattern.charAt(at) == '-' && pattern.charAt(at + 1) != ']') {
                    at++;
                    char to = pattern.charAt(at);
                    int upper;
                    if (to == '\\') {
                        at++;
                        upper = singleCharacter(escape());
                    } else if (to == '[') {
                        throw new Refused();
                    } else {
                        at++;
                        upper = to;
                    }
                    if (single < 0 || upper < 0 || upper < single) {
                        throw new Refused(); // '\d-z', 'z-a': re2j's errors
                    }
                    item = CharSet.of(single, upper);
                } else if (c == '-' && !empty && at < end && pattern.charAt(at) != ']') {
                    throw new Refused(); // '-' neither first, last nor a range: left to re2j
                }
                set.add(item);
                empty = false;
            }
            return negated ? set.negated() : set;
        }

        private static int singleCharacter(CharSet set) {
            int found = -1;
            for (int c = 0; c < 128; c++) {
                if (set.contains(c)) {
                    if (found >= 0) {
                        return -1;
                    }
                    found = c;
                }
            }
            return found;
        }

        /** After a backslash. */
        private CharSet escape() throws Refused {
            if (at >= end) {
                throw new Refused(); // a trailing backslash
            }
            char c = pattern.charAt(at++);
            return switch (c) {
                case 'd' -> digits();
                case 'D' -> digits().negated();
                case 'w' -> wordCharacters();
                case 'W' -> wordCharacters().negated();
                case 's' -> spaces();
                case 'S' -> spaces().negated();
                case 't' -> CharSet.of('\t', '\t');
                case 'n' -> CharSet.of('\n', '\n');
                case 'r' -> CharSet.of('\r', '\r');
                case 'f' -> CharSet.of('\f', '\f');
                case 'v' -> CharSet.of(0x0b, 0x0b);
                default -> {
                    if (c > ' ' && c < 0x7f && !Character.isLetterOrDigit(c)) {
                        yield CharSet.of(c, c); // escaped punctuation is itself
                    }
                    throw new Refused(); // \b, \A, \z, \p{..}, \x.., \Q..\E, octal: re2j's
                }
            };
        }
    }

    /** What a part of the pattern contributes: whether it matches the empty text, and its first and last states. */
    private record Fragment(boolean nullable, long first, long last) {
        static final Fragment EMPTY = new Fragment(true, 0, 0);
    }

    /** The Glushkov construction: states numbered as the spelt-out pattern's symbols occur. */
    private static final class Automaton {
        final CharSet[] sets = new CharSet[MAX_POSITIONS];
        final long[] follow = new long[MAX_POSITIONS];
        int positions;
        int visits;

        Fragment build(Node node) throws Refused {
            if (++visits > MAX_VISITS) {
                throw new Refused();
            }
            if (node instanceof Symbol symbol) {
                if (positions == MAX_POSITIONS) {
                    throw new Refused();
                }
                int state = positions++;
                sets[state] = symbol.set();
                return new Fragment(false, 1L << state, 1L << state);
            }
            if (node instanceof Sequence sequence) {
                Fragment result = Fragment.EMPTY;
                for (Node part : sequence.parts()) {
                    result = concatenate(result, build(part));
                }
                return result;
            }
            if (node instanceof Alternation alternation) {
                boolean nullable = false;
                long first = 0;
                long last = 0;
                for (Node branch : alternation.branches()) {
                    Fragment fragment = build(branch);
                    nullable |= fragment.nullable();
                    first |= fragment.first();
                    last |= fragment.last();
                }
                return new Fragment(nullable, first, last);
            }
            Repeat repeat = (Repeat) node;
            Fragment result = Fragment.EMPTY;
            if (repeat.max() < 0) {
                // x{n,} is n-1 copies of x, then x+ (x* for n = 0)
                for (int i = 1; i < repeat.min(); i++) {
                    result = concatenate(result, build(repeat.inner()));
                }
                Fragment inner = build(repeat.inner());
                loop(inner);
                return concatenate(result,
                        new Fragment(repeat.min() == 0 || inner.nullable(), inner.first(), inner.last()));
            }
            // x{n,m} is n copies of x, then m-n optional ones
            for (int i = 0; i < repeat.min(); i++) {
                result = concatenate(result, build(repeat.inner()));
            }
            for (int i = repeat.min(); i < repeat.max(); i++) {
                Fragment inner = build(repeat.inner());
                result = concatenate(result, new Fragment(true, inner.first(), inner.last()));
            }
            return result;
        }

        private void loop(Fragment fragment) {
            for (long rest = fragment.last(); rest != 0; rest &= rest - 1) {
                follow[Long.numberOfTrailingZeros(rest)] |= fragment.first();
            }
        }

        private Fragment concatenate(Fragment before, Fragment after) {
            for (long rest = before.last(); rest != 0; rest &= rest - 1) {
                follow[Long.numberOfTrailingZeros(rest)] |= after.first();
            }
            return new Fragment(before.nullable() && after.nullable(),
                    before.first() | (before.nullable() ? after.first() : 0),
                    after.last() | (after.nullable() ? before.last() : 0));
        }
    }
}
