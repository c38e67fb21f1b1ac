package dev.stagegate.policytest;

import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The verdict a case expects for its push. Rule ids are compared as sets: how often a rule
 * fires (once per bad file, say) is the rule's business, whether it fires is the policy's.
 *
 * @param decision {@code accept} or {@code reject}
 * @param errors   exactly the rule ids at error severity
 * @param warnings exactly the rule ids at warning severity; empty: not compared
 * @param messages text that some violation line or note must contain
 */
public record Expectation(String decision, Set<String> errors, Optional<Set<String>> warnings, List<String> messages) {

    public Expectation {
        errors = Set.copyOf(errors);
        warnings = warnings.map(Set::copyOf);
        messages = List.copyOf(messages);
    }

    /** How {@code verdict} differs from this expectation, one line per difference; empty when it matches. */
    public List<String> differences(Verdict verdict) {
        List<String> differences = new ArrayList<>();
        if (!decision.equals(verdict.decision())) {
            differences.add("decision: expected " + decision + ", actual " + verdict.decision());
        }
        compare("errors", errors, ruleIds(verdict, true), differences);
        warnings.ifPresent(expected -> compare("warnings", expected, ruleIds(verdict, false), differences));
        List<String> lines = new ArrayList<>();
        for (Violation violation : verdict.violations()) {
            lines.add(TextRenderer.line(violation));
        }
        lines.addAll(verdict.notes());
        for (String message : messages) {
            if (lines.stream().noneMatch(line -> line.contains(message))) {
                differences.add("messages: no violation or note contains \"" + message + "\"");
            }
        }
        return differences;
    }

    /** The rule ids of the verdict at one severity, sorted. */
    public static SortedSet<String> ruleIds(Verdict verdict, boolean errors) {
        SortedSet<String> ids = new TreeSet<>();
        for (Violation violation : verdict.violations()) {
            if (violation.isError() == errors) {
                ids.add(violation.rule());
            }
        }
        return ids;
    }

    private static void compare(String what, Set<String> expected, SortedSet<String> actual, List<String> differences) {
        if (expected.equals(actual)) {
            return;
        }
        SortedSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        SortedSet<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing " + String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected " + String.join(", ", unexpected));
        }
        differences.add(what + ": expected " + new TreeSet<>(expected) + ", actual " + actual
                + " (" + String.join("; ", parts) + ")");
    }
}
