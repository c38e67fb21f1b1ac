package dev.stagegate.git;

import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * Ancestry through the merge base, which walks only the commits on either side of it: a
 * fast-forward costs as much as the commits it adds, not the whole history (JGit's
 * {@code isMergedInto} walks until it finds the ancestor, all of history when it is none).
 */
public final class Ancestry {

    private Ancestry() {
    }

    /** The merge base of two commits; empty when they share no history. */
    public static Optional<RevCommit> mergeBase(ObjectReader reader, AnyObjectId a, AnyObjectId b)
            throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(a));
            walk.markStart(walk.parseCommit(b));
            return Optional.ofNullable(walk.next());
        }
    }

    /** Whether {@code ancestor} is {@code descendant} or one of its ancestors. */
    public static boolean isAncestor(ObjectReader reader, AnyObjectId ancestor, AnyObjectId descendant)
            throws IOException {
        return mergeBase(reader, ancestor, descendant).filter(base -> base.equals(ancestor)).isPresent();
    }
}
