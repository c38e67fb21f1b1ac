package dev.stagegate.git;

import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.VerifiedSignatures;
import dev.stagegate.memo.ProcessMemory;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * One run's read-only view of a repository: branch tips as they were before the push (a
 * pre-receive hook runs before any ref moves), commits, content keys, environment histories
 * and evidence, each computed once and shared by every rule. Writes nothing.
 */
public final class RepositoryView implements AutoCloseable {

    /** Where branch tips are read from. */
    public enum BranchSource {
        /** {@code refs/heads/<branch>}: the server's own branches, in the hook. */
        LOCAL,
        /** {@code refs/remotes/origin/<branch>} when present, else the local branch: a CI checkout. */
        REMOTE_FIRST
    }

    private static final String ORIGIN = Constants.R_REMOTES + "origin/";

    private final Repository repository;
    private final BranchSource branchSource;
    private final ObjectReader reader;
    private final RevWalk walk;
    private final Map<PathSet, ContentKeys> contentKeys = new IdentityHashMap<>();
    private final Map<Integer, BranchHistory> histories = new HashMap<>();
    private final Map<String, EvidenceStore> evidence = new HashMap<>();
    private VerifiedSignatures verifiedSignatures = VerifiedSignatures.none();
    /** {@link #priorReader}, and the repository it reads when that is another; both made on first need. */
    private ObjectReader priorReader;
    private Repository prior;

    public RepositoryView(Repository repository, BranchSource branchSource) {
        this.repository = repository;
        this.branchSource = branchSource;
        this.reader = ProcessMemory.enabled()
                ? new RememberingObjectReader(repository.newObjectReader(), String.valueOf(repository.getDirectory()))
                : repository.newObjectReader();
        this.walk = new RevWalk(reader);
    }

    public Repository repository() {
        return repository;
    }

    public ObjectReader reader() {
        return reader;
    }

    public RevWalk walk() {
        return walk;
    }

    /**
     * A reader of what the repository held before the push, for old versions of files. In
     * pre-receive, git's quarantine holds the pushed objects and reaches all others as an
     * alternate, which JGit opened as a repository of its own ({@link RepositoryCache}); each
     * object looked up through the quarantine is first looked for there, at the cost of a stat
     * of its new pack directory (measured: 40% of reading a hundred old files in a cold hook).
     * Anywhere else, or should that repository not be open, {@link #reader()}. Objects the push
     * brought are never found through it.
     */
    public ObjectReader priorReader() {
        if (priorReader == null) {
            priorReader = reader;
            if (!ProcessMemory.enabled() && repository.getDirectory() != null) {
                RepositoryCache.FileKey key = RepositoryCache.FileKey.exact(repository.getDirectory(),
                        repository.getFS());
                // never opened here: a second one would read every pack index again
                if (RepositoryCache.getRegisteredKeys().contains(key)) {
                    openPrior(key);
                }
            }
        }
        return priorReader;
    }

    private void openPrior(RepositoryCache.FileKey key) {
        Repository opened;
        try {
            opened = RepositoryCache.open(key, true);
        } catch (IOException e) {
            return; // the one reader still reads every object
        }
        if (opened == repository) {
            opened.close();
            return;
        }
        prior = opened;
        priorReader = opened.newObjectReader();
    }

    public RevCommit commit(AnyObjectId id) throws IOException {
        return walk.parseCommit(id);
    }

    /** The value of a full ref name, peeled to the object it names. */
    public Optional<ObjectId> refValue(String refName) throws IOException {
        Ref ref = repository.exactRef(refName);
        return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(ref.getObjectId());
    }

    /** The tip of a branch before the push, by its short name. */
    public Optional<ObjectId> branchTip(String branch) throws IOException {
        if (branchSource == BranchSource.REMOTE_FIRST) {
            Optional<ObjectId> remote = refValue(ORIGIN + branch);
            if (remote.isPresent()) {
                return remote;
            }
        }
        return refValue(Constants.R_HEADS + branch);
    }

    /** The full ref a branch's tip is read from, for messages. */
    public String branchRefName(String branch) throws IOException {
        if (branchSource == BranchSource.REMOTE_FIRST && repository.exactRef(ORIGIN + branch) != null) {
            return ORIGIN + branch;
        }
        return Constants.R_HEADS + branch;
    }

    /** The repository's default branch: what HEAD (or a clone's origin/HEAD) points at. */
    public Optional<String> defaultBranch() throws IOException {
        if (branchSource == BranchSource.REMOTE_FIRST) {
            Ref originHead = repository.exactRef(ORIGIN + Constants.HEAD);
            if (originHead != null && originHead.isSymbolic()) {
                return Optional.of(Repository.shortenRefName(originHead.getTarget().getName())
                        .substring("origin/".length()));
            }
        }
        Ref head = repository.exactRef(Constants.HEAD);
        if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return Optional.of(head.getTarget().getName().substring(Constants.R_HEADS.length()));
        }
        return Optional.empty();
    }

    public Optional<ObjectId> defaultBranchTip() throws IOException {
        Optional<String> branch = defaultBranch();
        return branch.isPresent() ? branchTip(branch.get()) : Optional.empty();
    }

    public ContentKeys contentKeys(PathSet environmentSpecific) {
        return contentKeys.computeIfAbsent(environmentSpecific, set -> new ContentKeys(reader, set));
    }

    public BranchHistory history(int searchDepth) {
        return histories.computeIfAbsent(searchDepth, depth -> new BranchHistory(walk, depth));
    }

    /**
     * The signatures this repository's hook verified before (see {@link VerifiedSignatures});
     * none unless the hook keeps them: the other commands write nothing into a repository.
     */
    public VerifiedSignatures verifiedSignatures() {
        return verifiedSignatures;
    }

    /** Checks signed records against, and adds to, {@code verified}. */
    public void keepVerifiedSignatures(VerifiedSignatures verified) {
        this.verifiedSignatures = verified;
    }

    /** The evidence under {@code notesRef} as it was before the push. */
    public EvidenceStore evidence(String notesRef) throws IOException {
        EvidenceStore store = evidence.get(notesRef);
        if (store == null) {
            store = EvidenceStore.open(walk, refValue(notesRef));
            evidence.put(notesRef, store);
        }
        return store;
    }

    public boolean isShallow() throws IOException {
        return repository.getObjectDatabase().getShallowCommits().size() > 0;
    }

    @Override
    public void close() {
        walk.close();
        reader.close();
        if (prior != null) {
            priorReader.close();
            prior.close();
        }
    }
}
