package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.evidence;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every test starts with staging carrying a change and one passing record by ci-bot on
 * {@code refs/notes/stagegate}, then pushes an update of that notes ref.
 */
class EvidenceTamperRuleTest {

    private static final String RULE = "evidence-tamper";

    @TempDir
    Path dir;

    GitOpsFixture gitops;
    RevCommit staging;
    String existing;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private void evidenceExists(String policy) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("develop", "test");
        staging = gitops.promote("test", "staging");
        existing = line(staging, "ci-bot", NOW.minusSeconds(3600));
        gitops.repo().addNote(NOTES, staging, existing);
        gitops.as("ci-bot");
    }

    private void evidenceExists() {
        evidenceExists(GitOpsFixture.POLICY);
    }

    private static String line(ObjectId commit, String producer, Instant at) {
        return evidence(commit, "staging", "integration", "passed", at, producer);
    }

    /** A push of the notes ref that appends {@code lines} to the note on {@code annotated}. */
    private Outcome pushAppended(ObjectId annotated, String... lines) {
        return gitops.push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, annotated, lines)));
    }

    private Outcome pushReplaced(ObjectId annotated, String... lines) {
        return gitops.push(gitops.updateRef(NOTES, gitops.repo().replaceNote(NOTES, annotated, lines)));
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    private static void assertTampered(Outcome outcome, String... messageFragments) {
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).as(render(outcome)).isNotEmpty().containsOnly(RULE);
        List<Violation> found = violations(outcome, RULE);
        assertThat(found).allSatisfy(v -> assertThat(v.ref()).isEqualTo(NOTES));
        for (String fragment : messageFragments) {
            assertThat(found).as(render(outcome)).anySatisfy(v -> assertThat(v.message()).contains(fragment));
        }
    }

    @Test
    void aValidAppendByAWriterIsAccepted() {
        evidenceExists();

        assertAccepted(pushAppended(staging, line(staging, "ci-bot", NOW.minusSeconds(60))));
    }

    @Test
    void theFirstEvidenceOfARepositoryIsAccepted() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        RevCommit main = gitops.tip("main");

        Outcome outcome = gitops.as("ci-bot").push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, main,
                evidence(main, "production", "smoke", "passed", NOW, "ci-bot"))));

        assertAccepted(outcome);
    }

    @Test
    void reorderedLinesAsCatSortUniqLeavesThemAreAccepted() {
        evidenceExists();
        String second = line(staging, "ci-bot", NOW.minusSeconds(1800));
        gitops.repo().addNote(NOTES, staging, second);

        assertAccepted(pushReplaced(staging, second, existing));
        assertAccepted(pushReplaced(staging, line(staging, "ci-bot", NOW), second, existing));
    }

    @Test
    void recordsAreComparedPerAnnotatedCommitNotPerTreePath() {
        evidenceExists();
        String hex = staging.name();
        String fannedOut = hex.substring(0, 2) + "/" + hex.substring(2);
        ObjectId notesTip = gitops.repo().refOrNull(NOTES);
        String appended = line(staging, "ci-bot", NOW.minusSeconds(60));

        RevCommit refanned = gitops.repo().orphan().parents(notesTip)
                .file(fannedOut, existing + "\n" + appended + "\n").create();
        RevCommit refannedWithoutTheOldLine = gitops.repo().orphan().parents(notesTip)
                .file(fannedOut, appended + "\n").create();

        assertAccepted(gitops.push(gitops.updateRef(NOTES, refanned)));
        assertTampered(gitops.push(gitops.updateRef(NOTES, refannedWithoutTheOldLine)), "removes or changes");
    }

    @Test
    void deletingTheNotesRefIsRejected() {
        evidenceExists();

        assertTampered(gitops.push(gitops.updateRef(NOTES, ObjectId.zeroId())), "deleting " + NOTES);
    }

    @Test
    void aNotesHistoryThatIsNotAFastForwardIsRejected() {
        evidenceExists();
        RevCommit rewritten = gitops.repo().notesCommitOnto(null, staging, false,
                existing, line(staging, "ci-bot", NOW.minusSeconds(60)));

        assertTampered(gitops.push(gitops.updateRef(NOTES, rewritten)), "not a fast-forward");
    }

    @Test
    void removingAnExistingLineIsRejected() {
        evidenceExists();

        assertTampered(pushReplaced(staging), "removes or changes an evidence record on commit "
                + staging.abbreviate(12).name());
    }

    @Test
    void changingAnExistingLineIsRejected() {
        evidenceExists();
        String revised = existing.replace("\"passed\"", "\"failed\"");

        assertTampered(pushReplaced(staging, revised), "removes or changes", "records are append-only");
    }

    @Test
    void addingALineThatIsNotValidEvidenceIsRejected() {
        evidenceExists();

        assertTampered(pushAppended(staging, "{\"result\":\"passed\"}"), "not valid evidence");
    }

    @Test
    void aLineWhoseCommitFieldIsNotTheAnnotatedCommitIsRejected() {
        evidenceExists();
        RevCommit develop = gitops.tip("develop");

        assertTampered(pushAppended(staging, line(develop, "ci-bot", NOW)),
                "its commit field " + develop.abbreviate(12).name() + " is not the commit the note is attached to");
    }

    @Test
    void aNoteOnABlobIsRejected() {
        evidenceExists();
        ObjectId blob = gitops.repo().blob(staging, "apps/web/values.yaml");

        assertTampered(pushAppended(blob, line(blob, "ci-bot", NOW)), "not a commit in this repository");
    }

    @Test
    void aNoteOnAMissingObjectIsRejected() {
        evidenceExists();
        ObjectId missing = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");

        assertTampered(pushAppended(missing, line(missing, "ci-bot", NOW)), "not a commit in this repository");
    }

    @Test
    void aProducerOtherThanThePusherIsRejected() {
        evidenceExists();

        assertTampered(pushAppended(staging, line(staging, "release-manager", NOW)),
                "producer 'release-manager' is not the pusher 'ci-bot'");
    }

    @Test
    void anAnonymousPusherIsRejected() {
        evidenceExists();
        gitops.as(null);

        assertTampered(pushAppended(staging, line(staging, "ci-bot", NOW)),
                "an anonymous pusher may not update " + NOTES, "the pusher is anonymous");
    }

    @Test
    void anAnonymousPusherIsRejectedEvenWithoutWriters() {
        evidenceExists(GitOpsFixture.POLICY.replace("evidence:\n  writers: [ci-bot]\n", ""));
        gitops.as(null);

        assertTampered(pushAppended(staging, line(staging, "ci-bot", NOW)), "the pusher is anonymous");
    }

    @Test
    void aRecordMoreThanFiveMinutesInTheFutureIsRejected() {
        evidenceExists();

        assertTampered(pushAppended(staging, line(staging, "ci-bot", NOW.plusSeconds(6 * 60))), "in the future");
        assertAccepted(pushAppended(staging, line(staging, "ci-bot", NOW.plusSeconds(4 * 60))));
    }

    @Test
    void aPusherWhoIsNotAWriterIsRejected() {
        evidenceExists();
        gitops.as("alice");

        assertTampered(pushAppended(staging, line(staging, "alice", NOW)),
                "alice may not update " + NOTES + ": not in evidence.writers");
    }

    @Test
    void everyBranchPolicyThatNamesTheNotesRefMustAdmitThePusher() {
        evidenceExists();
        String developOpensEvidenceToAlice = GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: [alice]");
        gitops.repo().commitOn("develop").file(".stagegate/policy.yaml", developOpensEvidenceToAlice)
                .commitTo("develop");
        gitops.as("alice");

        assertTampered(pushAppended(staging, line(staging, "alice", NOW)), "not in evidence.writers");
    }

    @Test
    void theNotesRefIsGuardedEvenWhenTheDefaultBranchHasNoPolicy() {
        evidenceExists();
        gitops.repo().orphan().file("README.md", "docs only\n").commitTo("docs");
        gitops.repo().setDefaultBranch("docs");
        gitops.as("mallory");

        assertTampered(gitops.push(gitops.updateRef(NOTES, ObjectId.zeroId())),
                "mallory may not update " + NOTES, "deleting " + NOTES);
    }

    @Test
    void modeWarnDoesNotWeakenIt() {
        evidenceExists(GitOpsFixture.policyPlus("mode: warn\n"));

        assertTampered(gitops.push(gitops.updateRef(NOTES, ObjectId.zeroId())), "deleting " + NOTES);
    }

    @Test
    void anAuditedBypassDoesNotCoverIt() {
        evidenceExists(GitOpsFixture.POLICY.replace("users: [release-manager]", "users: [ci-bot]"));
        gitops.withPushOption("stagegate.bypass=cleanup");

        assertTampered(gitops.push(gitops.updateRef(NOTES, ObjectId.zeroId())), "deleting " + NOTES);
    }

    @Test
    void otherNotesRefsAreNotEvidence() {
        evidenceExists();
        gitops.as("alice");
        String commitsNotes = "refs/notes/commits";

        Outcome outcome = gitops.push(gitops.updateRef(commitsNotes,
                gitops.repo().notesCommit(commitsNotes, staging, "reviewed by alice")));

        assertAccepted(outcome);
    }
}
