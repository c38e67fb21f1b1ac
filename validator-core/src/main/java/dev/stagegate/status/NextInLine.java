package dev.stagegate.status;

import dev.stagegate.rules.EvidenceJudgement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content an environment would take next: an upstream's tip, how that content stands
 * against each {@code requiresEvidence} of the environment, and how its approvals stand
 * against {@code requiresApproval}, judged exactly as the {@code missing-evidence} and
 * {@code missing-approval} rules would judge its promotion. Never a step backwards: an
 * upstream tip the environment is already past is not offered (see
 * {@link UpstreamStatus#tipAlreadyPassed()}).
 *
 * @param fromEnvironment the upstream it comes from: the first in {@code promotesFrom} order
 *                        whose tip is new content for this environment (one that is not
 *                        {@code blocked} first), else the first that is in sync ("already
 *                        here"), or, for a branch that does not exist yet, the first whose
 *                        branch exists
 * @param commit          that upstream's tip
 * @param alreadyHere     whether this environment already carries that content
 * @param blocked         why the promotion must wait whatever the evidence says: it would
 *                        undo a hotfix, or an upstream that {@code upstreams: all} requires
 *                        lacks it
 * @param evidence        one judgement per requirement, in policy order
 * @param approvals       the approvals, when the environment requires them
 * @param customRules     how it stands against the environment's custom rules, when the policy
 *                        has rules for it and the content is not already here
 */
public record NextInLine(String fromEnvironment, CommitSummary commit, boolean alreadyHere,
        Optional<Blocked> blocked, List<EvidenceJudgement> evidence, Optional<ApprovalStatus> approvals,
        Optional<CustomRuleCounts> customRules) {

    public NextInLine {
        Objects.requireNonNull(fromEnvironment, "fromEnvironment");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(blocked, "blocked");
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(customRules, "customRules");
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

    /** Whether a promotion would pass every enforced custom rule: true when none judges the environment. */
    public boolean customRulesSatisfied() {
        return customRules.map(CustomRuleCounts::satisfied).orElse(true);
    }

    /**
     * Whether the promotion is ready as far as the board can tell: nothing blocks it, and its
     * evidence, its approvals and the custom rules would pass (stage order, freezes and the
     * other rules judge the push itself).
     */
    public boolean ready() {
        return blocked.isEmpty() && evidenceSatisfied() && approvalsSatisfied() && customRulesSatisfied();
    }
}
