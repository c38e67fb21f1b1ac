package dev.stagegate.git;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files of one commit, read straight from the object database; works on bare
 * repositories and inside a pre-receive hook's quarantine. The caller owns the reader.
 *
 * <p>Each directory's tree is read once and kept as a listing, so looking up a changed file
 * costs a step per directory on its path, not a scan of every entry before it (a directory
 * of 600 services, 600 changed files: 600 scans of about 300 entries each, before).
 */
public final class CommitFiles implements RevisionFiles {

    private final ObjectReader reader;
    private final ObjectId commitId;
    private final RevTree tree;
    private final Map<String, Map<String, Entry>> listings = new HashMap<>();

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
        return file(path).map(entry -> FileKind.of(entry.mode()));
    }

    @Override
    public long size(String path) throws IOException {
        return reader.getObjectSize(blobId(path), ObjectReader.OBJ_ANY);
    }

    @Override
    public byte[] read(String path, long maxBytes) throws IOException {
        return readBlob(blobId(path), path, maxBytes);
    }

    /**
     * The content of {@code blob}, which a diff of this commit found at {@code path}: read without
     * looking the path up, which costs a tree read per directory in a fresh process.
     */
    public byte[] readBlob(ObjectId blob, String path, long maxBytes) throws IOException {
        ObjectLoader loader = reader.open(blob);
        if (loader.getSize() > maxBytes) {
            throw new FileTooLargeException(path, loader.getSize(), maxBytes);
        }
        return loader.getCachedBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes));
    }

    @Override
    public Optional<String> contentId(String path) throws IOException {
        return file(path).filter(entry -> FileKind.of(entry.mode()).isFile()).map(entry -> entry.id().name());
    }

    private ObjectId blobId(String path) throws IOException {
        return file(path).orElseThrow(() -> new NoSuchFileException(path, null, "not in " + describe())).id();
    }

    /** The entry at {@code path} unless it is a directory, as {@link TreeWalk#forPath} finds it. */
    private Optional<Entry> file(String path) throws IOException {
        if (!isPlain(path)) {
            return walkTo(path);
        }
        int slash = path.lastIndexOf('/');
        Entry entry = listing(slash < 0 ? "" : path.substring(0, slash)).get(path.substring(slash + 1));
        return entry == null || FileMode.TREE.equals(entry.mode()) ? Optional.empty() : Optional.of(entry);
    }

    /** The entries of directory {@code dir} ("" for the root); none when it is not a directory here. */
    private Map<String, Entry> listing(String dir) throws IOException {
        Map<String, Entry> listing = listings.get(dir);
        if (listing != null) {
            return listing;
        }
        ObjectId treeId = tree;
        if (!dir.isEmpty()) {
            int slash = dir.lastIndexOf('/');
            Entry entry = listing(slash < 0 ? "" : dir.substring(0, slash)).get(dir.substring(slash + 1));
            treeId = entry != null && FileMode.TREE.equals(entry.mode()) ? entry.id() : null;
        }
        listing = treeId == null ? Map.of() : read(treeId);
        listings.put(dir, listing);
        return listing;
    }

    private Map<String, Entry> read(ObjectId treeId) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        for (CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, treeId); !parser.eof();
                parser.next()) {
            // the first of two entries with one name, as a tree walk finds it in a malformed tree
            entries.putIfAbsent(parser.getEntryPathString(),
                    new Entry(parser.getEntryFileMode(), parser.getEntryObjectId()));
        }
        return entries;
    }

    /**
     * Paths as tree walks give them: no empty, "." or ".." component. Anything else is looked
     * up the way it always was, so that an odd path means what it meant before.
     */
    private static boolean isPlain(String path) {
        if (path.isEmpty()) {
            return false;
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private Optional<Entry> walkTo(String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            return walk == null || walk.isSubtree() ? Optional.empty()
                    : Optional.of(new Entry(walk.getFileMode(0), walk.getObjectId(0)));
        }
    }

    private record Entry(FileMode mode, ObjectId id) {
    }
}
