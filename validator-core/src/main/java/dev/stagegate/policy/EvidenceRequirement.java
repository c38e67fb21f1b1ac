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
 */
public record EvidenceRequirement(String suite, String environment, Duration maxAge) {

    public EvidenceRequirement {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(environment, "environment");
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** {@code integration from testing}, with {@code (at most 7d old)} when maxAge is set. */
    public String describe() {
        String described = suite + " from " + environment;
        return maxAge == null ? described : described + " (at most " + MaxAge.format(maxAge) + " old)";
    }
}
