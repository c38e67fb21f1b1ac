package dev.stagegate;

import dev.stagegate.report.Verdict;

/** What a run decided and the exit status that carries the decision. */
public record Outcome(Verdict verdict, ExitStatus status) {

    /** Exit status 0 or 1 from the verdict alone. */
    public static Outcome of(Verdict verdict) {
        return new Outcome(verdict, verdict.rejected() ? ExitStatus.REJECTED : ExitStatus.ACCEPTED);
    }
}
