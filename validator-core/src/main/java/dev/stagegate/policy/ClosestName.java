package dev.stagegate.policy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The "did you mean" of a message: the known name nearest to a misspelt one. */
public final class ClosestName {

    private ClosestName() {
    }

    /** The name in {@code known} fewest single-character edits away, if few enough to be a typo. */
    public static Optional<String> among(String misspelt, Collection<String> known) {
        int allowed = Math.max(2, misspelt.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(misspelt, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The name a user meant when typing {@code typed} on the command line: the nearest one
     * within a typo's distance, else the only one that begins with it (an abbreviation, such
     * as {@code prod} for {@code production}).
     */
    public static Optional<String> meant(String typed, Collection<String> known) {
        Optional<String> nearest = among(typed, known);
        if (nearest.isPresent() || typed.isEmpty()) {
            return nearest;
        }
        List<String> extending = known.stream().filter(name -> name.startsWith(typed)).distinct().toList();
        return extending.size() == 1 ? Optional.of(extending.get(0)) : Optional.empty();
    }

    /** {@code " (did you mean staging?)"}, or nothing. */
    static String hint(String misspelt, Collection<String> known) {
        return among(misspelt, known).map(name -> " (did you mean " + name + "?)").orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
