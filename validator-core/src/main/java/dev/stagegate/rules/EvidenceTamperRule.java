package dev.stagegate.rules;

import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.NoteRecord;
import dev.stagegate.evidence.NotesTreeLayout;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.git.Ancestry;
import dev.stagegate.git.HexObjectId;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.SignatureMode;
import dev.stagegate.report.Violation;
import dev.stagegate.signature.SignatureCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Evidence is only worth what its history is: records are append-only, each new line is valid
 * evidence on a real commit, produced by the account that pushes it (or signed by a key the
 * allowed signers list for its producer or approver), not dated in the future, and only
 * admitted writers push at all. A push to one branch can never open the evidence
 * ref of another environment: every policy that names the ref must admit the pusher. The
 * notes tree keeps the one layout that git and JGit read alike ({@link NotesTreeLayout}), so
 * no record can be hidden from one reader while the other, or this rule, still counts it.
 */
public final class EvidenceTamperRule implements Rule {

    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int MAX_VIOLATIONS = 20;

    @Override
    public String id() {
        return RuleIds.EVIDENCE_TAMPER;
    }

    @Override
    public String summary() {
        return "the evidence notes ref is append-only, valid, and written only by admitted producers";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        if (!update.isEvidenceRef()) {
            return List.of();
        }
        String ref = update.update().refName();
        List<Policy> judging = update.evidencePolicies().stream()
                .filter(policy -> policy.evidence().notesRef().equals(ref)).toList();
        List<Violation> violations = new ArrayList<>();
        for (Policy policy : judging) {
            Optional<Set<String>> writers = policy.evidence().writers();
            if (writers.isPresent() && !update.pusher().isIn(writers.get())) {
                violations.add(Violation.error(id(), update.pusher().describe() + " may not update " + ref
                        + ": not in evidence.writers of " + policy.path() + " (" + String.join(", ", writers.get())
                        + ")"));
                break;
            }
        }
        if (update.update().isDeletion()) {
            violations.add(Violation.error(id(), "deleting " + ref + " would erase the evidence history;"
                    + " evidence is append-only"));
            return violations;
        }
        Optional<String> notACommit = typeUnlessCommit(update, update.update().newId());
        if (notACommit.isPresent()) {
            violations.add(Violation.error(id(), "this push points " + ref + " at a " + notACommit.get() + ", not a"
                    + " notes commit; write evidence with git notes or stagegate evidence record"));
            return violations;
        }
        if (!update.update().isCreation()
                && !Ancestry.isAncestor(update.repository().reader(), update.oldCommit(), update.newCommit())) {
            violations.add(Violation.error(id(), "this push rewrites " + ref + " (not a fast-forward);"
                    + " evidence is append-only: fetch the notes, add your lines with git notes append, push again"));
            return violations;
        }
        List<String> misplaced = NotesTreeLayout.problems(update.repository().reader(),
                update.update().isCreation() ? Optional.empty() : Optional.of(update.oldCommit().getTree()),
                update.newCommit().getTree(), MAX_VIOLATIONS);
        for (String problem : misplaced) {
            violations.add(Violation.error(id(), ref + ": " + problem + "; git and stagegate read notes only in the"
                    + " layout git notes writes: write evidence with git notes or stagegate evidence record"));
        }
        if (!misplaced.isEmpty()) {
            if (misplaced.size() >= MAX_VIOLATIONS) {
                violations.add(tooMany(ref));
            }
            return violations;
        }
        for (Map.Entry<ObjectId, NoteChange> entry : changedNotes(update).entrySet()) {
            checkNote(update, judging, entry.getKey(), entry.getValue(), violations);
            if (violations.size() >= MAX_VIOLATIONS) {
                violations.add(tooMany(ref));
                break;
            }
        }
        return violations;
    }

    private Violation tooMany(String ref) {
        return Violation.error(id(), "more problems in this push of " + ref + " are not listed;"
                + " fix the ones above and push again");
    }

