package dev.stagegate.ruleeval;

import dev.stagegate.report.SourcePosition;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one custom rule said about one document of the file, or why it did not apply.
 *
 * @param ruleId   the rule's id
 * @param result   holds, fails, error or not applied
 * @param message  for {@code FAILS} the rule's message, for {@code ERROR} why it could not be
 *                 evaluated, for {@code NOT_APPLIED} why it did not apply; empty for {@code HOLDS}
 * @param document the 1-based index of the document in the file; 0 when the result is about the
 *                 whole file (a rule whose environments or files exclude it, a file that cannot be read)
 * @param position where in the file: the rule's {@code fieldPath} or the document's first line;
 *                 empty when the result is about no place in the file
 */
public record RuleEvalResult(String ruleId, Result result, String message, int document,
        Optional<SourcePosition> position) {

    /** The results a rule can have on a file; only {@code FAILS} and {@code ERROR} make the run fail. */
    public enum Result {
        HOLDS,
        FAILS,
        ERROR,
        NOT_APPLIED;

        /** {@code holds}, {@code fails}, {@code error}, {@code not applied}: as text output shows it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** {@code holds}, {@code fails}, {@code error}, {@code not-applied}: as JSON output shows it. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public RuleEvalResult {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
        if (document < 0) {
            throw new IllegalArgumentException("documents are counted from 1, or 0 for the whole file");
        }
    }

    /** Whether this result makes the run fail: the rule fails or errs. */
    public boolean failing() {
        return result == Result.FAILS || result == Result.ERROR;
    }
}
