package dev.stagegate.evidence;

/** The outcome a test run recorded. */
public enum EvidenceResult {
    PASSED,
    FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static EvidenceResult fromLabel(String label) {
        return switch (label) {
            case "passed" -> PASSED;
            case "failed" -> FAILED;
            default -> throw new IllegalArgumentException("result must be 'passed' or 'failed', not '" + label + "'");
        };
    }
}
