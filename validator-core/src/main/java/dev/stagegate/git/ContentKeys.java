package dev.stagegate.git;

import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Computes {@link ContentKey}s under one set of environment-specific paths.
 *
 * <p>Only the trees on the way to an environment-specific path are read: a subtree no glob
 * can reach keeps its own id, so the cost follows the depth of those paths, not the size of
 * the repository. Results are memoised per (directory, tree id), and consecutive commits
 * share almost all their trees, so walking an environment's history re-reads little.
 */
public final class ContentKeys {

    /**
     * Filtered tree ids across judgements, in a process that remembers ({@link ProcessMemory}):
     * they depend on nothing but the tree's content and the globs, so they hold for every
     * push and every repository. A null result (nothing left) is stored as the zero id.
     */
    private static final BoundedMemo<SharedKey, ObjectId> SHARED = new BoundedMemo<>(50_000);

    private final ObjectReader reader;
    private final PathSet environmentSpecific;
    private final List<String> globs;
    private final Map<DirectoryTree, ObjectId> filtered = new HashMap<>();
    private final Map<ObjectId, ContentKey> byCommit = new HashMap<>();
    private final ObjectInserter.Formatter hasher = new ObjectInserter.Formatter();

    public ContentKeys(ObjectReader reader, PathSet environmentSpecific) {
        this.reader = reader;
        this.environmentSpecific = environmentSpecific;
        this.globs = environmentSpecific.globs().stream().map(PathGlob::glob).toList();
    }

    public PathSet environmentSpecific() {
        return environmentSpecific;
    }

    public ContentKey of(RevCommit commit) throws IOException {
        ContentKey key = byCommit.get(commit.getId());
        if (key == null) {
            key = ofTree(commit.getTree());
            byCommit.put(commit.getId().copy(), key);
        }
        return key;
    }

    public ContentKey ofTree(ObjectId treeId) throws IOException {
        if (environmentSpecific.isEmpty()) {
            return new ContentKey(treeId.copy());
        }
        ObjectId id = filter(treeId, "");
        return new ContentKey(id == null ? emptyTreeId() : id);
    }

    /**
     * Paths whose content differs between two commits, environment-specific ones excluded, in
     * tree order, at most {@code limit}: identical subtrees are skipped, not read.
     */
    public List<String> differences(RevCommit from, RevCommit to, int limit) throws IOException {
        List<String> paths = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.setRecursive(true);
            walk.addTree(from.getTree());
            walk.addTree(to.getTree());
            walk.setFilter(AndTreeFilter.create(TreeFilter.ANY_DIFF, PathSetTreeFilter.outside(environmentSpecific)));
            while (paths.size() < limit && walk.next()) {
                paths.add(walk.getPathString());
            }
        }
        return paths;
    }

    private ObjectId emptyTreeId() {
        return hasher.idFor(Constants.OBJ_TREE, new byte[0]);
    }

    /** The id of {@code treeId} at {@code dir} without environment-specific paths; null when nothing is left. */
    private ObjectId filter(ObjectId treeId, String dir) throws IOException {
        if (!dir.isEmpty() && !environmentSpecific.couldContainInside(dir)) {
            return treeId;
        }
        DirectoryTree memoKey = new DirectoryTree(dir, treeId.copy());
        if (filtered.containsKey(memoKey)) {
            return filtered.get(memoKey);
        }
        SharedKey sharedKey = ProcessMemory.enabled() ? new SharedKey(globs, dir, memoKey.treeId()) : null;
        if (sharedKey != null) {
            Optional<ObjectId> remembered = SHARED.get(sharedKey);
            if (remembered.isPresent()) {
                ObjectId result = remembered.get().equals(ObjectId.zeroId()) ? null : remembered.get();
                filtered.put(memoKey, result);
                return result;
            }
        }
        TreeFormatter kept = new TreeFormatter();
        boolean changed = false;
        boolean empty = true;
        CanonicalTreeParser entries = new CanonicalTreeParser(null, reader, treeId);
        while (!entries.eof()) {
            String path = dir.isEmpty() ? entries.getEntryPathString() : dir + "/" + entries.getEntryPathString();
            FileMode mode = entries.getEntryFileMode();
            ObjectId entryId = entries.getEntryObjectId();
            ObjectId keptId;
            if (FileMode.TREE.equals(mode)) {
                keptId = environmentSpecific.coversEverythingInside(path) ? null : filter(entryId, path);
            } else {
                keptId = environmentSpecific.contains(path) ? null : entryId;
            }
            if (keptId == null) {
                changed = true;
            } else {
                changed |= !keptId.equals(entryId);
                kept.append(entries.getEntryPathBuffer(), 0, entries.getEntryPathLength(), mode, keptId);
                empty = false;
            }
            entries.next();
        }
        ObjectId result;
        if (empty) {
            result = null;
        } else if (!changed) {
            result = treeId.copy();
        } else {
            result = hasher.idFor(Constants.OBJ_TREE, kept.toByteArray());
        }
        filtered.put(memoKey, result);
        if (sharedKey != null) {
            SHARED.put(sharedKey, result == null ? ObjectId.zeroId() : result);
        }
        return result;
    }

    private record DirectoryTree(String dir, ObjectId treeId) {
    }

    private record SharedKey(List<String> globs, String dir, ObjectId treeId) {
    }
}
