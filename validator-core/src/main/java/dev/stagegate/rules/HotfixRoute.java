package dev.stagegate.rules;

import dev.stagegate.git.ContentKey;
import dev.stagegate.policy.Environment;
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
 * The way back after a hotfix: what an environment's branch carries that its upstreams lack,
 * and the route that converges. Every rule that rejects an attempt to converge names it
 * ({@code skipped-stage} for a merge or a revert, {@code force-push} for a reset), since a
 * rejection that only says no leaves a team with a hotfix in production and nothing that works.
 * Every walk reads at most searchDepth commits.
 */
final class HotfixRoute {

    private static final int MAX_PATHS_NAMED = 10;
    private static final int MAX_COMMITS_NAMED = 5;

    private HotfixRoute() {
    }

    /**
     * When the target itself carries commits its upstreams lack (a hotfix pushed with the audited
     * bypass and not brought back), no ordinary promotion converges, and the way that does is
     * said instead of "promote through ... first". With fastForwardOnly every such commit blocks
     * fast-forwards, so any commit of the target the upstreams do not have counts; otherwise only
     * content found nowhere upstream does, and the commits named are those that brought the paths
     * where the target differs from its upstreams.
     */
    static Optional<String> describe(UpdateContext update, Environment target,
            List<Environment> upstreams, String upstreamWord) throws IOException {
        RevCommit old = update.oldCommit();
        List<RevCommit> tips = tips(update, upstreams);
        if (old == null || tips.isEmpty()) {
            return Optional.empty(); // a new branch, an entry, or upstreams without a branch: nothing to bring back
        }
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

    static List<RevCommit> tips(UpdateContext update, List<Environment> environments) throws IOException {
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
    static List<RevCommit> commitsNotIn(UpdateContext update, RevCommit start, List<RevCommit> tips,
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
    static String describeCommits(List<RevCommit> commits) {
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

    static String promotionOrder(UpdateContext update, Environment target) {
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
