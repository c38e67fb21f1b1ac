package dev.stagegate.policytest;

import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceResult;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.policy.Policy;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The throwaway repository one case is built in, held in memory so that a test run never
 * touches the disk. History steps move refs at once; the push makes its commits and answers
 * the updates without moving anything, which is how a pre-receive hook sees a push.
 */
final class CaseRepository implements AutoCloseable {

    private static final String AUTHOR = "stagegate policy test";
    private static final String EMAIL = "policy-test@stagegate.invalid";

    private final InMemoryRepository repository;
    private final Policy policy;
    private final RevisionFiles workingTree;
    private final Instant now;
    private final TestSigningKeys keys;
    /** The refs as the push's earlier steps left them, so that later steps build on them; zero id: deleted. */
    private final Map<String, ObjectId> pushed = new HashMap<>();
    private int commits;

    /**
     * @param policy      the policy under test: its environment-specific paths and notes ref
     * @param workingTree the repository under test, for {@code repositoryFiles}
     * @param now         the time the case is judged at; commits are dated just before it
     * @param keys        the run's keys, for entries with signedBy
     */
    CaseRepository(String name, String defaultBranch, Policy policy, RevisionFiles workingTree, Instant now,
            TestSigningKeys keys) throws IOException {
        this.repository = new InMemoryRepository(new DfsRepositoryDescription(name));
        this.policy = policy;
        this.workingTree = workingTree;
        this.now = now;
        this.keys = keys;
        repository.updateRef(Constants.HEAD).link(Constants.R_HEADS + defaultBranch);
    }

    Repository repository() {
        return repository;
    }

    /** One history step: the ref moves at once. */
    void apply(Step step) throws CaseSetupException, SigningFailedException, IOException {
        if (step instanceof Step.EvidencePush) {
            throw new CaseSetupException("evidence before the push goes in the case's evidence list", step.position());
        }
        String refName = refName(step);
        ObjectId target = newId(step, refName);
        org.eclipse.jgit.lib.RefUpdate update = repository.updateRef(refName);
        update.setForceUpdate(true);
        if (target.equals(ObjectId.zeroId())) {
            checkResult(refName, update.delete());
        } else {
            update.setNewObjectId(target);
            checkResult(refName, update.update());
        }
    }

    /** Evidence already recorded before the push: one notes commit that the notes ref then points at. */
    void record(List<EvidenceEntry> entries) throws CaseSetupException, SigningFailedException, IOException {
        if (!entries.isEmpty()) {
            String notesRef = policy.evidence().notesRef();
            setRef(notesRef, notesCommit(current(notesRef), entries));
        }
    }

    /**
     * The updates of one push, in order. Each step sees the refs as the earlier steps left
     * them; every update's old id is the ref before the push, as the hook is told.
     */
    List<RefUpdate> push(List<Step> steps) throws CaseSetupException, SigningFailedException, IOException {
        List<RefUpdate> updates = new ArrayList<>();
        Set<String> updated = new HashSet<>();
        for (Step step : steps) {
            String refName = refName(step);
            if (!updated.add(refName)) {
                throw new CaseSetupException("the push already updates " + refName
                        + "; a push updates each ref once, so make one step of it", step.position());
            }
            ObjectId oldId = current(refName).orElse(ObjectId.zeroId());
            ObjectId newId = newId(step, refName);
            if (newId.equals(oldId)) {
                throw new CaseSetupException(refName + " already points at " + newId.abbreviate(12).name()
                        + "; git pushes no update for a ref that does not move", step.position());
            }
            pushed.put(refName, newId);
            updates.add(new RefUpdate(oldId, newId, refName));
        }
        return updates;
    }

    private String refName(Step step) {
        if (step instanceof Step.Commit commit) {
            return commit.refName();
        }
        if (step instanceof Step.Point point) {
            return point.refName();
        }
        if (step instanceof Step.Deletion deletion) {
            return deletion.refName();
        }
        return policy.evidence().notesRef();
    }

    /** Where the step moves its ref: a new commit, an existing one, or the zero id for a deletion. */
    private ObjectId newId(Step step, String refName)
            throws CaseSetupException, SigningFailedException, IOException {
        if (step instanceof Step.Commit commit) {
            return commit(commit);
        }
        if (step instanceof Step.Point point) {
            return resolve(point.target());
        }
        if (step instanceof Step.EvidencePush evidence) {
            return notesCommit(current(refName), evidence.records());
        }
        if (current(refName).isEmpty()) {
            throw new CaseSetupException("there is no " + describe(refName) + " to delete at this point of the case",
                    step.position());
        }
        return ObjectId.zeroId();
    }

    /** The ref as things stand: during the push, as its earlier steps left it. */
    private Optional<ObjectId> current(String refName) throws IOException {
        ObjectId value = pushed.get(refName);
        if (value != null) {
            return value.equals(ObjectId.zeroId()) ? Optional.empty() : Optional.of(value);
        }
        Ref ref = repository.exactRef(refName);
        return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(ref.getObjectId());
    }

