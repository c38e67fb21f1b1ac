package dev.stagegate;

import dev.stagegate.report.Verdict;
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

    /** Exit status 0 or 1 from the verdict alone. */
    public static Outcome of(Verdict verdict) {
        return new Outcome(verdict, verdict.rejected() ? ExitStatus.REJECTED : ExitStatus.ACCEPTED);
    }
}
