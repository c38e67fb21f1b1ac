package dev.stagegate.status;

import dev.stagegate.policy.UpstreamMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment on the board.
 *
 * @param name          the environment's name
 * @param branch        its branch
 * @param promotesFrom  its upstream environments, in policy order; empty for an entry
 * @param upstreamMode  whether its content must be in all upstreams or in one
 * @param tip           its branch tip; empty when the branch does not exist
 * @param contentKey    the content key of the tip (policy-v1.md, "Content")
 * @param upstreams     one status per upstream, in {@code promotesFrom} order; empty for an
 *                      entry or a missing branch
 * @param nextInLine    the content it would take next; empty for an entry, or when no
 *                      upstream branch exists
 */
public record EnvironmentStatus(
        String name,
        String branch,
        List<String> promotesFrom,
        UpstreamMode upstreamMode,
        Optional<CommitSummary> tip,
        Optional<String> contentKey,
        List<UpstreamStatus> upstreams,
        Optional<NextInLine> nextInLine) {

    public EnvironmentStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(upstreamMode, "upstreamMode");
        Objects.requireNonNull(tip, "tip");
        Objects.requireNonNull(contentKey, "contentKey");
        Objects.requireNonNull(nextInLine, "nextInLine");
        promotesFrom = List.copyOf(promotesFrom);
        upstreams = List.copyOf(upstreams);
    }

    public boolean isEntry() {
        return promotesFrom.isEmpty();
    }

    public boolean branchMissing() {
        return tip.isEmpty();
    }

    /**
     * Whether the environment carries a hotfix never back-ported: content found nowhere
     * upstream. With {@code upstreams: all}, against any upstream; with {@code any}, against
     * every upstream that exists.
     */
    public boolean notBackPorted() {
        return counts(UpstreamState.NOT_BACK_PORTED);
    }

    /**
     * Whether the environment skipped a stage the way {@code skipped-stage} counts it: its
     * content is found further up the chain, but with {@code upstreams: all} some upstream
     * lacks it, or with {@code any} no upstream carries it.
     */
    public boolean skippedStage() {
        return !notBackPorted() && (upstreamMode == UpstreamMode.ALL
                ? upstreams.stream().anyMatch(u -> u.state() == UpstreamState.SKIPPED_STAGE)
                : counts(UpstreamState.SKIPPED_STAGE));
    }

    private boolean counts(UpstreamState state) {
        boolean againstSome = upstreams.stream().anyMatch(u -> u.state() == state);
        if (upstreamMode == UpstreamMode.ALL) {
            return againstSome;
        }
        return againstSome && upstreams.stream().noneMatch(
                u -> u.state() == UpstreamState.IN_SYNC || u.state() == UpstreamState.BEHIND);
    }

    /** The stages skipped, from every upstream, each once, nearest first. */
    public List<String> skippedStages() {
        return upstreams.stream().filter(u -> u.state() == UpstreamState.SKIPPED_STAGE)
                .flatMap(u -> u.skipped().stream()).distinct().toList();
    }

    /** Whether some upstream holds content that is not here yet. */
    public boolean hasWaiting() {
        return upstreams.stream().anyMatch(u -> !u.waiting().isEmpty());
    }
}
