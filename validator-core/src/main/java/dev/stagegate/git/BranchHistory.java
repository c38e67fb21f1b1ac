package dev.stagegate.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The commits that are "in" an environment (policy-v1.md): its branch tip and the first
 * {@code searchDepth} first-parent ancestors of that tip. Every search is bounded this way,
 * so no check walks unbounded history; the chains are cached per tip.
 */
public final class BranchHistory {

    private final RevWalk walk;
    private final int searchDepth;
    private final Map<ObjectId, List<RevCommit>> chains = new HashMap<>();

    public BranchHistory(RevWalk walk, int searchDepth) {
        this.walk = walk;
        this.searchDepth = searchDepth;
    }

    public int searchDepth() {
        return searchDepth;
    }

    /** The tip, then up to {@code searchDepth} first-parent ancestors, newest first. */
    public List<RevCommit> firstParents(AnyObjectId tip) throws IOException {
        List<RevCommit> cached = chains.get(tip);
        if (cached != null) {
            return cached;
        }
        List<RevCommit> chain = new ArrayList<>(Math.min(searchDepth + 1, 256));
        RevCommit current = walk.parseCommit(tip);
        chain.add(current);
        // A shallow clone's boundary commits read as having no parents (JGit applies .git/shallow),
        // so a missing parent is damage, never the end: a lost commit could hold a newer failed
        // record or the upstream commit a promotion came from.
        while (chain.size() <= searchDepth && current.getParentCount() > 0) {
            try {
                current = walk.parseCommit(current.getParent(0));
            } catch (MissingObjectException e) {
                throw new IOException("commit " + current.getParent(0).name() + " (" + tip.name() + "~"
                        + chain.size() + ") is missing from the repository: a damaged history could hide an"
                        + " environment's commits or evidence, so it cannot be judged", e);
            }
            chain.add(current);
        }
        List<RevCommit> result = List.copyOf(chain);
        chains.put(tip.copy(), result);
        return result;
    }

    /** Whether {@code commit} is in the environment whose branch tip is {@code tip}. */
    public boolean contains(AnyObjectId tip, AnyObjectId commit) throws IOException {
        for (RevCommit candidate : firstParents(tip)) {
            if (candidate.equals(commit)) {
                return true;
            }
        }
        return false;
    }
}
