package dev.stagegate;

import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;

/**
 * What a run decided and the exit status that carries the decision.
 *
 * @param cause the internal error behind a fail-closed outcome, for {@code --debug} only
 */
public record Outcome(Verdict verdict, ExitStatus status, Optional<Throwable> cause) {

    public Outcome(Verdict verdict, ExitStatus status) {
        this(verdict, status, Optional.empty());
    }

    /**
     * A mistake in how the command was called that only the engine can see (a target that is
     * no environment, a revision that does not exist): the command line reports it as a usage
     * error, without a rule id, since no rule judged anything.
     */
    public static Outcome usageError(String message) {
        return new Outcome(Verdict.of(List.of(Violation.error(Violation.USAGE_ERROR, message))),
                ExitStatus.USAGE_OR_POLICY);
    }

    /** The message of a {@link #usageError}, else empty. */
    public Optional<String> usageMessage() {
        List<Violation> violations = verdict.violations();
        if (status != ExitStatus.USAGE_OR_POLICY || violations.size() != 1
                || !violations.get(0).rule().equals(Violation.USAGE_ERROR)) {
            return Optional.empty();
        }
        return Optional.of(violations.get(0).message());
    }

    /** Exit status 0 or 1 from the verdict alone. */
    public static Outcome of(Verdict verdict) {
        return new Outcome(verdict, verdict.rejected() ? ExitStatus.REJECTED : ExitStatus.ACCEPTED);
    }
}
