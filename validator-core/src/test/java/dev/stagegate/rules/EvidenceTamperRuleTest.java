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
import dev.stagegate.signature.SshKeygenSigner;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.SshKeys;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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

    /** A push of a notes commit on top of the current notes whose tree is {@code tree}, built by hand. */
    private Outcome pushNotesTree(ObjectId tree) {
        return gitops.push(gitops.updateRef(NOTES, gitops.repo().commitTree(tree, gitops.repo().refOrNull(NOTES))));
    }

    /** The blob of the flat note on the staging commit, as the notes ref holds it now. */
    private ObjectId stagingNote() {
        return gitops.repo().blob(gitops.repo().refOrNull(NOTES), staging.name());
    }

    /** A flat notes tree: the note on staging as it is, and one more entry, in git's order. */
    private ObjectId besideTheStagingNote(String name, FileMode mode, ObjectId id) {
        TestRepository.TreeSpec tree = gitops.repo().mktree();
        if (name.compareTo(staging.name()) < 0) {
            return tree.entry(name, mode, id).entry(staging.name(), FileMode.REGULAR_FILE, stagingNote()).create();
        }
        return tree.entry(staging.name(), FileMode.REGULAR_FILE, stagingNote()).entry(name, mode, id).create();
    }

    /** The note on staging after a failed re-run: the passing record, then the failed one that revokes it. */
    private String failedRerun() {
        String failed = evidence(staging, "staging", "integration", "failed", NOW.minusSeconds(1800), "ci-bot");
        gitops.repo().addNote(NOTES, staging, failed);
        return failed;
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
    void notesThatGitRefannedToAnyDepthWithTheSameLinesAreAccepted() {
        evidenceExists();
        RevCommit test = gitops.tip("test");
        RevCommit develop = gitops.tip("develop");
        String onTest = evidence(test, "testing", "integration", "passed", NOW.minusSeconds(7200), "ci-bot");
        String onDevelop = evidence(develop, "development", "unit", "passed", NOW.minusSeconds(9000), "ci-bot");
        gitops.repo().addNote(NOTES, test, onTest);
        gitops.repo().addNote(NOTES, develop, onDevelop);
        ObjectId notesTip = gitops.repo().refOrNull(NOTES);
        TestRepository.CommitSpec twoLevels = gitops.repo().orphan().parents(notesTip);
        TestRepository.CommitSpec threeLevels = gitops.repo().orphan().parents(notesTip);
        for (var note : List.of(List.of(staging.name(), existing), List.of(test.name(), onTest),
                List.of(develop.name(), onDevelop))) {
            String hex = note.get(0);
            twoLevels.file(hex.substring(0, 2) + "/" + hex.substring(2), note.get(1) + "\n");
            threeLevels.file(hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex.substring(4),
                    note.get(1) + "\n");
        }

        assertAccepted(gitops.push(gitops.updateRef(NOTES, twoLevels.create())));
        assertAccepted(gitops.push(gitops.updateRef(NOTES, threeLevels.create())));
    }

    @Test
    void movingANoteIntoAOneCharacterDirectoryIsRejected() {
        evidenceExists();
        String hex = staging.name();
        ObjectId oneCharacter = gitops.repo().mktree()
                .entry(hex.substring(1), FileMode.REGULAR_FILE, stagingNote()).create();

        assertTampered(pushNotesTree(gitops.repo().mktree().tree(hex.substring(0, 1), oneCharacter).create()),
                NOTES + ": '" + hex.charAt(0) + "/' is not a fan-out directory (those are named by two hex digits);"
                        + " git and stagegate read notes only in the layout git notes writes: write evidence with"
                        + " git notes or stagegate evidence record");
    }

    @Test
    void splittingANoteIntoAFlatAndAFannedOutHalfIsRejected() {
        evidenceExists();
        String failed = failedRerun();
        String hex = staging.name();
        // git reads both halves; JGit reads the top level as fan-out directories ("cb/" sorts before
        // "cbda...") and so would see the pass but no longer the failed re-run that revokes it
        ObjectId fannedOut = gitops.repo().mktree().file(hex.substring(2), existing + "\n").create();
        ObjectId split = gitops.repo().mktree().tree(hex.substring(0, 2), fannedOut).file(hex, failed + "\n")
                .create();

        assertTampered(pushNotesTree(split), "the top level holds notes ('" + hex + "') beside fan-out directories"
                + " ('" + hex.substring(0, 2) + "/')");
    }

    @Test
    void anEmptyNoteInADirectoryBesideFlatNotesIsRejected() {
        evidenceExists();
        // "00/" sorts first, so JGit would read the top level as fan-out directories and skip every flat note
        ObjectId zeroes = gitops.repo().mktree().file("0".repeat(38), "").create();
        ObjectId tree = gitops.repo().mktree().tree("00", zeroes)
                .entry(staging.name(), FileMode.REGULAR_FILE, stagingNote()).create();

        assertTampered(pushNotesTree(tree), "beside fan-out directories ('00/')");
    }

    @Test
    void aNoteNamedInUpperCaseIsRejected() {
        evidenceExists();
        String failed = failedRerun();
        String upperCase = staging.name().toUpperCase(Locale.ROOT);
        ObjectId tree = gitops.repo().mktree().file(upperCase, failed + "\n").file(staging.name(), existing + "\n")
                .create();

        assertTampered(pushNotesTree(tree), "'" + upperCase + "' is not named by lower-case hex digits");
    }

    @Test
    void aNoteNamedTwiceIsRejected() {
        evidenceExists();
        String failed = failedRerun();
        ObjectId tree = gitops.repo().mktree().file(staging.name(), failed + "\n")
                .file(staging.name(), existing + "\n").create();

        assertTampered(pushNotesTree(tree), "'" + staging.name() + "' appears twice");
    }

    @Test
    void aNameThatIsNotHexIsRejected() {
        evidenceExists();
        String notHex = "g" + staging.name().substring(1);

        assertTampered(pushNotesTree(besideTheStagingNote(notHex, FileMode.REGULAR_FILE, stagingNote())),
                "'" + notHex + "' is not named by lower-case hex digits");
    }

    /**
     * A name planted past the hook whose non-ASCII character JGit's {@code ObjectId.isId} takes
     * for a hex digit (it casts each char to a byte: U+0462 reads as 'b'): removing it must be
     * judged, not end in an exception.
     */
    @Test
    void removingAnEntryPlantedUnderANonAsciiNameIsJudged() {
        evidenceExists();
        String planted = staging.name().substring(0, 20) + "\u0462" + staging.name().substring(21);
        gitops.repo().setRef(NOTES, gitops.repo().commitTree(
                besideTheStagingNote(planted, FileMode.REGULAR_FILE, stagingNote()), gitops.repo().refOrNull(NOTES)));
        ObjectId withoutIt = gitops.repo().mktree()
                .entry(staging.name(), FileMode.REGULAR_FILE, stagingNote()).create();

        assertAccepted(pushNotesTree(withoutIt));
    }

    @Test
    void aDirectoryWhereANoteBelongsIsRejected() {
        evidenceExists();
        RevCommit develop = gitops.tip("develop");
        ObjectId emptyTree = gitops.repo().mktree().create();

        assertTampered(pushNotesTree(besideTheStagingNote(develop.name(), FileMode.TREE, emptyTree)),
                "'" + develop.name() + "' is a directory where a note (a file) belongs");
    }

    @Test
    void aSubmoduleLinkWhereANoteBelongsIsRejected() {
        evidenceExists();
        RevCommit develop = gitops.tip("develop");
        ObjectId missing = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");

        assertTampered(pushNotesTree(besideTheStagingNote(develop.name(), FileMode.GITLINK, missing)),
                "'" + develop.name() + "' is a submodule link where a note (a file) belongs");
    }

    @Test
    void aSymbolicLinkWhereANoteBelongsIsRejected() {
        evidenceExists();
        RevCommit develop = gitops.tip("develop");
        // JGit would read the link's blob as a note, git would not
        ObjectId record = gitops.repo().writeBlob(line(develop, "ci-bot", NOW) + "\n");

        assertTampered(pushNotesTree(besideTheStagingNote(develop.name(), FileMode.SYMLINK, record)),
                "'" + develop.name() + "' is a symbolic link where a note (a file) belongs");
    }

    @Test
    void aNoteEntryNamingATreeIsRejected() {
        evidenceExists();
        RevCommit develop = gitops.tip("develop");

        assertTampered(pushNotesTree(besideTheStagingNote(develop.name(), FileMode.REGULAR_FILE, develop.getTree())),
                "new evidence on " + develop.abbreviate(12).name() + " refused: not valid evidence (the note is a"
                        + " tree, not a blob)");
    }

    @Test
    void anEmptyNoteOnAMissingObjectIsRejected() {
        evidenceExists();
        ObjectId missing = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");

        assertTampered(pushNotesTree(besideTheStagingNote(missing.name(), FileMode.REGULAR_FILE,
                gitops.repo().writeBlob(""))), "new evidence on 0123456789ab refused: the note is attached to an"
                + " object that is not a commit in this repository");
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

    @Test
    void anApprovalByThePusherIsAccepted() {
        evidenceExists(GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: [ci-bot, alice]"));
        gitops.as("alice");

        assertAccepted(pushAppended(staging, MissingApprovalRuleTest.approval(staging, "production", "alice",
                "approved", NOW.minusSeconds(60))));
    }

    @Test
    void anUnsignedApprovalForSomeoneElseIsRejected() {
        evidenceExists(GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: [ci-bot, alice]"));
        gitops.as("alice");

        assertTampered(pushAppended(staging, MissingApprovalRuleTest.approval(staging, "production", "bob",
                "approved", NOW.minusSeconds(60))), "approver 'bob' is not the pusher 'alice'",
                "sign the record (--sign-key) to push it on someone's behalf");
    }

    @Test
    void anApprovalWithAnOverlongCommentIsRejected() {
        evidenceExists();
        gitops.as("alice");
        String line = MissingApprovalRuleTest.approval(staging, "production", "alice", "approved",
                NOW.minusSeconds(60)).replace("looks good", "x".repeat(1001));

        assertTampered(pushAppended(staging, line), "comment is longer than 1000 characters");
    }

    @Test
    void removingAnApprovalIsRejected() {
        evidenceExists();
        gitops.as("alice");
        String approval = MissingApprovalRuleTest.approval(staging, "production", "alice", "approved",
                NOW.minusSeconds(60));
        gitops.repo().addNote(NOTES, staging, approval);

        assertTampered(pushReplaced(staging, existing), "removes or changes an evidence record");
    }

    @Test
    void aSignatureThatIsNoArmoredSshSignatureIsRejected() {
        evidenceExists();
        String line = existing.substring(0, existing.length() - 1).replace(NOW.minusSeconds(3600).toString(),
                NOW.minusSeconds(60).toString()) + ",\"signature\":\"garbage\"}";

        assertTampered(pushAppended(staging, line), "signature must be an armored SSH signature");
    }

    /** alice's and bob's keys, made once for the signed-line tests. */
    @TempDir
    static Path keys;

    private static SshKeys.Key aliceKey;
    private static SshKeys.Key bobKey;

    @BeforeAll
    static void makeKeys() {
        aliceKey = SshKeys.generate(keys, "alice");
        bobKey = SshKeys.generate(keys, "bob");
    }

    /** Signatures required, alice's key listed for alice: the allowed-signers file on every branch. */
    private void signedEvidenceExists(String signatures) {
        evidenceExists(GitOpsFixture.POLICY.replace("  writers: [ci-bot]\n", "  writers: [ci-bot, alice]\n"
                + "  signatures: " + signatures + "\n  allowedSigners: .stagegate/allowed_signers\n"));
        gitops.commitOnEveryBranch(".stagegate/allowed_signers", "alice " + aliceKey.publicKey() + "\n");
    }

    private String signedApproval(SshKeys.Key key, String approver) throws IOException {
        return SshKeygenSigner.signLine(key.privateKey(), MissingApprovalRuleTest.approval(staging, "production",
                approver, "approved", NOW.minusSeconds(60)));
    }

    @Test
    void aWriterMayPushAnApprovalSignedByTheApprover() throws IOException {
        signedEvidenceExists("required");

        assertAccepted(pushAppended(staging, signedApproval(aliceKey, "alice")));
    }

    @Test
    void aSignatureByAKeyNotListedForTheApproverIsRejected() throws IOException {
        signedEvidenceExists("required");

        assertTampered(pushAppended(staging, signedApproval(aliceKey, "bob")),
                "its signature does not verify under .stagegate/policy.yaml", "'bob'");
        assertTampered(pushAppended(staging, signedApproval(bobKey, "alice")),
                "its signature does not verify under .stagegate/policy.yaml");
    }

    @Test
    void aSignedLineChangedAfterSigningIsRejected() throws IOException {
        signedEvidenceExists("optional");
        String tampered = signedApproval(aliceKey, "alice").replace("\"approved\"", "\"rejected\"");

        assertTampered(pushAppended(staging, tampered), "its signature does not verify", "changed after signing");
    }

    @Test
    void underRequiredSignaturesAnUnsignedLineOfThePusherMayStillBePushed() {
        signedEvidenceExists("required");
        gitops.as("alice");

        assertAccepted(pushAppended(staging, MissingApprovalRuleTest.approval(staging, "production", "alice",
                "approved", NOW.minusSeconds(60))));
    }

    @Test
    void withSignaturesOffASignedLineIsJudgedAsUnsigned() throws IOException {
        evidenceExists(GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: [ci-bot, alice]"));

        assertTampered(pushAppended(staging, signedApproval(aliceKey, "alice")),
                "approver 'alice' is not the pusher 'ci-bot'");
    }

    @Test
    void aKeyTrustedOnOneBranchCannotVouchForRecordsAPolicyWithoutSignaturesCounts() throws IOException {
        String writers = GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: [ci-bot, alice]");
        evidenceExists(writers);
        failedRerun();
        // develop's policy turns signatures on and lists alice's key for ci-bot; production's does not sign
        gitops.repo().commitOn("develop").parents(gitops.tip("develop")).filesOf(gitops.tip("develop"))
                .file(".stagegate/policy.yaml", writers.replace("  writers: [ci-bot, alice]\n",
                        "  writers: [ci-bot, alice]\n  signatures: optional\n"
                                + "  allowedSigners: .stagegate/allowed_signers\n"))
                .file(".stagegate/allowed_signers", "ci-bot " + aliceKey.publicKey() + "\n").commitTo("develop");
        gitops.as("alice");
        String forged = SshKeygenSigner.signLine(aliceKey.privateKey(),
                line(staging, "ci-bot", NOW.minusSeconds(60)));

        assertTampered(pushAppended(staging, forged), "producer 'ci-bot' is not the pusher 'alice'",
                "only where every policy that reads refs/notes/stagegate sets evidence.signatures");
    }
}
