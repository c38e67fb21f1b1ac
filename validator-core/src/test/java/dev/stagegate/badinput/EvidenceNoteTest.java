package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the evidence notes ref besides evidence: garbage, oversized notes, notes on
 * objects that are no commits, a ref that points at no notes commit. The hook refuses each
 * (evidence-tamper, never bypassable); garbage already there never counts as evidence.
 */
@Timeout(10)
class EvidenceNoteTest {

    private static final ObjectId NOWHERE = ObjectId.fromString("1234567812345678123456781234567812345678");

    @TempDir
    Path dir;

    GitOpsFixture gitops;
    RevCommit staging;

    @BeforeEach
    void setUp() {
        gitops = BadInput.repository(dir);
        staging = gitops.tip("staging");
        gitops.as("ci-bot");
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    /** As the rule quotes a refused line. */
    static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    private Outcome pushNote(ObjectId annotated, String... lines) {
        return gitops.push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, annotated, lines)));
    }

    private String refused(ObjectId annotated) {
        return "new evidence on " + annotated.name().substring(0, 12) + " refused: ";
    }

    @Test
    void garbage() {
        assertOnlyError(pushNote(staging, "\u0000\u00ff garbage"), ExitStatus.REJECTED, "evidence-tamper", NOTES, null,
                refused(staging) + "not valid evidence (not valid JSON): \u0000\u00ff garbage");
    }

    @Test
    void thousandsOfBadLinesGetTwentyViolationsAndASummary() {
        String[] lines = IntStream.range(0, 5000).mapToObj(i -> "{\"n\":" + i + "}").toArray(String[]::new);

        Outcome outcome = pushNote(staging, lines);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations()).hasSize(21).extracting(Violation::rule).containsOnly("evidence-tamper");
        assertThat(outcome.verdict().violations().get(0).message())
                .isEqualTo(refused(staging) + "not valid evidence (unknown field 'n'): {\"n\":0}");
        assertThat(outcome.verdict().violations().get(20).message())
                .isEqualTo("more problems in this push of " + NOTES + " are not listed; fix the ones above and push again");
    }

    @Test
    void aNoteOnACommitThatIsNotInTheRepository() {
        String line = GitOpsFixture.evidence(NOWHERE, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot");
        assertOnlyError(pushNote(NOWHERE, line), ExitStatus.REJECTED, "evidence-tamper", NOTES, null,
                refused(NOWHERE) + "the note is attached to an object that is not a commit in this repository");
    }

    @Test
    void aNoteOnATree() {
        ObjectId tree = staging.getTree();
        String line = GitOpsFixture.evidence(tree, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot");
        assertOnlyError(pushNote(tree, line), ExitStatus.REJECTED, "evidence-tamper", NOTES, null,
                refused(tree) + "the note is attached to an object that is not a commit in this repository");
    }

    @Test
    void aFileInTheNotesTreeThatIsNoNote() {
        RevCommit notes = gitops.repo().orphan().file("README.md", "# not a note\n").create();
        assertOnlyError(gitops.push(gitops.updateRef(NOTES, notes)), ExitStatus.REJECTED, "evidence-tamper", NOTES, null,
                NOTES + ": 'README.md' is not a note: a note's path spells the 40 hex digits of the object it"
                        + " annotates; git and stagegate read notes only in the layout git notes writes: write"
                        + " evidence with git notes or stagegate evidence record");
    }

    @Test
    void theNotesRefPointedAtABlob() {
        ObjectId blob = gitops.repo().blob(staging, BadInput.VALUES);
        assertOnlyError(gitops.push(gitops.updateRef(NOTES, blob)), ExitStatus.REJECTED, "evidence-tamper", NOTES, null,
                "this push points " + NOTES + " at a blob (" + blob.name() + "), not a notes commit;"
                        + " write evidence with git notes or stagegate evidence record");
    }

    @Test
    void garbageAlreadyOnTheTestedCommitIsNoEvidence() {
        gitops.changeOnDevelop(BadInput.VALUES, "replicas: 3\n");
        gitops.promote("develop", "test");
        RevCommit tested = gitops.promote("test", "staging");
        gitops.repo().addNote(NOTES, tested, "garbage", "x".repeat(EvidenceStore.MAX_NOTE_BYTES + 1));

        Outcome outcome = gitops.as("release-manager").push(gitops.update("main", gitops.promotion("staging", "main")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(GitOpsFixture.errors(outcome)).as(render(outcome)).containsExactly("missing-evidence");
    }
}
