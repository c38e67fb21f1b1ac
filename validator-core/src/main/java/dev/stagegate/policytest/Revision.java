package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;

/**
 * A commit as a case names it: a branch ({@code main}) or full ref ({@code refs/tags/v1}),
 * then {@code ~N} (N first parents back) and {@code ^N} (the N-th parent) hops, as git
 * spells them. Resolved only when the case runs, since it names commits the case builds.
 *
 * @param text     as written, for messages
 * @param refName  the full ref name the hops start from
 * @param hops     the hops, in order
 * @param position where the case names it
 */
public record Revision(String text, String refName, List<Hop> hops, SourcePosition position) {

    private static final Pattern HOP = Pattern.compile("([~^])([0-9]*)");

    public Revision {
        hops = List.copyOf(hops);
    }

    /** One step back: {@code ~N} follows N first parents, {@code ^N} takes parent N ({@code ^0}: the commit itself). */
    public record Hop(boolean firstParents, int count) {
    }

    /** The revision {@code text} names, or empty when it is not of the form above. */
    public static Optional<Revision> parse(String text, SourcePosition position) {
        int start = firstHop(text);
        String name = text.substring(0, start);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        List<Hop> hops = new ArrayList<>();
        Matcher hop = HOP.matcher(text);
        int at = start;
        while (at < text.length()) {
            if (!hop.find(at) || hop.start() != at) {
                return Optional.empty();
            }
            int count = hop.group(2).isEmpty() ? 1 : parseCount(hop.group(2));
            if (count < 0) {
                return Optional.empty();
            }
            hops.add(new Hop(hop.group(1).equals("~"), count));
            at = hop.end();
        }
        String refName = name.startsWith(Constants.R_REFS) ? name : Constants.R_HEADS + name;
        return Optional.of(new Revision(text, refName, hops, position));
    }

    private static int firstHop(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '~' || text.charAt(i) == '^') {
                return i;
            }
        }
        return text.length();
    }

    private static int parseCount(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
