package dev.stagegate.rules;

import dev.stagegate.git.ContentKey;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.UpstreamMode;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
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
        // One finding per update, however many upstreams lack the content: each named once.
        return List.of(Violation.error(id(), upstreams.size() == 1
                ? explainOne(update, environment, lacking.get(0))
                : explainSeveral(update, environment, lacking, missingBranch)));
    }

    private static boolean carries(UpdateContext update, Environment upstream) throws IOException {
        if (update.policy().promotion().fastForwardOnly()) {
            return ContentSearch.findExact(update, upstream, update.newCommit()).isPresent();
        }
        return ContentSearch.find(update, upstream, update.newContent()).isPresent();
    }

    private String explainOne(UpdateContext update, Environment environment, Environment upstream)
            throws IOException {
        StringBuilder message = new StringBuilder();
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
        List<Environment> skipped = skippedStages(update, environment);
        if (!skipped.isEmpty()) {
            message.append("; it was found further up the chain, so it is not yet in ").append(names(skipped));
        }
        appendDifferences(update, List.of(upstream), "differs from " + upstream.branch() + " in ", message);
        Optional<String> hotfix = hotfixRoute(update, environment, List.of(upstream), upstream.name());
        message.append(hotfix.orElse("; promote through " + upstream.branch() + " first"));
        return message.toString();
    }

    /**
     * The fan-in wording: one finding that names each upstream that lacks the content once, in
     * {@code promotesFrom} order, and says the paths and commits once for all of them.
     */
    private String explainSeveral(UpdateContext update, Environment environment, List<Environment> lacking,
            List<Environment> missingBranch) throws IOException {
        boolean any = environment.upstreams() == UpstreamMode.ANY;
        StringBuilder message = new StringBuilder();
        if (update.policy().promotion().fastForwardOnly()) {
            message.append("promotion.fastForwardOnly: the new tip of '").append(environment.branch())
                    .append("' must itself be a commit of ").append(any ? "one of " : "each of ")
                    .append(labels(lacking));
        } else {
            message.append("the content pushed to '").append(environment.branch()).append("' (")
                    .append(environment.name()).append(") is not in ").append(labels(lacking))
                    .append(" (last ").append(update.history().searchDepth())
                    .append(" first-parent commits of each; upstreams: ").append(any ? "any, one" : "all, each")
                    .append(" must carry it)");
        }
        if (!missingBranch.isEmpty()) {
            message.append("; ").append(labels(missingBranch))
                    .append(missingBranch.size() == 1 ? " has" : " have").append(" no branch yet");
        }
        List<Environment> skipped = new ArrayList<>(skippedStages(update, environment));
        if (!skipped.isEmpty()) {
            skipped.removeAll(update.policy().graph().upstreamsOf(environment.name()));
            message.append("; it was found further up the chain");
            if (!skipped.isEmpty()) {
                message.append(", so it is not yet in ").append(names(skipped));
            }
        }
        String them = lacking.size() == 1 ? "it" : "them";
        appendDifferences(update, lacking, "differs from " + them + " in ", message);
        Optional<String> hotfix = hotfixRoute(update, environment, lacking, lacking.size() == 1 ? "that upstream"
                : "those upstreams");
        message.append(hotfix.orElse("; promote through " + (any && lacking.size() > 1 ? "one of them" : them)
                + " first"));
        return message.toString();
    }

    /**
     * The paths where the new tip differs from the tips of {@code upstreams} (each path once)
     * and the commits that brought them, which none of those tips has.
     */
    private static void appendDifferences(UpdateContext update, List<Environment> upstreams, String lead,
            StringBuilder message) throws IOException {
        List<RevCommit> tips = tips(update, upstreams);
        Set<String> differing = new LinkedHashSet<>();
        for (RevCommit tip : tips) {
            differing.addAll(update.contentKeys().differences(tip, update.newCommit(), MAX_PATHS_NAMED + 1));
        }
        if (differing.isEmpty()) {
            return;
        }
        List<String> paths = new ArrayList<>(differing);
        message.append("; ").append(lead)
                .append(String.join(", ", paths.subList(0, Math.min(paths.size(), MAX_PATHS_NAMED))));
        if (paths.size() > MAX_PATHS_NAMED) {
            message.append(", ...");
        }
        List<RevCommit> commits = commitsNotIn(update, update.newCommit(), tips, Optional.of(paths));
        if (!commits.isEmpty()) {
            message.append(" (brought by ").append(describeCommits(commits)).append(")");
        }
    }

    /**
     * When the target itself carries commits its upstreams lack (a hotfix pushed with the audited
     * bypass and not brought back), no ordinary promotion converges, and the way that does is
     * said instead of "promote through ... first". With fastForwardOnly every such commit blocks
     * fast-forwards, so any commit of the target the upstreams do not have counts; otherwise only
     * content found nowhere upstream does, and the commits named are those that brought the paths
     * where the target differs from its upstreams.
     */
    private static Optional<String> hotfixRoute(UpdateContext update, Environment target,
            List<Environment> upstreams, String upstreamWord) throws IOException {
        RevCommit old = update.oldCommit();
        if (old == null) {
            return Optional.empty();
        }
        List<RevCommit> tips = tips(update, upstreams);
        boolean fastForwardOnly = update.policy().promotion().fastForwardOnly();
        List<RevCommit> commits;
        if (fastForwardOnly) {
            commits = commitsNotIn(update, old, tips, Optional.empty());
        } else {
            if (foundUpstream(update, target, update.oldContent())) {
                return Optional.empty();
            }
            Set<String> paths = new LinkedHashSet<>();
            for (RevCommit tip : tips) {
                paths.addAll(update.contentKeys().differences(tip, old, MAX_PATHS_NAMED));
            }
            commits = paths.isEmpty() ? List.of() : commitsNotIn(update, old, tips, Optional.of(List.copyOf(paths)));
        }
        if (commits.isEmpty()) {
            return Optional.empty();
        }
        String entry = update.policy().graph().chainAbove(target.name()).stream()
                .filter(Environment::isEntry).map(Environment::branch).collect(Collectors.joining(" or "));
        String order = promotionOrder(update, target);
        String it = commits.size() == 1 ? "it" : "them";
        StringBuilder route = new StringBuilder("; '").append(target.branch()).append("' carries ");
        if (fastForwardOnly) {
            route.append(commits.size() == 1 ? "a commit that " : commits.size() + " commits that ")
                    .append(upstreamWord).append(commits.size() == 1 ? " lacks" : " lack")
                    .append(" (never brought back upstream): ").append(describeCommits(commits))
                    .append("; no fast-forward reaches '").append(target.branch()).append("' until ")
                    .append(commits.size() == 1 ? "it is" : "they are").append(" upstream: merge ").append(it)
                    .append(" into ").append(entry).append(" (there: git merge ").append(old.abbreviate(12).name())
                    .append(") and promote ").append(order).append(", each step a fast-forward");
        } else {
            route.append(commits.size() == 1 ? "a change" : commits.size() + " changes")
                    .append(" found nowhere upstream (never brought back to ").append(upstreamWord).append("): ")
                    .append(describeCommits(commits)).append("; to keep ").append(it).append(", cherry-pick ")
                    .append(it).append(" onto ").append(entry).append(cherryPick(commits))
                    .append(" and promote ").append(order)
                    .append("; to drop ").append(it).append(", promote with ").append(upstreamWord)
                    .append("'s version of those paths");
        }
        return Optional.of(route.toString());
    }

    /** The command that applies {@code commits} (newest first) oldest first, where they are few enough to list. */
    private static String cherryPick(List<RevCommit> commits) {
        if (commits.size() > MAX_COMMITS_NAMED) {
            return ", oldest first,";
        }
        List<String> oldestFirst = new ArrayList<>();
        for (RevCommit commit : commits) {
            oldestFirst.add(0, commit.abbreviate(12).name());
        }
        return " (git cherry-pick " + String.join(" ", oldestFirst) + ")";
    }

    /** Whether {@code content} is in any environment above {@code target}. */
    private static boolean foundUpstream(UpdateContext update, Environment target, ContentKey content)
            throws IOException {
        for (Environment above : update.policy().graph().chainAbove(target.name())) {
            if (ContentSearch.find(update, above, content).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the new content is found further up the chain, the environments above the target
     * that lack it and lie below one that carries it, upstream-most first ("testing, staging"
     * for develop into main).
     */
    private static List<Environment> skippedStages(UpdateContext update, Environment target) throws IOException {
        List<Environment> above = update.policy().graph().chainAbove(target.name());
        List<Environment> upstreams = update.policy().graph().upstreamsOf(target.name());
        List<Environment> carriers = new ArrayList<>();
        List<Environment> lacking = new ArrayList<>();
        for (Environment candidate : update.policy().graph().topologicalOrder()) {
            if (!above.contains(candidate)) {
                continue;
            }
            if (ContentSearch.find(update, candidate, update.newContent()).isPresent()) {
                // A direct upstream that carries it is no stage skipped: only one that lacks it is.
                if (!upstreams.contains(candidate)) {
                    carriers.add(candidate);
                }
            } else {
                lacking.add(candidate);
            }
        }
        List<Environment> skipped = new ArrayList<>();
        for (Environment candidate : lacking) {
            List<Environment> itsAbove = update.policy().graph().chainAbove(candidate.name());
            if (carriers.stream().anyMatch(itsAbove::contains)) {
                skipped.add(candidate);
            }
        }
        return skipped;
    }

    private static List<RevCommit> tips(UpdateContext update, List<Environment> environments) throws IOException {
        List<RevCommit> tips = new ArrayList<>();
        for (Environment environment : environments) {
            Optional<ObjectId> tip = ContentSearch.tipOf(update, environment);
            if (tip.isPresent()) {
                tips.add(update.repository().commit(tip.get()));
            }
        }
        return tips;
    }

    /**
     * The commits reachable from {@code start} that none of {@code tips} has, newest first; with
     * {@code paths}, only those that touched them. Found
     * among the first searchDepth commits the walk reads: where the tips are the side that moved
     * on there are none, and an unbounded walk would read the whole history to learn it.
     */
    private static List<RevCommit> commitsNotIn(UpdateContext update, RevCommit start, List<RevCommit> tips,
            Optional<List<String>> paths) throws IOException {
        List<RevCommit> commits = new ArrayList<>();
        int searchDepth = update.history().searchDepth();
        try (RevWalk walk = new RevWalk(new CommitsRead(update.repository().reader(), searchDepth))) {
            walk.markStart(walk.parseCommit(start));
            for (RevCommit tip : tips) {
                walk.markUninteresting(walk.parseCommit(tip));
            }
            // No NO_MERGES filter: a merge that differs from every parent on these paths (an
            // "evil" merge adding a file) brought them itself; other merges are simplified away.
            paths.ifPresent(filter -> walk.setTreeFilter(
                    AndTreeFilter.create(PathFilterGroup.createFromStrings(filter), TreeFilter.ANY_DIFF)));
            for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
                commits.add(commit);
            }
        } catch (SearchDepthReached e) {
            // what was found by then is the answer
        }
        commits.removeIf(commit -> commit.has(RevFlag.UNINTERESTING));
        return withoutThoseReached(update, commits, tips);
    }

    /**
     * A walk gives commits newest first by their own clocks; where those disagree, it can give a
     * commit the tips have before it learns that they have it, and stop before it does. So the
     * candidates are looked for once more from the tips, among searchDepth commits.
     */
    private static List<RevCommit> withoutThoseReached(UpdateContext update, List<RevCommit> candidates,
            List<RevCommit> tips) throws IOException {
        if (candidates.isEmpty()) {
            return candidates;
        }
        Set<ObjectId> left = new LinkedHashSet<>(candidates);
        try (RevWalk walk = new RevWalk(new CommitsRead(update.repository().reader(),
                update.history().searchDepth()))) {
            for (RevCommit tip : tips) {
                walk.markStart(walk.parseCommit(tip));
            }
            for (RevCommit commit = walk.next(); commit != null && !left.isEmpty(); commit = walk.next()) {
                left.remove(commit);
            }
        } catch (SearchDepthReached e) {
            // the candidates not met by then are taken as the tips lacking them
        }
        return candidates.stream().filter(left::contains).toList();
    }

    /** The newest {@link #MAX_COMMITS_NAMED} commits by id and subject, "..." for the rest. */
    private static String describeCommits(List<RevCommit> commits) {
        return commits.stream().limit(MAX_COMMITS_NAMED)
                .map(c -> c.abbreviate(12).name() + " \"" + firstLine(c.getShortMessage()) + "\"")
                .collect(Collectors.joining(", ")) + (commits.size() > MAX_COMMITS_NAMED ? ", ..." : "");
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

    /** Environments by name, the branch added only where it is named otherwise. */
    private static String labels(List<Environment> environments) {
        return environments.stream()
                .map(e -> e.branch().equals(e.name()) ? e.name() : e.name() + " (branch '" + e.branch() + "')")
                .collect(Collectors.joining(", "));
    }

    private static String names(List<Environment> environments) {
        return environments.stream().map(Environment::name).collect(Collectors.joining(", "));
    }

    private static String promotionOrder(UpdateContext update, Environment target) {
        Set<String> order = new LinkedHashSet<>();
        List<Environment> above = new ArrayList<>(update.policy().graph().chainAbove(target.name()));
        Collections.reverse(above);
        for (Environment environment : above) {
            order.add(environment.branch());
        }
        order.add(target.branch());
        return String.join(" -> ", order);
    }
}
