package dev.stagegate.policy;

import java.util.Locale;

/** {@code evidence.signatures}: whether records must carry an SSH signature that verifies. */
public enum SignatureMode {
    /** The signature member is ignored. */
    OFF,
    /** An unsigned record counts; a signed one counts only if it verifies. */
    OPTIONAL,
    /** Only records whose signature verifies count. */
    REQUIRED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SignatureMode fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
