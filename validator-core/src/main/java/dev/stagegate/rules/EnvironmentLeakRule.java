package dev.stagegate.rules;

import dev.stagegate.git.PathSetTreeFilter;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * A plain merge of the upstream branch carries the upstream's own environment-specific
 * settings across (staging's replica count into production, say). Flags an update that
 * changes such a file to exactly the upstream tip's version of it.
 */
public final class EnvironmentLeakRule implements Rule {

    @Override
    public String id() {
        return RuleIds.ENVIRONMENT_LEAK;
    }

    @Override
    public String summary() {
        return "an update must not set an environment-specific file to the upstream environment's version";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> target = update.environment();
        if (target.isEmpty() || target.get().promotesFrom().isEmpty() || update.kind() != UpdateKind.PUSH
                || update.update().isCreation() || update.update().isDeletion()
                || update.policy().environmentSpecific().isEmpty()) {
            return List.of();
        }
        // Only upstreams whose branch exists; the two lists stay index-aligned for the message.
        List<RevCommit> upstreamTips = new ArrayList<>();
        List<Environment> upstreams = new ArrayList<>();
        for (Environment upstream : update.policy().graph().upstreamsOf(target.get().name())) {
            Optional<ObjectId> tip = ContentSearch.tipOf(update, upstream);
            if (tip.isPresent()) {
                upstreamTips.add(update.repository().commit(tip.get()));
                upstreams.add(upstream);
            }
        }
        if (upstreamTips.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(update.repository().reader())) {
            walk.setRecursive(true);
            walk.addTree(update.oldCommit().getTree());
            walk.addTree(update.newCommit().getTree());
            for (RevCommit tip : upstreamTips) {
                walk.addTree(tip.getTree());
            }
            walk.setFilter(AndTreeFilter.create(new ChangedBetweenFirstTwo(),
                    PathSetTreeFilter.within(update.policy().environmentSpecific())));
            while (walk.next()) {
                if (walk.getRawMode(1) == 0) {
                    continue;
                }
                ObjectId after = walk.getObjectId(1);
                for (int i = 0; i < upstreamTips.size(); i++) {
                    if (walk.getRawMode(2 + i) != 0 && walk.getObjectId(2 + i).equals(after)) {
                        violations.add(Violation.error(id(), walk.getPathString() + " is environment-specific, and"
                                + " this update sets it to the version of upstream branch '"
                                + upstreams.get(i).branch() + "' (a merge carried its settings across); keep "
                                + target.get().branch() + "'s own version").at(walk.getPathString(), 0, 0));
                        break;
                    }
                }
            }
        }
        return violations;
    }

    /** Entries that differ between the first two trees (old and new tip). */
    private static final class ChangedBetweenFirstTwo extends TreeFilter {

        @Override
        public boolean include(TreeWalk walker) {
            return walker.getRawMode(0) != walker.getRawMode(1) || !walker.idEqual(0, 1);
        }

        @Override
        public boolean shouldBeRecursive() {
            return false;
        }

        @Override
        public TreeFilter clone() {
            return this;
        }
    }
}
