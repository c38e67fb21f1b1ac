package dev.stagegate.report;

/** How much a violation matters: an error rejects, a warning is only reported. */
public enum Severity {
    ERROR,
    WARNING;

    /** The lower-case name used in every output format. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
