package dev.stagegate.git;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files of one commit, read straight from the object database; works on bare
 * repositories and inside a pre-receive hook's quarantine. The caller owns the reader.
 */
public final class CommitFiles implements RevisionFiles {

    private final ObjectReader reader;
    private final ObjectId commitId;
    private final RevTree tree;
    private String lastPath;
    private Optional<Entry> lastEntry;

    public CommitFiles(ObjectReader reader, RevCommit commit) {
        this.reader = reader;
        this.commitId = commit.getId();
        this.tree = commit.getTree();
    }

    @Override
    public String describe() {
        return "commit " + commitId.name().substring(0, 12);
    }

    @Override
    public List<String> paths() throws IOException {
        return walk(TreeFilter.ALL);
    }

    @Override
    public List<String> paths(PathSet filter) throws IOException {
        return walk(PathSetTreeFilter.within(filter));
    }

    private List<String> walk(TreeFilter filter) throws IOException {
        List<String> paths = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(filter);
            while (walk.next()) {
                paths.add(walk.getPathString());
            }
        }
        return paths;
    }

    @Override
    public Optional<FileKind> kind(String path) throws IOException {
        return entry(path).map(Entry::kind);
    }

    @Override
    public long size(String path) throws IOException {
        return reader.getObjectSize(blobId(path), ObjectReader.OBJ_ANY);
    }

    @Override
    public byte[] read(String path, long maxBytes) throws IOException {
        ObjectLoader loader = reader.open(blobId(path));
        if (loader.getSize() > maxBytes) {
            throw new FileTooLargeException(path, loader.getSize(), maxBytes);
        }
        return loader.getCachedBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes));
    }

    private ObjectId blobId(String path) throws IOException {
        return entry(path).orElseThrow(() -> new NoSuchFileException(path, null, "not in " + describe())).id();
    }

    /**
     * The tree entry at {@code path}. Callers ask for a file's kind and then its content, so the
     * last lookup is kept: one walk down the tree per file instead of two.
     */
    private Optional<Entry> entry(String path) throws IOException {
        if (!path.equals(lastPath)) {
            try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
                lastEntry = walk == null || walk.isSubtree() ? Optional.empty()
                        : Optional.of(new Entry(FileKind.of(walk.getFileMode(0)), walk.getObjectId(0)));
            }
            lastPath = path;
        }
        return lastEntry;
    }

    private record Entry(FileKind kind, ObjectId id) {
    }
}