    /**
     * Judges what the push does to the note on {@code annotated}: a note that only moved (git
     * re-fanned the tree) keeps its blob and is not read; otherwise no line may go, and a note
     * that is new or gains lines must be on a commit, with every new line valid.
     */
    private void checkNote(UpdateContext update, List<Policy> judging, ObjectId annotated, NoteChange change,
            List<Violation> violations) throws IOException {
        if (change.onlyMoved()) {
            return;
        }
        String commit = annotated.name();
        List<NoteLine> before = change.linesBefore(update.repository().reader());
        List<NoteLine> after = change.linesAfter(update.repository().reader());
        Map<String, Integer> remaining = new HashMap<>();
        for (NoteLine line : after) {
            remaining.merge(line.text(), 1, Integer::sum);
        }
        for (NoteLine line : before) {
            Integer count = remaining.get(line.text());
            if (count == null || count == 0) {
                violations.add(Violation.error(id(), "the push removes or changes an evidence record on commit "
                        + commit.substring(0, 12) + ": " + abbreviate(line.text())
                        + "; records are append-only").withCommit(commit));
                return;
            }
            remaining.put(line.text(), count - 1);
        }
        List<NoteLine> added = new ArrayList<>();
        for (NoteLine line : after) {
            Integer count = remaining.get(line.text());
            if (count != null && count > 0) {
                remaining.put(line.text(), count - 1);
                added.add(line);
            }
        }
        if ((change.isNew() || !added.isEmpty()) && !isCommit(update, annotated)) {
            violations.add(Violation.error(id(), "new evidence on " + commit.substring(0, 12) + " refused: the note"
                    + " is attached to an object that is not a commit in this repository").withCommit(commit));
            return;
        }
        for (NoteLine line : added) {
            if (violations.size() >= MAX_VIOLATIONS) {
                return;
            }
            Optional<String> problem = problemWithNewLine(update, judging, annotated, line);
            problem.ifPresent(p -> violations.add(Violation.error(id(), "new evidence on "
                    + commit.substring(0, 12) + " refused: " + p).withCommit(commit)));
        }
    }

    /** @param judging the policies that read this notes ref */
    private static Optional<String> problemWithNewLine(UpdateContext update, List<Policy> judging, ObjectId annotated,
            NoteLine line) {
        if (line.record().isEmpty()) {
            return Optional.of("not valid evidence (" + line.problem().orElse("unreadable") + ")"
                    + (line.text().isEmpty() ? "" : ": " + abbreviate(line.text())));
        }
        NoteRecord record = line.record().get();
        if (!record.commit().equals(annotated.name())) {
            return Optional.of("its commit field " + record.commit().substring(0, 12)
                    + " is not the commit the note is attached to");
        }
        if (record.recordedAt().isAfter(update.now().plus(CLOCK_SKEW))) {
            return Optional.of("recordedAt " + record.recordedAt() + " is in the future");
        }
        String ref = update.update().refName();
        List<Policy> signing = judging.stream()
                .filter(policy -> policy.evidence().signatures() != SignatureMode.OFF).toList();
        if (record.signature().isPresent() && !signing.isEmpty()) {
            // A signature that does not verify is never accepted.
            for (Policy policy : signing) {
                SignatureCheck check = SignaturePolicy.verify(record, line.text(), policy.allowedSigners(),
                        update.repository().verifiedSignatures());
                if (!check.verified()) {
                    return Optional.of("its signature does not verify under " + policy.path() + ": "
                            + check.reason());
                }
            }
            // One that verifies vouches for the record, so any admitted writer may push it (a CI
            // bot pushing approvals people signed), but only when every policy that reads the ref
            // checks signatures: a policy with signatures off counts the line as its producer's,
            // and a key some other branch trusts must not speak for that producer there.
            if (signing.size() == judging.size()) {
                return Optional.empty();
            }
        }
        if (update.pusher().identity().isEmpty()) {
            return Optional.of("the pusher is anonymous, so no producer can be vouched for");
        }
        if (!record.principal().equals(update.pusher().identity().get())) {
            return Optional.of(principalField(record) + " '" + record.principal() + "' is not the pusher '"
                    + update.pusher().identity().get() + "'" + (record.signature().isEmpty()
                            ? "; sign the record (--sign-key) to push it on someone's behalf"
                            : "; a signed record may be pushed on someone's behalf only where every policy that"
                                    + " reads " + ref + " sets evidence.signatures, and one of them does not"));
        }
        return Optional.empty();
    }