    private RevCommit resolve(Revision revision) throws CaseSetupException, IOException {
        Optional<ObjectId> start = current(revision.refName());
        if (start.isEmpty()) {
            throw new CaseSetupException("there is no " + describe(revision.refName()) + " at this point of the case,"
                    + " so '" + revision.text() + "' names no commit", revision.position());
        }
        RevCommit commit = parse(start.get());
        for (Revision.Hop hop : revision.hops()) {
            if (hop.firstParents()) {
                for (int i = 0; i < hop.count(); i++) {
                    if (commit.getParentCount() == 0) {
                        throw new CaseSetupException("'" + revision.text() + "' goes back further than the history"
                                + " of " + describe(revision.refName()), revision.position());
                    }
                    commit = parse(commit.getParent(0));
                }
            } else if (hop.count() > 0) {
                if (hop.count() > commit.getParentCount()) {
                    throw new CaseSetupException("'" + revision.text() + "' asks for parent " + hop.count()
                            + " of a commit with " + commit.getParentCount(), revision.position());
                }
                commit = parse(commit.getParent(hop.count() - 1));
            }
        }
        return commit;
    }

    private RevCommit parse(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id);
        }
    }

    private ObjectId commit(Step.Commit step) throws CaseSetupException, IOException {
        Optional<RevCommit> base = Optional.empty();
        if (step.from().isPresent()) {
            base = Optional.of(resolve(step.from().get()));
        } else if (current(step.refName()).isPresent()) {
            base = Optional.of(parse(current(step.refName()).get()));
        }
        Map<String, TreeEntry> files = new TreeMap<>();
        List<ObjectId> parents = new ArrayList<>();
        String message;
        if (step.kind() == Step.CommitKind.CHANGE) {
            if (base.isPresent()) {
                files.putAll(filesOf(base.get()));
                parents.add(base.get());
            }
            message = "change " + Repository.shortenRefName(step.refName());
        } else {
            Revision sourceRevision = step.source().orElseThrow();
            if (base.isEmpty()) {
                throw new CaseSetupException("there is no " + describe(step.refName()) + " to "
                        + (step.kind() == Step.CommitKind.MERGE ? "merge" : "squash") + " into at this point of the"
                        + " case; create it first, or give from", step.position());
            }
            RevCommit source = resolve(sourceRevision);
            files.putAll(filesOf(source));
            if (step.keepEnvironmentFiles()) {
                PathSet environmentSpecific = policy.environmentSpecific();
                files.keySet().removeIf(environmentSpecific::contains);
                filesOf(base.get()).forEach((path, entry) -> {
                    if (environmentSpecific.contains(path)) {
                        files.put(path, entry);
                    }
                });
            }
            parents.add(base.get());
            if (step.kind() == Step.CommitKind.MERGE) {
                parents.add(source);
                message = "merge " + sourceRevision.text() + " into " + Repository.shortenRefName(step.refName());
            } else {
                message = "squash " + sourceRevision.text() + " into " + Repository.shortenRefName(step.refName());
            }
        }
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            copyRepositoryFiles(step, files, inserter);
            for (Map.Entry<String, String> file : step.files().entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
                files.put(file.getKey(), new TreeEntry(FileMode.REGULAR_FILE, blob));
            }
            for (String path : step.removals()) {
                if (files.remove(path) == null) {
                    throw new CaseSetupException("cannot remove " + path + ": the commit has no such file",
                            step.position());
                }
            }
            return writeCommit(files, parents, step.message().orElse(message), step.author(), inserter);
        }
    }

    private void copyRepositoryFiles(Step.Commit step, Map<String, TreeEntry> files, ObjectInserter inserter)
            throws CaseSetupException, IOException {
        for (String glob : step.repositoryFiles()) {
            List<String> paths;
            try {
                paths = workingTree.paths(PathSet.of(List.of(glob)));
            } catch (IOException e) {
                throw new CaseSetupException("cannot read the repository's files for '" + glob + "': " + e,
                        step.position());
            }
            int copied = 0;
            for (String path : paths) {
                Optional<FileKind> kind = workingTree.kind(path);
                if (kind.isEmpty() || kind.get() != FileKind.REGULAR && kind.get() != FileKind.EXECUTABLE) {
                    continue;
                }
                byte[] content;
                try {
                    content = workingTree.read(path, YamlLimits.DEFAULTS.maxBytes());
                } catch (FileTooLargeException e) {
                    throw new CaseSetupException("cannot copy " + path + ": " + e.getMessage(), step.position());
                }
                FileMode mode = kind.get() == FileKind.EXECUTABLE ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
                files.put(path, new TreeEntry(mode, inserter.insert(Constants.OBJ_BLOB, content)));
                copied++;
            }
            if (copied == 0) {
                throw new CaseSetupException("repositoryFiles '" + glob + "' matches no file of the repository under"
                        + " test", step.position());
            }
        }
    }

    private Map<String, TreeEntry> filesOf(RevCommit commit) throws IOException {
        Map<String, TreeEntry> files = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(), new TreeEntry(walk.getFileMode(0), walk.getObjectId(0)));
            }
        }
        return files;
    }

    /** @param author the author's e-mail address; empty: the policy test's own */
    private ObjectId writeCommit(Map<String, TreeEntry> files, List<ObjectId> parents, String message,
            Optional<String> author, ObjectInserter inserter) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, TreeEntry> file : files.entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(file.getKey());
            entry.setFileMode(file.getValue().mode());
            entry.setObjectId(file.getValue().blob());
            builder.add(entry);
        }
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        commit.setParentIds(parents);
        PersonIdent ident = nextIdent();
        commit.setAuthor(author.map(email -> authorIdent(email, ident)).orElse(ident));
        commit.setCommitter(ident);
        commit.setMessage(message.endsWith("\n") ? message : message + "\n");
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        return id;
    }

    /** A notes commit on {@code parent} whose notes get one line appended per entry. */
    private ObjectId notesCommit(Optional<ObjectId> parent, List<EvidenceEntry> entries)
            throws CaseSetupException, SigningFailedException, IOException {
        Map<ObjectId, StringBuilder> notes = new LinkedHashMap<>();
        try (ObjectInserter inserter = repository.newObjectInserter();
                ObjectReader reader = repository.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            NoteMap map = parent.isPresent() ? NoteMap.read(reader, walk.parseCommit(parent.get())) : NoteMap.newEmptyMap();
            for (EvidenceEntry entry : entries) {
                RevCommit annotated = resolve(entry.on());
                StringBuilder text = notes.get(annotated);
                if (text == null) {
                    text = new StringBuilder();
                    Note existing = map.getNote(annotated);
                    if (existing != null) {
                        text.append(new String(reader.open(existing.getData()).getCachedBytes(), StandardCharsets.UTF_8));
                        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                            text.append('\n');
                        }
                    }
                    notes.put(annotated.copy(), text);
                }
                text.append(noteLine(entry, annotated)).append('\n');
            }
            for (Map.Entry<ObjectId, StringBuilder> note : notes.entrySet()) {
                map.set(note.getKey(), note.getValue().toString(), inserter);
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(map.writeTree(inserter));
            parent.ifPresent(commit::setParentId);
            PersonIdent ident = nextIdent();
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("Notes added by stagegate policy test\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private String noteLine(EvidenceEntry entry, RevCommit annotated) throws CaseSetupException, SigningFailedException {
        String line;
        if (entry.content() instanceof EvidenceEntry.Line text) {
            line = text.text();
        } else if (entry.content() instanceof EvidenceEntry.Approval approval) {
            line = new ApprovalRecord(annotated.name(), approval.environment(), approval.approver(),
                    approval.decision().equals("rejected") ? ApprovalRecord.Decision.REJECTED
                            : ApprovalRecord.Decision.APPROVED,
                    approval.recordedAt().orElse(now), approval.comment(), Optional.empty()).toJsonLine();
        } else {
            EvidenceEntry.TestRun run = (EvidenceEntry.TestRun) entry.content();
            line = new EvidenceRecord(annotated.name(), run.environment(), run.suite(),
                    EvidenceResult.fromLabel(run.result()), run.recordedAt().orElse(now), run.producer(),
                    Map.of(), Optional.empty(), List.of(), Optional.empty()).toJsonLine();
        }
        if (entry.signedBy().isPresent()) {
            return keys.sign(entry.signedBy().get(), line, entry);
        }
        return line;
    }

    private void setRef(String refName, ObjectId id) throws IOException {
        org.eclipse.jgit.lib.RefUpdate update = repository.updateRef(refName);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        checkResult(refName, update.update());
    }

    private static void checkResult(String refName, org.eclipse.jgit.lib.RefUpdate.Result result) throws IOException {
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {
            }
            default -> throw new IOException("cannot move " + refName + " in the case's repository: " + result);
        }
    }

    /** Commits are dated a minute apart from a day before the case's now: real-looking, and reproducible. */
    private PersonIdent nextIdent() {
        Instant time = now.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(commits++));
        return new PersonIdent(AUTHOR, EMAIL, time, ZoneOffset.UTC);
    }

    /** {@code email} as the author at the commit's own time, named by the address's local part. */
    private static PersonIdent authorIdent(String email, PersonIdent commitIdent) {
        int at = email.indexOf('@');
        return new PersonIdent(at > 0 ? email.substring(0, at) : email, email, commitIdent.getWhenAsInstant(),
                commitIdent.getZoneId());
    }

    private static String describe(String refName) {
        return refName.startsWith(Constants.R_HEADS)
                ? "branch '" + refName.substring(Constants.R_HEADS.length()) + "'"
                : "ref " + refName;
    }

    @Override
    public void close() {
        repository.close();
    }

    private record TreeEntry(FileMode mode, ObjectId blob) {
    }
}
