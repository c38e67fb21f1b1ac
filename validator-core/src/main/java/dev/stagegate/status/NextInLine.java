package dev.stagegate.status;

import dev.stagegate.rules.EvidenceJudgement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content an environment would take next: its upstream's tip, how that content stands
 * against each {@code requiresEvidence} of the environment, and how its approvals stand
 * against {@code requiresApproval}, judged exactly as the {@code missing-evidence} and
 * {@code missing-approval} rules would judge its promotion.
 *
 * @param fromEnvironment the upstream it comes from: the first in {@code promotesFrom} order
 *                        whose tip carries other content than this environment, else the
 *                        first whose branch exists
 * @param commit          that upstream's tip
 * @param alreadyHere     whether this environment already carries that content
 * @param evidence        one judgement per requirement, in policy order
 * @param approvals       the approvals, when the environment requires them
 */
public record NextInLine(String fromEnvironment, CommitSummary commit, boolean alreadyHere,
        List<EvidenceJudgement> evidence, Optional<ApprovalStatus> approvals) {

    public NextInLine {
        Objects.requireNonNull(fromEnvironment, "fromEnvironment");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(approvals, "approvals");
        evidence = List.copyOf(evidence);
    }

    /** Whether every requirement is satisfied: a promotion would pass {@code missing-evidence}. */
    public boolean evidenceSatisfied() {
        return evidence.stream().allMatch(judgement -> judgement.finding().satisfied());
    }

    /** Whether a promotion would pass {@code missing-approval}: true when no approval is required. */
    public boolean approvalsSatisfied() {
        return approvals.map(ApprovalStatus::satisfied).orElse(true);
    }

    /**
     * Whether the promotion is ready as far as the board can tell: its evidence and its
     * approvals would pass (stage order, freezes and the other rules judge the push itself).
     */
    public boolean ready() {
        return evidenceSatisfied() && approvalsSatisfied();
    }
}