    private static String principalField(NoteRecord record) {
        return record instanceof ApprovalRecord ? "approver" : "producer";
    }

    /** The type of object {@code id} names ("blob", "tree", ...), empty when it is a commit. */
    private static Optional<String> typeUnlessCommit(UpdateContext update, ObjectId id) throws IOException {
        if (!update.repository().reader().has(id)) {
            return Optional.of("missing object " + id.name());
        }
        int type = update.repository().reader().open(id).getType();
        return type == Constants.OBJ_COMMIT ? Optional.empty()
                : Optional.of(Constants.typeString(type) + " (" + id.name() + ")");
    }

    private static boolean isCommit(UpdateContext update, ObjectId id) throws IOException {
        return typeUnlessCommit(update, id).isEmpty();
    }

    /**
     * The notes whose blobs differ between the old and new notes trees, keyed by annotated
     * object. Identical subtrees are skipped, so appending to a few notes reads a few trees;
     * a note that moved because git re-fanned the tree pairs up by its object id. The old tree
     * counts every entry whose path spells an object id as a note, whichever reader saw it, so
     * no record that any reader showed can go; the new tree's layout is canonical by now.
     */
    private static Map<ObjectId, NoteChange> changedNotes(UpdateContext update) throws IOException {
        Map<ObjectId, NoteChange> changes = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(update.repository().reader())) {
            walk.setRecursive(true);
            if (update.update().isCreation()) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(update.oldCommit().getTree());
            }
            walk.addTree(update.newCommit().getTree());
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                String hex = walk.getPathString().replace("/", "");
                if (!HexObjectId.isValid(hex)) {
                    continue;
                }
                NoteChange change = changes.computeIfAbsent(ObjectId.fromString(hex), id -> new NoteChange());
                if (hasContent(walk.getRawMode(0))) {
                    change.before().add(walk.getObjectId(0));
                }
                if (hasContent(walk.getRawMode(1))) {
                    change.after().add(walk.getObjectId(1));
                }
            }
        }
        return changes;
    }

    /** A file or a link: an entry with a blob JGit would read as a note (a submodule link has none). */
    private static boolean hasContent(int mode) {
        return mode != 0 && !FileMode.GITLINK.equals(mode) && !FileMode.TREE.equals(mode);
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    /** The blobs that held the note on one object before and after the push, wherever they lay. */
    private record NoteChange(List<ObjectId> before, List<ObjectId> after) {

        NoteChange() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        boolean isNew() {
            return before.isEmpty();
        }

        boolean onlyMoved() {
            List<ObjectId> sortedBefore = new ArrayList<>(before);
            List<ObjectId> sortedAfter = new ArrayList<>(after);
            sortedBefore.sort(null);
            sortedAfter.sort(null);
            return sortedBefore.equals(sortedAfter);
        }

        List<NoteLine> linesBefore(ObjectReader reader) throws IOException {
            return lines(reader, before);
        }

        List<NoteLine> linesAfter(ObjectReader reader) throws IOException {
            return lines(reader, after);
        }

        private static List<NoteLine> lines(ObjectReader reader, List<ObjectId> blobs) throws IOException {
            List<NoteLine> lines = new ArrayList<>();
            for (ObjectId blob : blobs) {
                lines.addAll(EvidenceStore.readLines(reader, blob));
            }
            return lines;
        }
    }
}
