package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/** Rewriting an environment's history hides what was deployed; denied by default. */
public final class ForcePushRule implements Rule {

    @Override
    public String id() {
        return RuleIds.FORCE_PUSH;
    }

    @Override
    public String summary() {
        return "the old tip of an environment branch must be an ancestor of the new tip (protections.forcePush)";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty() || update.kind() != UpdateKind.PUSH
                || update.update().isCreation() || update.update().isDeletion()
                || update.policy().protections().forcePushAllowed()) {
            return List.of();
        }
        if (isAncestor(update.repository().walk(), update.oldCommit(), update.newCommit())) {
            return List.of();
        }
        return List.of(Violation.error(id(), "this push rewrites the history of branch '"
                + environment.get().branch() + "' (environment " + environment.get().name()
                + "): the old tip " + update.update().oldId().name().substring(0, 12)
                + " is not an ancestor of the new tip; push a commit on top of the current tip instead"
                + " (git revert to undo a change)"));
    }

    /**
     * Through the merge base, which walks only the commits on either side of it, so a
     * fast-forward costs as much as the commits it adds, not the whole history.
     */
    static boolean isAncestor(RevWalk shared, RevCommit ancestor, RevCommit descendant) throws IOException {
        try (RevWalk walk = new RevWalk(shared.getObjectReader())) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ancestor));
            walk.markStart(walk.parseCommit(descendant));
            RevCommit base = walk.next();
            return base != null && base.equals(ancestor);
        }
    }
}
