package dev.stagegate.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * A test suite that must have passed, in a given environment, for the content being promoted.
 *
 * @param suite       the suite name, as recorded in the evidence
 * @param environment the environment the suite ran in; the loader resolves an omitted one to
 *                    the single upstream
 * @param maxAge      how old the deciding record may be, or null for no limit
 * @param minAge      soak time: how old the current run of passes must be, or null for none
 */
public record EvidenceRequirement(String suite, String environment, Duration maxAge, Duration minAge) {

    public EvidenceRequirement {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(environment, "environment");
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (minAge != null && minAge.isNegative()) {
            throw new IllegalArgumentException("minAge must not be negative: " + minAge);
        }
    }

    /** A requirement without soak time. */
    public EvidenceRequirement(String suite, String environment, Duration maxAge) {
        this(suite, environment, maxAge, null);
    }

    /**
     * {@code integration from testing}, with {@code (at most 7d old)} when maxAge is set and
     * {@code (soaked 24h)} when minAge is.
     */
    public String describe() {
        String described = suite + " from " + environment;
        if (maxAge != null) {
            described += " (at most " + MaxAge.format(maxAge) + " old)";
        }
        return minAge == null ? described : described + " (soaked " + MaxAge.format(minAge) + ")";
    }
}
