package dev.stagegate.signature;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A comma-separated list of OpenSSH patterns, matched as match_pattern_list (match.c) matches the
 * principals and namespaces of an allowed-signers line: {@code *} is any run of bytes, {@code ?} one byte,
 * a leading {@code !} negates; a negated pattern that matches rejects the subject whatever else matches,
 * otherwise one plain pattern must match. Matching is over UTF-8 bytes, as OpenSSH's is.
 */
final class PatternList {

    /** match_pattern_list copies each pattern into a 1,024-byte buffer and matches nothing past that. */
    static final int MAX_PATTERN_BYTES = 1022;

    private record Pattern(boolean negated, byte[] glob) {
    }

    private final String text;
    private final List<Pattern> patterns;

    private PatternList(String text, List<Pattern> patterns) {
        this.text = text;
        this.patterns = patterns;
    }

    /** @throws IllegalArgumentException when one pattern is longer than OpenSSH would match */
    static PatternList parse(String text) {
        // OpenSSH reads an empty list as no pattern at all, so it matches nothing, not the empty string.
        List<Pattern> patterns = text.isEmpty() ? List.of() : Arrays.stream(text.split(",", -1)).map(PatternList::pattern).toList();
        return new PatternList(text, patterns);
    }

    private static Pattern pattern(String item) {
        boolean negated = item.startsWith("!");
        byte[] glob = (negated ? item.substring(1) : item).getBytes(StandardCharsets.UTF_8);
        if (glob.length > MAX_PATTERN_BYTES) {
            throw new IllegalArgumentException("the pattern '" + item.substring(0, 20) + "...' is longer than OpenSSH's "
                    + MAX_PATTERN_BYTES + " bytes");
        }
        return new Pattern(negated, glob);
    }

    boolean matches(String subject) {
        byte[] bytes = subject.getBytes(StandardCharsets.UTF_8);
        boolean positive = false;
        for (Pattern pattern : patterns) {
            if (globMatches(bytes, pattern.glob())) {
                if (pattern.negated()) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    /** The patterns as a set: order and repetition do not change what a list matches. */
    Set<String> asSet() {
        return new TreeSet<>(Arrays.asList(text.split(",", -1)));
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Glob matching with backtracking to the last star only, which finds a match whenever OpenSSH's
     * recursive match_pattern does, in O(subject x pattern) at worst instead of exponential time.
     */
    private static boolean globMatches(byte[] subject, byte[] glob) {
        int s = 0;
        int g = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (s < subject.length) {
            if (g < glob.length && (glob[g] == '?' || (glob[g] != '*' && glob[g] == subject[s]))) {
                s++;
                g++;
            } else if (g < glob.length && glob[g] == '*') {
                starAt = g++;
                resumeAt = s;
            } else if (starAt >= 0) {
                g = starAt + 1;
                s = ++resumeAt;
            } else {
                return false;
            }
        }
        while (g < glob.length && glob[g] == '*') {
            g++;
        }
        return g == glob.length;
    }
}
