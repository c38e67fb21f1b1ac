package dev.stagegate.evidence;

import dev.stagegate.git.Ancestry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Appends evidence lines to the notes ref, as {@code git notes append} would: one commit on
 * the notes ref per record, the note's earlier lines kept. With a remote, the remote's notes
 * are fetched first and the line appended on top of them, and a push that loses a race with
 * another writer is retried, so concurrent CI jobs never overwrite each other's evidence.
 * Records only append lines, so appending again on the remote's new tip keeps every line a
 * merge with git's {@code cat_sort_uniq} strategy would, and the push stays a fast-forward.
 */
public final class EvidenceRecorder {

    private static final int PUSH_ATTEMPTS = 5;

    private final Repository repository;
    private final String notesRef;

    public EvidenceRecorder(Repository repository, String notesRef) {
        this.repository = repository;
        this.notesRef = notesRef;
    }

    /**
     * Whether a branch carries {@code commit}: a remote's branch when the clone has any (a
     * CI's synthetic merge commit is on none), else a local branch (a server).
     */
    public boolean isOnABranch(ObjectId commit) throws IOException {
        List<Ref> remotes = new java.util.ArrayList<>();
        for (String remote : repository.getRemoteNames()) {
            // only the remotes' branches: actions/checkout keeps the pull request's synthetic
            // merge commit under refs/remotes/pull/N/merge, which is no remote's branch
            remotes.addAll(repository.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES + remote + "/"));
        }
        List<Ref> candidates = remotes.isEmpty() ? repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS) : remotes;
        try (ObjectReader reader = repository.newObjectReader()) {
            for (Ref ref : candidates) {
                if (ref.getObjectId() == null || ref.getName().endsWith("/" + Constants.HEAD)) {
                    continue;
                }
                try {
                    if (Ancestry.isAncestor(reader, commit, ref.getObjectId())) {
                        return true;
                    }
                } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                    // a ref to a non-commit carries no commit
                }
            }
        }
        return false;
    }

    /**
     * Appends {@code line}, the record as it is written (signed or not), locally; returns the new
     * notes commit.
     */
    public ObjectId append(NoteRecord record, String line, PersonIdent committer) throws IOException {
        for (int attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
            ObjectId parent = repository.resolve(notesRef);
            ObjectId created = appendOn(parent, record, line, committer);
            RefUpdate update = repository.updateRef(notesRef);
            update.setNewObjectId(created);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            update.setRefLogMessage("stagegate evidence record", false);
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD
                    || result == RefUpdate.Result.FORCED) {
                return created;
            }
            if (result != RefUpdate.Result.LOCK_FAILURE) {
                throw new IOException("cannot update " + notesRef + ": " + result);
            }
        }
        throw new IOException("cannot update " + notesRef + ": other writers kept moving it");
    }

    /**
     * Fetches the remote's notes, appends on top of them and pushes with the real git client, so
     * that the remote's hooks judge the push; retries when another writer pushed first. The local
     * notes ref moves only when the remote accepted the record.
     */
    public PushReport appendAndPush(NoteRecord record, String line, PersonIdent committer, String remote)
            throws IOException {
        String incoming = "refs/stagegate/incoming/" + notesRef.substring(Constants.R_REFS.length());
        GitClient git = new GitClient(repository.getDirectory().toPath(),
                repository.isBare() ? repository.getDirectory().toPath() : repository.getWorkTree().toPath());
        PushReport report = null;
        try {
            for (int attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
                ObjectId base = null;
                if (git.remoteRef(remote, notesRef).isPresent()) {
                    git.fetch(remote, notesRef, incoming);
                    base = repository.resolve(incoming);
                }
                ObjectId created = appendOn(base, record, line, committer);
                report = git.push(remote, created, notesRef);
                if (report.status() == PushReport.Status.ACCEPTED) {
                    RefUpdate update = repository.updateRef(notesRef);
                    update.setNewObjectId(created);
                    update.setForceUpdate(true);
                    update.update();
                }
                if (report.status() != PushReport.Status.OUTDATED) {
                    return report;
                }
            }
        } catch (GitClient.Failure e) {
            return PushReport.failed(e.getMessage(), e.remoteLines());
        }
        return PushReport.failed("other writers kept moving " + notesRef + " on " + remote + " (" + PUSH_ATTEMPTS
                + " attempts; the last: " + report.reason() + ")", report.remoteLines());
    }

    private ObjectId appendOn(ObjectId parent, NoteRecord record, String line, PersonIdent committer)
            throws IOException {
        ObjectId annotated = ObjectId.fromString(record.commit());
        try (ObjectInserter inserter = repository.newObjectInserter();
                RevWalk walk = new RevWalk(repository)) {
            NoteMap notes = parent == null ? NoteMap.newEmptyMap()
                    : NoteMap.read(walk.getObjectReader(), walk.parseCommit(parent));
            StringBuilder text = new StringBuilder();
            Note existing = notes.getNote(annotated);
            if (existing != null) {
                text.append(new String(walk.getObjectReader().open(existing.getData()).getCachedBytes(),
                        StandardCharsets.UTF_8));
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
            text.append(line).append('\n');
            notes.set(annotated, text.toString(), inserter);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(notes.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(committer);
            commit.setCommitter(committer);
            commit.setMessage("stagegate: " + summary(record) + " on " + record.commit().substring(0, 12) + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static String summary(NoteRecord record) {
        if (record instanceof ApprovalRecord approval) {
            return approval.decision().label() + " by " + approval.approver() + " into " + approval.environment();
        }
        EvidenceRecord evidence = (EvidenceRecord) record;
        return evidence.suite() + " " + evidence.result().label() + " in " + evidence.environment();
    }

    /** The identity notes commits are made with: the producer, at the record's time. */
    public static PersonIdent committer(String producer, Instant at) {
        return new PersonIdent(producer, producer + "@stagegate.invalid", at, java.time.ZoneOffset.UTC);
    }
}
