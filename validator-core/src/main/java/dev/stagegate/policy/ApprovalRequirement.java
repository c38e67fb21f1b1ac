package dev.stagegate.policy;

import java.time.Duration;
import java.util.List;

/**
 * Named people who must approve a promotion (approvals-signatures.md, {@code requiresApproval}).
 *
 * @param count     distinct approvers needed, at least 1
 * @param from      group names and identities, in policy order; {@link People#expand} resolves them
 * @param notAuthor whether authors and committers of the promoted changes are left out
 * @param maxAge    how old a deciding approval may be, or null for no limit
 */
public record ApprovalRequirement(int count, List<String> from, boolean notAuthor, Duration maxAge) {

    public ApprovalRequirement {
        from = List.copyOf(from);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        if (from.isEmpty()) {
            throw new IllegalArgumentException("from names no one");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** {@code 2 of release-managers, dana}. */
    public String describe() {
        return count + " of " + String.join(", ", from);
    }
}
