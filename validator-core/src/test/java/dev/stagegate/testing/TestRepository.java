package dev.stagegate.testing;

import dev.stagegate.git.PathGlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A real git repository in a temporary directory, built with JGit through a small fluent
 * API that reads like the scenario:
 *
 * <pre>
 * RevCommit c = repo.commitOn("develop").file("apps/a/values.yaml", "replicas: 2\n").create();
 * repo.setBranch("develop", c);
 * </pre>
 *
 * Commits are created without moving any ref unless asked, which is how a pre-receive hook
 * sees a push: the objects exist, the refs still point at the old tips.
 */
public final class TestRepository implements AutoCloseable {

    private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

    private final Repository repository;
    private long clock;

    private TestRepository(Repository repository) {
        this.repository = repository;
    }

    /** A bare repository whose HEAD points at {@code refs/heads/main}, like a Git server's. */
    public static TestRepository bare(Path directory) {
        try {
            Git git = Git.init().setBare(true).setDirectory(directory.toFile()).setInitialBranch("main").call();
            return new TestRepository(git.getRepository());
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public Repository repository() {
        return repository;
    }

    public Path directory() {
        return repository.getDirectory().toPath();
    }

    /** A new commit whose parent is the tip of {@code branch} (no parent when it does not exist). */
    public CommitSpec commitOn(String branch) {
        ObjectId tip = tipOrNull(branch);
        CommitSpec spec = new CommitSpec();
        if (tip != null) {
            spec.parents(tip).filesOf(tip);
        }
        return spec;
    }

    /** A new commit with no parent and no files. */
    public CommitSpec orphan() {
        return new CommitSpec();
    }

    public RevCommit tip(String branch) {
        ObjectId id = tipOrNull(branch);
        if (id == null) {
            throw new IllegalArgumentException("no branch " + branch);
        }
        return parse(id);
    }

    public ObjectId tipOrNull(String branch) {
        try {
            return repository.resolve(Constants.R_HEADS + branch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points HEAD, and so the default branch, at {@code branch}. */
    public void setDefaultBranch(String branch) {
        try {
            RefUpdate.Result result = repository.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
            if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NEW
                    && result != RefUpdate.Result.NO_CHANGE) {
                throw new IllegalStateException("cannot point HEAD at " + branch + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of any ref by its full name ({@code refs/notes/stagegate}), or null. */
    public ObjectId refOrNull(String ref) {
        return tipOrNullRef(ref);
    }

    public RevCommit parse(ObjectId id) {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void setBranch(String branch, ObjectId commit) {
        setRef(Constants.R_HEADS + branch, commit);
    }

    public void setRef(String ref, ObjectId id) {
        try {
            RefUpdate update = repository.updateRef(ref);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE
                    || result == RefUpdate.Result.REJECTED) {
                throw new IllegalStateException("cannot set " + ref + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a branch, as if it had never been created. */
    public void deleteBranch(String branch) {
        try {
            RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.delete();
            if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
                throw new IllegalStateException("cannot delete " + branch + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob id of {@code path} in {@code commit}. */
    public ObjectId blob(ObjectId commit, String path) {
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(commit).getTree())) {
            if (tree == null) {
                throw new IllegalArgumentException("no " + path + " in " + commit.name());
            }
            return tree.getObjectId(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of a commit, path to content. */
    public Map<String, String> files(ObjectId commit) {
        Map<String, String> files = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                files.put(tree.getPathString(), new String(
                        repository.open(tree.getObjectId(0)).getCachedBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Creates a commit on {@code notesRef} whose note on {@code annotated} gets {@code lines}
     * appended, without moving the ref; returns the new notes commit (a push of the notes).
     */
    public RevCommit notesCommit(String notesRef, ObjectId annotated, String... lines) {
        return notesCommit(notesRef, tipOrNullRef(notesRef), annotated, true, lines);
    }

    /** Like {@link #notesCommit} but moves the ref: evidence that is already there. */
    public RevCommit addNote(String notesRef, ObjectId annotated, String... lines) {
        RevCommit commit = notesCommit(notesRef, annotated, lines);
        setRef(notesRef, commit);
        return commit;
    }

    /** A notes commit on top of {@code parent} whose note on {@code annotated} is replaced by {@code lines}. */
    public RevCommit replaceNote(String notesRef, ObjectId annotated, String... lines) {
        return notesCommit(notesRef, tipOrNullRef(notesRef), annotated, false, lines);
    }

    /**
     * A notes commit with {@code parent} (none when null) as its only parent, whose note on
     * {@code annotated} holds {@code lines}: appended to what {@code parent} has there, or
     * replacing it. Moves no ref; for notes histories that are not a fast-forward.
     */
    public RevCommit notesCommitOnto(ObjectId parent, ObjectId annotated, boolean append, String... lines) {
        return notesCommit(null, parent, annotated, append, lines);
    }

    private ObjectId tipOrNullRef(String ref) {
        try {
            return repository.resolve(ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RevCommit notesCommit(String notesRef, ObjectId parent, ObjectId annotated, boolean append,
            String... lines) {
        try (ObjectInserter inserter = repository.newObjectInserter();
                ObjectReader reader = repository.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            NoteMap notes = parent == null ? NoteMap.newEmptyMap() : NoteMap.read(reader, walk.parseCommit(parent));
            StringBuilder text = new StringBuilder();
            Note existing = notes.getNote(annotated);
            if (append && existing != null) {
                text.append(new String(reader.open(existing.getData()).getCachedBytes(), StandardCharsets.UTF_8));
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
            for (String line : lines) {
                text.append(line).append('\n');
            }
            notes.set(annotated, text.toString(), inserter);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(notes.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent ident = nextIdent();
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("Notes added by test\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return walk.parseCommit(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A blob holding {@code content}, like {@code git hash-object -w}. */
    public ObjectId writeBlob(String content) {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
            inserter.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A tree written entry by entry, like {@code git mktree}, but in the order given and without
     * any check, so that trees no git command writes (duplicates, odd names and modes) can be built.
     */
    public TreeSpec mktree() {
        return new TreeSpec();
    }

    /** A commit of {@code tree} whose only parent is {@code parent}, moving no ref, like {@code git commit-tree}. */
    public RevCommit commitTree(ObjectId tree, ObjectId parent) {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(parent);
            PersonIdent ident = nextIdent();
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("Notes written by hand\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return parse(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PersonIdent nextIdent() {
        return new PersonIdent("Test", "test@example.invalid", EPOCH.plusSeconds(clock++ * 60),
                TimeZone.getTimeZone("UTC").toZoneId());
    }

    @Override
    public void close() {
        repository.close();
    }

    /** A tree being written by {@link #mktree()}. */
    public final class TreeSpec {

        private final TreeFormatter entries = new TreeFormatter();

        /** A regular file holding {@code content}. */
        public TreeSpec file(String name, String content) {
            return entry(name, FileMode.REGULAR_FILE, writeBlob(content));
        }

        public TreeSpec tree(String name, ObjectId tree) {
            return entry(name, FileMode.TREE, tree);
        }

        public TreeSpec entry(String name, FileMode mode, ObjectId id) {
            entries.append(name, mode, id);
            return this;
        }

        public ObjectId create() {
            try (ObjectInserter inserter = repository.newObjectInserter()) {
                ObjectId id = entries.insertTo(inserter);
                inserter.flush();
                return id;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A commit being described; {@link #create()} writes it without moving any ref. */
    public final class CommitSpec {

        private final List<ObjectId> parents = new ArrayList<>();
        private final Map<String, Entry> files = new TreeMap<>();
        private String message = "change";
        private String authorEmail;
        private String committerEmail;
        private Instant when;

        private record Entry(FileMode mode, byte[] content, ObjectId id) {
        }

        public CommitSpec parents(ObjectId... ids) {
            parents.clear();
            parents.addAll(List.of(ids));
            return this;
        }

        /** Starts from every file of {@code commit} (replacing what was there). */
        public CommitSpec filesOf(ObjectId commit) {
            files.clear();
            copyFrom(commit, null);
            return this;
        }

        /** Copies the files of {@code commit} that match {@code glob}, replacing or adding them. */
        public CommitSpec keep(ObjectId commit, String glob) {
            PathGlob compiled = PathGlob.compile(glob);
            files.keySet().removeIf(compiled::matches);
            copyFrom(commit, compiled);
            return this;
        }

        private void copyFrom(ObjectId commit, PathGlob only) {
            try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(walk.parseCommit(commit).getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    if (only == null || only.matches(tree.getPathString())) {
                        files.put(tree.getPathString(), new Entry(tree.getFileMode(0), null, tree.getObjectId(0)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public CommitSpec file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        public CommitSpec file(String path, byte[] content) {
            files.put(path, new Entry(FileMode.REGULAR_FILE, content, null));
            return this;
        }

        public CommitSpec symlink(String path, String target) {
            files.put(path, new Entry(FileMode.SYMLINK, target.getBytes(StandardCharsets.UTF_8), null));
            return this;
        }

        public CommitSpec submodule(String path, ObjectId commit) {
            files.put(path, new Entry(FileMode.GITLINK, null, commit));
            return this;
        }

        public CommitSpec delete(String path) {
            files.remove(path);
            return this;
        }

        public CommitSpec message(String text) {
            message = text;
            return this;
        }

        /** The author's e-mail address; the fixture's own by default. */
        public CommitSpec author(String email) {
            authorEmail = email;
            return this;
        }

        /** The author's and committer's date, such as a backdated one; the fixture's clock by default. */
        public CommitSpec at(Instant instant) {
            when = instant;
            return this;
        }

        /** The committer's e-mail address; the fixture's own by default. */
        public CommitSpec committer(String email) {
            committerEmail = email;
            return this;
        }

        public RevCommit create() {
            try (ObjectInserter inserter = repository.newObjectInserter()) {
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                for (Map.Entry<String, Entry> file : files.entrySet()) {
                    DirCacheEntry entry = new DirCacheEntry(file.getKey());
                    entry.setFileMode(file.getValue().mode());
                    ObjectId id = file.getValue().id() != null ? file.getValue().id()
                            : inserter.insert(Constants.OBJ_BLOB, file.getValue().content());
                    entry.setObjectId(id);
                    builder.add(entry);
                }
                builder.finish();
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(index.writeTree(inserter));
                commit.setParentIds(parents);
                PersonIdent ident = when == null ? nextIdent()
                        : new PersonIdent(nextIdent().getName(), nextIdent().getEmailAddress(), when, ZoneOffset.UTC);
                commit.setAuthor(authorEmail == null ? ident : new PersonIdent(ident.getName(), authorEmail,
                        ident.getWhenAsInstant(), ident.getZoneId()));
                commit.setCommitter(committerEmail == null ? ident : new PersonIdent(ident.getName(), committerEmail,
                        ident.getWhenAsInstant(), ident.getZoneId()));
                commit.setMessage(message + "\n");
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                return parse(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Creates the commit and moves {@code branch} to it. */
        public RevCommit commitTo(String branch) {
            RevCommit commit = create();
            setBranch(branch, commit);
            return commit;
        }
    }
}
