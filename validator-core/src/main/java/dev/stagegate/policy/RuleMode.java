package dev.stagegate.policy;

import java.util.Locale;

/** How a rule's violations count: errors that reject, warnings, or not checked at all. */
public enum RuleMode {
    ENFORCE,
    WARN,
    OFF;

    /** The spelling used in the policy file: {@code enforce}, {@code warn}, {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
