package dev.stagegate.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain ASCII, one violation per line with the rule id in square brackets, so that the
 * output reads well as {@code remote:} lines of a push and in CI logs.
 */
public final class TextRenderer implements VerdictRenderer {

    private final boolean perKind;

    /** Prints the Kubernetes manifests' totals and a line per kind. */
    public TextRenderer() {
        this(true);
    }

    /** @param perKind whether a line per Kubernetes kind follows the totals ({@code validate --summary}) */
    public TextRenderer(boolean perKind) {
        this.perKind = perKind;
    }

    @Override
    public String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        for (String line : lines(verdict)) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The lines of {@link #render}, without line terminators (the hook prefixes each one). */
    public List<String> lines(Verdict verdict) {
        List<String> lines = new ArrayList<>();
        for (Violation violation : verdict.violations()) {
            lines.add(line(violation));
        }
        // after the findings, so that thousands of them do not push the counts out of sight
        for (MappedFileCount mapping : verdict.mappings()) {
            lines.add(Ascii.clean(mapping.describe()));
        }
        verdict.manifests().ifPresent(summary -> {
            lines.add(Ascii.clean(summary.describe()));
            for (KindCount kind : perKind ? summary.kinds() : List.<KindCount>of()) {
                lines.add("  " + Ascii.clean(kind.describe()));
            }
        });
        for (String note : verdict.notes()) {
            lines.add("note: " + Ascii.clean(note));
        }
        lines.add(summary(verdict));
        return lines;
    }

    /** {@code text} as plain ASCII, the way every line of text output is printed. */
    public static String ascii(String text) {
        return Ascii.clean(text);
    }

    public static String line(Violation violation) {
        StringBuilder line = new StringBuilder();
        line.append(violation.severity().label()).append(" [").append(violation.rule()).append("] ");
        String where = where(violation);
        if (!where.isEmpty()) {
            line.append(where).append(": ");
        }
        line.append(violation.message());
        return Ascii.clean(line.toString());
    }

    private static String where(Violation violation) {
        String context = context(violation);
        if (violation.fileLocation() == null) {
            return context;
        }
        return context.isEmpty() ? violation.fileLocation() : violation.fileLocation() + " " + context;
    }

    /** {@code ref (environment) commit}, each part only when known; empty when none is. */
    static String context(Violation violation) {
        List<String> parts = new ArrayList<>();
        if (violation.ref() != null) {
            String ref = violation.ref();
            if (violation.environment() != null) {
                ref += " (" + violation.environment() + ")";
            }
            parts.add(ref);
        } else if (violation.environment() != null) {
            parts.add(violation.environment());
        }
        if (violation.commit() != null) {
            parts.add(shortId(violation.commit()));
        }
        return String.join(" ", parts);
    }

    static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** The closing line, such as {@code stagegate: rejected (1 error, 0 warnings)}. */
    public static String summary(Verdict verdict) {
        long errors = verdict.errorCount();
        long warnings = verdict.warningCount();
        String counts = plural(errors, "error") + ", " + plural(warnings, "warning");
        return verdict.rejected()
                ? "stagegate: rejected (" + counts + ")"
                : "stagegate: accepted (" + counts + ")";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
