package dev.stagegate.rules;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.git.Ancestry;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
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
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Evidence is only worth what its history is: records are append-only, each new line is valid
 * evidence on a real commit, produced by the account that pushes it, not dated in the future,
 * and only admitted writers push at all. A push to one branch can never open the evidence
 * ref of another environment: every policy that names the ref must admit the pusher.
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
        List<Violation> violations = new ArrayList<>();
        for (Policy policy : update.evidencePolicies()) {
            Optional<Set<String>> writers = policy.evidence().writers();
            if (policy.evidence().notesRef().equals(ref) && writers.isPresent() && !update.pusher().isIn(writers.get())) {
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
        List<String> strayPaths = new ArrayList<>();
        Map<ObjectId, NoteChange> changes = changedNotes(update, strayPaths);
        for (String path : strayPaths) {
            violations.add(Violation.error(id(), ref + " gains '" + path + "', which is not a note on an object;"
                    + " write evidence with git notes or stagegate evidence record"));
        }
        for (Map.Entry<ObjectId, NoteChange> entry : changes.entrySet()) {
            checkNote(update, entry.getKey(), entry.getValue(), violations);
            if (violations.size() >= MAX_VIOLATIONS) {
                violations.add(Violation.error(id(), "more problems in this push of " + ref + " are not listed;"
                        + " fix the ones above and push again"));
                break;
            }
        }
        return violations;
    }

    private void checkNote(UpdateContext update, ObjectId annotated, NoteChange change, List<Violation> violations)
            throws IOException {
        String commit = annotated.name();
        Map<String, Integer> remaining = new HashMap<>();
        for (NoteLine line : change.after()) {
            remaining.merge(line.text(), 1, Integer::sum);
        }
        for (NoteLine line : change.before()) {
            Integer count = remaining.get(line.text());
            if (count == null || count == 0) {
                violations.add(Violation.error(id(), "the push removes or changes an evidence record on commit "
                        + commit.substring(0, 12) + ": " + abbreviate(line.text())
                        + "; records are append-only").withCommit(commit));
                return;
            }
            remaining.put(line.text(), count - 1);
        }
        boolean isCommit = isCommit(update, annotated);
        for (NoteLine line : change.after()) {
            Integer count = remaining.get(line.text());
            if (count == null || count == 0) {
                continue;
            }
            if (violations.size() >= MAX_VIOLATIONS) {
                return;
            }
            remaining.put(line.text(), count - 1);
            Optional<String> problem = problemWithNewLine(update, annotated, isCommit, line);
            problem.ifPresent(p -> violations.add(Violation.error(id(), "new evidence on "
                    + commit.substring(0, 12) + " refused: " + p).withCommit(commit)));
        }
    }

    private static Optional<String> problemWithNewLine(UpdateContext update, ObjectId annotated, boolean isCommit,
            NoteLine line) {
        if (line.record().isEmpty()) {
            return Optional.of("not valid evidence (" + line.problem().orElse("unreadable") + ")"
                    + (line.text().isEmpty() ? "" : ": " + abbreviate(line.text())));
        }
        EvidenceRecord record = line.record().get();
        if (!isCommit) {
            return Optional.of("the note is attached to an object that is not a commit in this repository");
        }
        if (!record.commit().equals(annotated.name())) {
            return Optional.of("its commit field " + record.commit().substring(0, 12)
                    + " is not the commit the note is attached to");
        }
        if (update.pusher().identity().isEmpty()) {
            return Optional.of("the pusher is anonymous, so no producer can be vouched for");
        }
        if (!record.producer().equals(update.pusher().identity().get())) {
            return Optional.of("producer '" + record.producer() + "' is not the pusher '"
                    + update.pusher().identity().get() + "'");
        }
        if (record.recordedAt().isAfter(update.now().plus(CLOCK_SKEW))) {
            return Optional.of("recordedAt " + record.recordedAt() + " is in the future");
        }
        return Optional.empty();
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
     * object. Identical subtrees are skipped, so appending to a few notes reads a few notes;
     * a note that moved because git re-fanned the tree pairs up by its object id.
     */
    private static Map<ObjectId, NoteChange> changedNotes(UpdateContext update, List<String> strayPaths)
            throws IOException {
        Map<ObjectId, NoteChange> changes = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(update.repository().reader())) {
            walk.setRecursive(true);
            if (update.update().isCreation()) {
                walk.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
            } else {
                walk.addTree(update.oldCommit().getTree());
            }
            walk.addTree(update.newCommit().getTree());
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                String path = walk.getPathString();
                String hex = path.replace("/", "");
                if (!ObjectId.isId(hex)) {
                    if (walk.getRawMode(1) != 0) {
                        strayPaths.add(path);
                    }
                    continue;
                }
                ObjectId annotated = ObjectId.fromString(hex);
                List<NoteLine> before = walk.getRawMode(0) == 0 ? List.of()
                        : EvidenceStore.readLines(update.repository().reader(), walk.getObjectId(0));
                List<NoteLine> after = walk.getRawMode(1) == 0 ? List.of()
                        : EvidenceStore.readLines(update.repository().reader(), walk.getObjectId(1));
                NoteChange known = changes.get(annotated);
                changes.put(annotated, known == null ? new NoteChange(before, after) : known.plus(before, after));
            }
        }
        return changes;
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    private record NoteChange(List<NoteLine> before, List<NoteLine> after) {

        NoteChange plus(List<NoteLine> moreBefore, List<NoteLine> moreAfter) {
            List<NoteLine> allBefore = new ArrayList<>(before);
            allBefore.addAll(moreBefore);
            List<NoteLine> allAfter = new ArrayList<>(after);
            allAfter.addAll(moreAfter);
            return new NoteChange(allBefore, allAfter);
        }
    }
}
