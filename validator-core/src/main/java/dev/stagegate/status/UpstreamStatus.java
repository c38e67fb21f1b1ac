package dev.stagegate.status;

import java.util.Objects;
import java.util.Optional;

/**
 * One environment against one environment it promotes from. Every search stays inside the
 * environments (a branch's tip and its first {@code searchDepth} first-parent ancestors,
 * policy-v1.md), and content is compared as policy-v1.md defines it, environment-specific
 * paths excluded.
 *
 * <p>The <em>base</em> is where this environment and the upstream last agreed: the upstream
 * commit whose content this tip carries; for a drifted environment, the newest commit of its
 * own history whose content some upstream commit carries, paired with the newest such
 * upstream commit; failing that, the merge base of the two tips.
 *
 * @param environment    the upstream environment's name
 * @param branch         its branch
 * @param state          where this environment stands against it
 * @param tip            the upstream's tip; empty when its branch does not exist
 * @param carries        the newest upstream commit that carries this tip's content; empty
 *                       when the environment {@link UpstreamState#DRIFTED drifted}
 * @param differingPaths paths whose content differs between this tip and the upstream's tip
 * @param waiting        what a promotion of the upstream's tip would bring: the upstream's
 *                       commits since the base, and the differing paths the upstream changed
 *                       since the base
 * @param notBroughtBack hotfixes never brought back: the differing paths this environment
 *                       changed since the base. Empty unless drifted: otherwise this
 *                       environment's content is upstream content. With no base at all every
 *                       differing path counts, since the two share nothing
 */
public record UpstreamStatus(
        String environment,
        String branch,
        UpstreamState state,
        Optional<CommitSummary> tip,
        Optional<CommitSummary> carries,
        PathList differingPaths,
        Waiting waiting,
        PathList notBroughtBack) {

    public UpstreamStatus {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tip, "tip");
        Objects.requireNonNull(carries, "carries");
        Objects.requireNonNull(differingPaths, "differingPaths");
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(notBroughtBack, "notBroughtBack");
    }

    static UpstreamStatus missing(String environment, String branch) {
        return new UpstreamStatus(environment, branch, UpstreamState.UPSTREAM_MISSING, Optional.empty(),
                Optional.empty(), PathList.empty(), Waiting.nothing(), PathList.empty());
    }
}
