package dev.stagegate.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one run: every violation found, plus informational notes (such as
 * "no policy governs this update") that are not violations, and for {@code validate} how
 * many files each schema mapping matched and what it checked of the Kubernetes manifests.
 * Rejects when any violation is an error.
 *
 * <p>{@code customRules} describes the rules that the policies judged under define themselves
 * (rules-cel.md), so that formats listing their rules (SARIF) list those too, found or not.
 */
public record Verdict(List<Violation> violations, List<String> notes, List<MappedFileCount> mappings,
        Optional<ManifestSummary> manifests, List<RuleDescription> customRules) {

    public Verdict {
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
        mappings = List.copyOf(mappings);
        Objects.requireNonNull(manifests, "manifests");
        customRules = List.copyOf(customRules);
    }

    /** A verdict under policies without custom rules. */
    public Verdict(List<Violation> violations, List<String> notes, List<MappedFileCount> mappings,
            Optional<ManifestSummary> manifests) {
        this(violations, notes, mappings, manifests, List.of());
    }

    /** A verdict that reports no manifest counts. */
    public Verdict(List<Violation> violations, List<String> notes, List<MappedFileCount> mappings) {
        this(violations, notes, mappings, Optional.empty());
    }

    /** A verdict that reports no counts, as every run but {@code validate}'s. */
    public Verdict(List<Violation> violations, List<String> notes) {
        this(violations, notes, List.of());
    }

    public static Verdict of(List<Violation> violations) {
        return new Verdict(violations, List.of());
    }

    public static Verdict accepted() {
        return new Verdict(List.of(), List.of());
    }

    public boolean rejected() {
        return violations.stream().anyMatch(Violation::isError);
    }

    public String decision() {
        return rejected() ? "reject" : "accept";
    }

    public long errorCount() {
        return violations.stream().filter(Violation::isError).count();
    }

    public long warningCount() {
        return violations.size() - errorCount();
    }

    public Verdict plus(Verdict other) {
        List<Violation> all = new ArrayList<>(violations);
        all.addAll(other.violations);
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(other.notes);
        List<MappedFileCount> allMappings = new ArrayList<>(mappings);
        allMappings.addAll(other.mappings);
        return new Verdict(all, allNotes, allMappings, manifests.or(() -> other.manifests),
                mergedRules(customRules, other.customRules));
    }

    public Verdict withNote(String note) {
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add(note);
        return new Verdict(violations, allNotes, mappings, manifests, customRules);
    }

    public Verdict withMappings(List<MappedFileCount> counts) {
        return new Verdict(violations, notes, counts, manifests, customRules);
    }

    public Verdict withManifests(ManifestSummary summary) {
        return new Verdict(violations, notes, mappings, Optional.of(summary), customRules);
    }

    /**
     * This verdict, also describing {@code rules}, the custom rules of a policy it was judged
     * under. A push judges its updates under several policies: an id already described keeps
     * its first description.
     */
    public Verdict withCustomRules(List<RuleDescription> rules) {
        return new Verdict(violations, notes, mappings, manifests, mergedRules(customRules, rules));
    }

    /** The description of the custom rule {@code id}, when a policy judged under defines it. */
    public Optional<RuleDescription> customRule(String id) {
        return customRules.stream().filter(rule -> rule.id().equals(id)).findFirst();
    }

    private static List<RuleDescription> mergedRules(List<RuleDescription> first, List<RuleDescription> second) {
        if (second.isEmpty()) {
            return first;
        }
        Map<String, RuleDescription> byId = new LinkedHashMap<>();
        for (RuleDescription rule : first) {
            byId.putIfAbsent(rule.id(), rule);
        }
        for (RuleDescription rule : second) {
            byId.putIfAbsent(rule.id(), rule);
        }
        return List.copyOf(byId.values());
    }

    /** Violations in a stable order: by file, line, column, then rule; file-less ones first. */
    public List<Violation> sorted() {
        return violations.stream()
                .sorted(Comparator.comparing((Violation v) -> v.ref() == null ? "" : v.ref())
                        .thenComparing(v -> v.file() == null ? "" : v.file())
                        .thenComparingInt(Violation::line)
                        .thenComparingInt(Violation::column)
                        .thenComparing(Violation::rule))
                .toList();
    }
}
