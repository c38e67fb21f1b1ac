package dev.stagegate.status;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Verdict;
import java.util.Objects;
import java.util.Optional;

/**
 * The board, or why there is none. Drift is information, not a rejection: a board is exit
 * status 0; without a policy it is 2, an unreadable repository 3.
 *
 * @param board   the board, when one could be drawn
 * @param outcome the exit status, and the problems when there is no board
 */
public record StatusOutcome(Optional<EnvironmentBoard> board, Outcome outcome) {

    public StatusOutcome {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static StatusOutcome of(EnvironmentBoard board) {
        return new StatusOutcome(Optional.of(board), new Outcome(Verdict.accepted(), ExitStatus.ACCEPTED));
    }

    public static StatusOutcome failed(Outcome outcome) {
        return new StatusOutcome(Optional.empty(), outcome);
    }

    public ExitStatus status() {
        return outcome.status();
    }
}
