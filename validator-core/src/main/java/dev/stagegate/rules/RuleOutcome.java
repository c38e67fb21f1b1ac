package dev.stagegate.rules;

import dev.stagegate.report.SourcePosition;
import java.util.Objects;

/**
 * What one custom rule (rules-cel.md) said about one document of one file.
 *
 * @param ruleId   the custom rule's id
 * @param status   whether it holds, fails, could not be evaluated, or cannot run at all
 * @param message  for {@code FAILS} the rule's message, for {@code ERROR} and {@code INVALID}
 *                 why; one line; empty for {@code HOLDS}
 * @param position where in the file: the {@code fieldPath}'s key when present, else the
 *                 document's first line (for a file that cannot be read, where reading stopped)
 * @param document the 0-based index of the document in the file (0 for a file that cannot be read)
 */
public record RuleOutcome(String ruleId, Status status, String message, SourcePosition position, int document) {

    /** The outcomes a rule can have; only {@code HOLDS} is a pass. */
    public enum Status {
        /** The expression gave true. */
        HOLDS,
        /** The expression gave false: a violation with the rule's message. */
        FAILS,
        /**
         * The expression could not be evaluated on this document (a missing key, a type
         * mismatch, a limit or the deadline reached), or the file could not be read: a violation.
         */
        ERROR,
        /**
         * The rule's expression does not compile with this stagegate (a policy accepted by an
         * older one): the policy is invalid ({@code policy-invalid}), never a pass.
         */
        INVALID
    }

    public RuleOutcome {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
    }

    /** Whether this outcome is a pass; every other status is reported. */
    public boolean holds() {
        return status == Status.HOLDS;
    }
}
