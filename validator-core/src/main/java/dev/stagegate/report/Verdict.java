package dev.stagegate.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one run: every violation found, plus informational notes (such as
 * "no policy governs this update") that are not violations, and for {@code validate} how
 * many files each schema mapping matched and what it checked of the Kubernetes manifests.
 * Rejects when any violation is an error.
 */
public record Verdict(List<Violation> violations, List<String> notes, List<MappedFileCount> mappings,
        Optional<ManifestSummary> manifests) {

    public Verdict {
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
        mappings = List.copyOf(mappings);
        Objects.requireNonNull(manifests, "manifests");
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
        return new Verdict(all, allNotes, allMappings, manifests.or(() -> other.manifests));
    }

    public Verdict withNote(String note) {
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add(note);
        return new Verdict(violations, allNotes, mappings, manifests);
    }

    public Verdict withMappings(List<MappedFileCount> counts) {
        return new Verdict(violations, notes, counts, manifests);
    }

    public Verdict withManifests(ManifestSummary summary) {
        return new Verdict(violations, notes, mappings, Optional.of(summary));
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
