package dev.stagegate.approval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The changes a promotion brings (approvals-signatures.md, {@code notAuthor}): the commits
 * reachable from the promoted tip and not from the target's tip before the push, newest first,
 * at most {@code searchDepth} of them, as every search is bounded.
 */
public final class PromotedChanges {

    private PromotedChanges() {
    }

    /**
     * @param promoted  the new tip of the target (P)
     * @param targetTip the target's tip before the push; empty when the branch is created
     */
    public static List<RevCommit> of(ObjectReader reader, ObjectId promoted, Optional<ObjectId> targetTip,
            int searchDepth) throws IOException {
        List<RevCommit> changes = new ArrayList<>();
        try (RevWalk walk = new RevWalk(reader)) {
            walk.markStart(walk.parseCommit(promoted));
            if (targetTip.isPresent()) {
                walk.markUninteresting(walk.parseCommit(targetTip.get()));
            }
            for (RevCommit commit = walk.next(); commit != null && changes.size() < searchDepth; commit = walk.next()) {
                changes.add(commit);
            }
        }
        return changes;
    }
}
