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
 * reachable from the promoted tip and not from the target's tip before the push, at most
 * {@code searchDepth} of them, as every search is bounded.
 *
 * <p>When there are more, {@link #complete()} is false and {@code notAuthor} cannot be judged:
 * an author could otherwise push their commit below the bound with a few more commits, or with
 * a commit date in the past, and approve their own change. {@link ApprovalJudgement} then lets
 * no approval count, and says so, instead of counting what it could not check.
 *
 * @param commits  the promoted changes read, newest (by commit date) first
 * @param complete whether they are all of them
 */
public record PromotedChanges(List<RevCommit> commits, boolean complete) {

    public PromotedChanges {
        commits = List.copyOf(commits);
    }

    /**
     * @param promoted  the new tip of the target (P)
     * @param targetTip the target's tip before the push; empty when the branch is created
     */
    public static PromotedChanges of(ObjectReader reader, ObjectId promoted, Optional<ObjectId> targetTip,
            int searchDepth) throws IOException {
        List<RevCommit> changes = new ArrayList<>();
        try (RevWalk walk = new RevWalk(reader)) {
            walk.markStart(walk.parseCommit(promoted));
            if (targetTip.isPresent()) {
                walk.markUninteresting(walk.parseCommit(targetTip.get()));
            }
            for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
                if (changes.size() == searchDepth) {
                    return new PromotedChanges(changes, false);
                }
                changes.add(commit);
            }
        }
        return new PromotedChanges(changes, true);
    }
}
