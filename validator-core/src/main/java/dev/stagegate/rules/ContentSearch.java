package dev.stagegate.rules;

import dev.stagegate.git.ContentKey;
import dev.stagegate.policy.Environment;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Finds a commit "in environment E" (its tip or one of the first searchDepth first-parent
 * ancestors) that carries given content. Shared by the promotion and evidence rules.
 */
final class ContentSearch {

    private ContentSearch() {
    }

    /** The environment's pre-push tip, if its branch exists. */
    static Optional<ObjectId> tipOf(UpdateContext update, Environment environment) throws IOException {
        return update.repository().branchTip(environment.branch());
    }

    /** The newest commit in the environment that carries {@code content}. */
    static Optional<RevCommit> find(UpdateContext update, Environment environment, ContentKey content)
            throws IOException {
        Optional<ObjectId> tip = tipOf(update, environment);
        if (tip.isEmpty()) {
            return Optional.empty();
        }
        for (RevCommit candidate : update.history().firstParents(tip.get())) {
            if (update.contentKeys().of(candidate).equals(content)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** With {@code fastForwardOnly}: the new tip itself must be a commit of the environment. */
    static Optional<RevCommit> findExact(UpdateContext update, Environment environment, RevCommit commit)
            throws IOException {
        Optional<ObjectId> tip = tipOf(update, environment);
        if (tip.isPresent() && update.history().contains(tip.get(), commit)) {
            return Optional.of(commit);
        }
        return Optional.empty();
    }
}
