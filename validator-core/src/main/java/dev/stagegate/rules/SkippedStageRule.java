package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.UpstreamMode;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The heart of stagegate: an environment may only receive content its upstream environment
 * already has. Content decides, never branch names or ancestry: a merge of the upstream tip
 * that adds one extra file is rejected, a squash with equal content is accepted.
 */
public final class SkippedStageRule implements Rule {

    private static final int MAX_PATHS_NAMED = 10;
    private static final int MAX_COMMITS_NAMED = 5;

    @Override
    public String id() {
        return RuleIds.SKIPPED_STAGE;
    }

    @Override
    public String summary() {
        return "an environment branch only receives content that its upstream environment already carries";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> target = update.environment();
        if (target.isEmpty() || target.get().promotesFrom().isEmpty() || !update.isPromotion()) {
            return List.of();
        }
        Environment environment = target.get();
        List<Environment> upstreams = update.policy().graph().upstreamsOf(environment.name());
        List<Environment> missingBranch = new ArrayList<>();
        List<Environment> lacking = new ArrayList<>();
        int found = 0;
        for (Environment upstream : upstreams) {
            if (ContentSearch.tipOf(update, upstream).isEmpty()) {
                missingBranch.add(upstream);
            } else if (carries(update, upstream)) {
                found++;
            } else {
                lacking.add(upstream);
            }
        }
        boolean accepted = environment.upstreams() == UpstreamMode.ANY ? found > 0 : found == upstreams.size();
        if (accepted) {
            return List.of();
        }
        if (!missingBranch.isEmpty() && lacking.isEmpty()) {
            return List.of(Violation.error(id(), "branch '" + environment.branch() + "' of environment "
                    + environment.name() + " promotes from " + describe(missingBranch)
                    + ", whose branch does not exist yet; create the branches in promotion order: "
                    + promotionOrder(update, environment)));
        }
        List<Violation> violations = new ArrayList<>();
        for (Environment upstream : lacking) {
            violations.add(Violation.error(id(), explain(update, environment, upstream)));
        }
        for (Environment upstream : missingBranch) {
            violations.add(Violation.error(id(), "upstream environment " + upstream.name() + " (branch '"
                    + upstream.branch() + "') does not exist yet, so it cannot have this content"));
        }
        return violations;
    }

    private static boolean carries(UpdateContext update, Environment upstream) throws IOException {
        if (update.policy().promotion().fastForwardOnly()) {
            return ContentSearch.findExact(update, upstream, update.newCommit()).isPresent();
        }
        return ContentSearch.find(update, upstream, update.newContent()).isPresent();
    }

    private String explain(UpdateContext update, Environment environment, Environment upstream) throws IOException {
        StringBuilder message = new StringBuilder();
        RevCommit upstreamTip = update.repository().commit(ContentSearch.tipOf(update, upstream).orElseThrow());
        if (update.policy().promotion().fastForwardOnly()) {
            message.append("promotion.fastForwardOnly: the new tip of '").append(environment.branch())
                    .append("' must itself be a commit of ").append(upstream.name()).append(" (branch '")
                    .append(upstream.branch()).append("')");
        } else {
            message.append("the content pushed to '").append(environment.branch()).append("' (")
                    .append(environment.name()).append(") is not in ").append(upstream.name())
                    .append(" (branch '").append(upstream.branch()).append("', last ")
                    .append(update.history().searchDepth()).append(" first-parent commits)");
        }
        List<String> skipped = skippedStages(update, environment, upstream);
        if (!skipped.isEmpty()) {
            message.append("; it was found further up the chain, so it is not yet in ")
                    .append(String.join(", ", skipped));
        }
        List<String> paths = update.contentKeys().differences(upstreamTip, update.newCommit(), MAX_PATHS_NAMED + 1);
        if (!paths.isEmpty()) {
            message.append("; differs from ").append(upstream.branch()).append(" in ")
                    .append(String.join(", ", paths.subList(0, Math.min(paths.size(), MAX_PATHS_NAMED))));
            if (paths.size() > MAX_PATHS_NAMED) {
                message.append(", ...");
            }
            List<String> commits = commitsThatBrought(update, upstreamTip, paths);
            if (!commits.isEmpty()) {
                message.append(" (brought by ").append(String.join(", ", commits)).append(")");
            }
        }
        message.append("; promote through ").append(upstream.branch()).append(" first");
        return message.toString();
    }

