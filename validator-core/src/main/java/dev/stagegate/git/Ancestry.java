package dev.stagegate.git;

import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * Ancestry between two commits, at the cost of the commits between them rather than of the
 * history under them.
 *
 * <p>JGit's own walks do not give that: {@code isMergedInto} and the {@code MERGE_BASE}
 * filter find every merge base before answering, so a merge whose other side meets the old
 * tip's history only far down (develop merged into a branch that squash commits move) reads
 * all of that side's history even though the old tip is one of the merge's parents.
 */
public final class Ancestry {

    /** Newest first; commit times only order the work, they never decide an answer. */
    private static final Comparator<RevCommit> NEWEST_FIRST =
            Comparator.comparingInt(RevCommit::getCommitTime).reversed();

    private Ancestry() {
    }

    /**
     * The merge base of two commits; empty when they share no history. JGit's walk, which
     * reads down to the oldest merge base: for the environment board, not for the hook.
     */
    public static Optional<RevCommit> mergeBase(ObjectReader reader, AnyObjectId a, AnyObjectId b)
            throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(a));
            walk.markStart(walk.parseCommit(b));
            return Optional.ofNullable(walk.next());
        }
    }

    /**
     * Whether {@code ancestor} is {@code descendant} or one of its ancestors: exactly, whatever
     * the commit dates say.
     *
     * <p>Walks down from both commits, newest first. The ancestor is found the moment a commit
     * reached from the descendant names it as a parent, so a fast-forward reads the commits it
     * adds and a merge that has the ancestor as a parent reads one commit. The answer is no once
     * every line down from the descendant has reached a commit under the ancestor (which cannot
     * lead back up to it) or a root: for an amended tip, the commits around where the two part.
     */
    public static boolean isAncestor(ObjectReader reader, AnyObjectId ancestor, AnyObjectId descendant)
            throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            RevCommit target = walk.parseCommit(ancestor);
            RevCommit start = walk.parseCommit(descendant);
            if (start.equals(target)) {
                return true;
            }
            RevFlag fromDescendant = walk.newFlag("fromDescendant");
            RevFlag underAncestor = walk.newFlag("underAncestor");
            PriorityQueue<RevCommit> pending = new PriorityQueue<>(NEWEST_FIRST);
            start.add(fromDescendant);
            pending.add(start);
            target.add(underAncestor);
            pending.add(target);
            while (anyOnlyFromDescendant(pending, fromDescendant, underAncestor)) {
                RevCommit commit = pending.poll();
                // a commit under the ancestor passes on only that: nothing below it leads back up
                RevFlag mark = commit.has(underAncestor) ? underAncestor : fromDescendant;
                for (RevCommit parent : commit.getParents()) {
                    if (mark == fromDescendant && parent.equals(target)) {
                        return true;
                    }
                    if (!parent.has(mark)) {
                        walk.parseHeaders(parent);
                        parent.add(mark);
                        // again when it was queued before with the other mark: it passes on the new one
                        pending.add(parent);
                    }
                }
            }
            return false;
        }
    }

    /** Whether some queued commit is reached from the descendant and not known to be under the ancestor. */
    private static boolean anyOnlyFromDescendant(PriorityQueue<RevCommit> pending, RevFlag fromDescendant,
            RevFlag underAncestor) {
        for (RevCommit commit : pending) {
            if (commit.has(fromDescendant) && !commit.has(underAncestor)) {
                return true;
            }
        }
        return false;
    }
}
