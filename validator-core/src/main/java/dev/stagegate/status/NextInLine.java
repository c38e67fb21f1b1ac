package dev.stagegate.status;

import dev.stagegate.rules.EvidenceJudgement;
import java.util.List;
import java.util.Objects;

/**
 * The content an environment would take next: its upstream's tip, and how that content
 * stands against each {@code requiresEvidence} of the environment, judged exactly as the
 * {@code missing-evidence} rule would judge its promotion.
 *
 * @param fromEnvironment the upstream it comes from: the first in {@code promotesFrom} order
 *                        whose tip carries other content than this environment, else the
 *                        first whose branch exists
 * @param commit          that upstream's tip
 * @param alreadyHere     whether this environment already carries that content
 * @param evidence        one judgement per requirement, in policy order
 */
public record NextInLine(String fromEnvironment, CommitSummary commit, boolean alreadyHere,
        List<EvidenceJudgement> evidence) {

    public NextInLine {
        Objects.requireNonNull(fromEnvironment, "fromEnvironment");
        Objects.requireNonNull(commit, "commit");
        evidence = List.copyOf(evidence);
    }

    /** Whether every requirement is satisfied: a promotion would pass {@code missing-evidence}. */
    public boolean evidenceSatisfied() {
        return evidence.stream().allMatch(judgement -> judgement.finding().satisfied());
    }
}