    /**
     * Where the content is found further up the chain, the stages between there and the
     * target that lack it, upstream-most first ("testing, staging" for develop into main).
     */
    private static List<String> skippedStages(UpdateContext update, Environment target, Environment upstream)
            throws IOException {
        List<Environment> above = update.policy().graph().chainAbove(target.name());
        List<String> lacking = new ArrayList<>();
        for (Environment candidate : above) {
            if (ContentSearch.tipOf(update, candidate).isPresent()
                    && ContentSearch.find(update, candidate, update.newContent()).isPresent()) {
                List<String> reversed = new ArrayList<>(lacking);
                java.util.Collections.reverse(reversed);
                return reversed;
            }
            lacking.add(candidate.name());
        }
        return List.of();
    }

    /**
     * The commits between the upstream tip and the new tip that touched the differing paths,
     * found among the first searchDepth commits the walk reads. Where the upstream is the side
     * that moved on there are none, and an unbounded walk would read the target's whole history
     * to learn it.
     */
    private static List<String> commitsThatBrought(UpdateContext update, RevCommit upstreamTip, List<String> paths)
            throws IOException {
        List<String> commits = new ArrayList<>();
        int searchDepth = update.history().searchDepth();
        try (RevWalk walk = new RevWalk(new CommitsRead(update.repository().reader(), searchDepth))) {
            walk.markStart(walk.parseCommit(update.newCommit()));
            walk.markUninteresting(walk.parseCommit(upstreamTip));
            // No NO_MERGES filter: a merge that differs from every parent on these paths (an
            // "evil" merge adding a file) brought them itself; other merges are simplified away.
            walk.setTreeFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(paths), TreeFilter.ANY_DIFF));
            for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
                commits.add(commit.abbreviate(12).name() + " \"" + firstLine(commit.getShortMessage()) + "\"");
                if (commits.size() >= MAX_COMMITS_NAMED) {
                    break;
                }
            }
        } catch (SearchDepthReached e) {
            // what was found by then is the answer
        }
        return commits;
    }

    /**
     * A reader that ends a walk once it has read {@code limit} commits. The tree filter decides
     * inside the walk which commits it passes over, so counting the commits it hands out would
     * not bound what it reads.
     */
    private static final class CommitsRead extends ObjectReader.Filter {

        private final ObjectReader delegate;
        private final int limit;
        private int read;

        CommitsRead(ObjectReader delegate, int limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        protected ObjectReader delegate() {
            return delegate;
        }

        @Override
        public ObjectLoader open(AnyObjectId objectId) throws IOException {
            return open(objectId, OBJ_ANY);
        }

        @Override
        public ObjectLoader open(AnyObjectId objectId, int typeHint) throws IOException {
            ObjectLoader loader = delegate.open(objectId, typeHint);
            if (loader.getType() == Constants.OBJ_COMMIT && ++read > limit) {
                throw new SearchDepthReached();
            }
            return loader;
        }
    }

    private static final class SearchDepthReached extends IOException {

        private static final long serialVersionUID = 1L;

        SearchDepthReached() {
            super("searchDepth commits read");
        }
    }

    private static String firstLine(String message) {
        String line = message.strip();
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    private static String describe(List<Environment> environments) {
        return environments.stream().map(e -> e.name() + " (branch '" + e.branch() + "')")
                .collect(Collectors.joining(", "));
    }

    private static String promotionOrder(UpdateContext update, Environment target) {
        Set<String> order = new LinkedHashSet<>();
        List<Environment> above = new ArrayList<>(update.policy().graph().chainAbove(target.name()));
        java.util.Collections.reverse(above);
        for (Environment environment : above) {
            order.add(environment.branch());
        }
        order.add(target.branch());
        return String.join(" -> ", order);
    }
}
