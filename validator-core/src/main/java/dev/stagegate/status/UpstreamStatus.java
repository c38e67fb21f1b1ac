package dev.stagegate.status;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment against one environment it promotes from. Every search stays inside the
 * environments (a branch's tip and its first {@code searchDepth} first-parent ancestors,
 * policy-v1.md), and content is compared as policy-v1.md defines it, environment-specific
 * paths excluded.
 *
 * <p>The <em>base</em> is where this environment and the upstream last agreed: the upstream
 * commit whose content this tip carries; otherwise the newest commit of its own history whose
 * content some upstream commit carries, paired with the newest such upstream commit; failing
 * that, the merge base of the two tips.
 *
 * @param environment    the upstream environment's name
 * @param branch         its branch
 * @param state          where this environment stands against it
 * @param tip            the upstream's tip; empty when its branch does not exist
 * @param carries        the newest upstream commit that carries this tip's content; empty
 *                       unless {@link UpstreamState#IN_SYNC in sync} or
 *                       {@link UpstreamState#BEHIND behind}
 * @param foundIn        for {@link UpstreamState#SKIPPED_STAGE}: the environment further up
 *                       the chain (or another upstream) whose history carries this content,
 *                       and its newest commit that does
 * @param skipped        for {@link UpstreamState#SKIPPED_STAGE}: the stages the content
 *                       skipped, this upstream first, then those between it and
 *                       {@code foundIn} that lack the content too
 * @param tipAlreadyPassed whether the upstream's tip is content this environment is already
 *                       past: an older state of its own history, or older than this
 *                       content in the history where it was found. Promoting it would be a
 *                       step backwards, so it is never next in line
 * @param differingPaths paths whose content differs between this tip and the upstream's tip
 * @param waiting        what a promotion of the upstream's tip would bring: the upstream's
 *                       commits since the base, and the differing paths the upstream changed
 *                       since the base; nothing when its tip is already passed
 * @param notBroughtBack for {@link UpstreamState#NOT_BACK_PORTED}: the differing paths this
 *                       environment changed since the base, the hotfix a promotion of the
 *                       upstream's tip would undo. With no base at all every differing path
 *                       counts, since the two share nothing
 */
public record UpstreamStatus(
        String environment,
        String branch,
        UpstreamState state,
        Optional<CommitSummary> tip,
        Optional<CommitSummary> carries,
        Optional<Found> foundIn,
        List<String> skipped,
        boolean tipAlreadyPassed,
        PathList differingPaths,
        Waiting waiting,
        PathList notBroughtBack) {

    /**
     * Where content an upstream lacks was found.
     *
     * @param environment the environment whose history carries it
     * @param commit      its newest commit that carries it
     */
    public record Found(String environment, CommitSummary commit) {

        public Found {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(commit, "commit");
        }
    }

    public UpstreamStatus {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tip, "tip");
        Objects.requireNonNull(carries, "carries");
        Objects.requireNonNull(foundIn, "foundIn");
        skipped = List.copyOf(skipped);
        Objects.requireNonNull(differingPaths, "differingPaths");
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(notBroughtBack, "notBroughtBack");
    }

    static UpstreamStatus missing(String environment, String branch) {
        return new UpstreamStatus(environment, branch, UpstreamState.UPSTREAM_MISSING, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), false, PathList.empty(), Waiting.nothing(),
                PathList.empty());
    }

    /** Whether a promotion of the upstream's tip would move this environment forward. */
    public boolean offersNewContent() {
        return switch (state) {
            case BEHIND -> true;
            case SKIPPED_STAGE, NOT_BACK_PORTED -> !tipAlreadyPassed;
            case IN_SYNC, UPSTREAM_MISSING -> false;
        };
    }
}
