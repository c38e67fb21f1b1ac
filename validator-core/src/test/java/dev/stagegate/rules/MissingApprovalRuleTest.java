package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.signature.SshKeygenSigner;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production needs two approvals from release-managers (alice, bob, carol) or dana; every test
 * brings a change to staging and judges staging -> main against the approvals it records.
 */
class MissingApprovalRuleTest {

    private static final String RULE = "missing-approval";
    private static final Instant EARLIER = NOW.minus(Duration.ofHours(2));

    static final String POLICY = GitOpsFixture.POLICY.replace("""
                requiresEvidence:
                  - suite: integration
                    environment: staging
            """, """
                requiresApproval:
                  count: 2
                  from: [release-managers, dana]
                  maxAge: 3d
            """) + """
            groups:
              release-managers: [alice, bob, carol]
            identities:
              alice: [alice@example.com]
              bob: [bob@example.com]
              carol: [carol@example.com]
              dana: [dana@example.com]
              eve: [eve@example.com]
            """;

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private void stagingCarriesAChangeBy(String policy, String authorEmail) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.repo().commitOn("develop").file("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n")
                .author(authorEmail).message("raise replicas").commitTo("develop");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
    }

    private void stagingCarriesAChange() {
        stagingCarriesAChangeBy(POLICY, "someone@example.com");
    }

    static String approval(ObjectId commit, String environment, String approver, String decision, Instant at) {
        return "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + commit.name()
                + "\",\"environment\":\"" + environment + "\",\"approver\":\"" + approver + "\",\"decision\":\""
                + decision + "\",\"recordedAt\":\"" + at + "\",\"comment\":\"looks good\"}";
    }

    private void approveOnStaging(String approver, String decision, Instant at) {
        gitops.repo().addNote(NOTES, gitops.tip("staging"),
                approval(gitops.tip("staging"), "production", approver, decision, at));
    }

    private Outcome promoteToMain() {
        return gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    private static String missingApproval(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        return violations(outcome, RULE).get(0).message();
    }

    @Test
    void twoDistinctApproversFromTheGroupAndByNameAreEnough() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("dana", "approved", EARLIER);

        assertAccepted(promoteToMain());
    }

    @Test
    void noApprovalAtAllNamesWhoIsAwaitedAndTheCommand() {
        stagingCarriesAChange();

        String message = missingApproval(promoteToMain());

        assertThat(message).contains("production needs 2 approvals from release-managers, dana; 0 count")
                .contains("waiting for alice, bob, carol, dana")
                .contains("stagegate approve --environment production --commit " + gitops.tip("staging").name());
    }

    @Test
    void oneApproverTwiceCountsOnce() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("alice", "approved", EARLIER.plusSeconds(60));

        assertThat(missingApproval(promoteToMain())).contains("1 counts (alice)")
                .contains("waiting for bob, carol, dana");
    }

    @Test
    void someoneFromDoesNotNameDoesNotCount() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("eve", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain())).contains("1 counts (alice)")
                .contains("not counted: eve (not named by from (release-managers, dana))");
    }

    @Test
    void theNewestDecisionOfAnApproverDecides() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);
        approveOnStaging("bob", "rejected", EARLIER.plusSeconds(60));

        assertThat(missingApproval(promoteToMain())).startsWith("rejected by bob at " + EARLIER.plusSeconds(60)
                + ": looks good; a rejection blocks");

        approveOnStaging("bob", "approved", EARLIER.plusSeconds(120));
        assertAccepted(promoteToMain());
    }

    @Test
    void onATieARejectionWins() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("dana", "approved", EARLIER);
        approveOnStaging("dana", "rejected", EARLIER);

        assertThat(missingApproval(promoteToMain())).startsWith("rejected by dana");
    }

    @Test
    void aRejectionBlocksEvenWithEnoughApprovals() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);
        approveOnStaging("carol", "rejected", EARLIER);

        assertThat(missingApproval(promoteToMain())).startsWith("rejected by carol");
    }

    @Test
    void anApprovalOlderThanMaxAgeDoesNotCount() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", NOW.minus(Duration.ofDays(4)));

        assertThat(missingApproval(promoteToMain())).contains("1 counts (alice)")
                .contains("bob (too old (recorded " + NOW.minus(Duration.ofDays(4)) + ", maxAge 3d))");
    }

    @Test
    void anApprovalIntoAnotherEnvironmentOrOfOtherContentDoesNotCount() {
        stagingCarriesAChange();
        ObjectId stagingBefore = gitops.tip("staging").getParent(0);
        gitops.repo().addNote(NOTES, gitops.tip("staging"),
                approval(gitops.tip("staging"), "staging", "alice", "approved", EARLIER));
        gitops.repo().addNote(NOTES, stagingBefore, approval(stagingBefore, "production", "bob", "approved", EARLIER));

        assertThat(missingApproval(promoteToMain())).contains("0 count");
    }

    @Test
    void approvalsFollowTheContentAcrossASquashPromotion() {
        stagingCarriesAChange();
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertAccepted(gitops.push(gitops.update("main", gitops.squashPromotion("staging", "main"))));
    }

    @Test
    void anApprovalOnALaterStagingCommitWithTheSameContentCounts() {
        stagingCarriesAChange();
        gitops.repo().commitOn("staging").parents(gitops.tip("staging")).filesOf(gitops.tip("staging"))
                .message("empty commit on staging").commitTo("staging");
        approveOnStaging("alice", "approved", EARLIER);
        ObjectId older = gitops.tip("staging").getParent(0);
        gitops.repo().addNote(NOTES, older, approval(older, "production", "bob", "approved", EARLIER));

        assertAccepted(promoteToMain());
    }

    @Test
    void theAuthorOfAPromotedChangeDoesNotCount() {
        stagingCarriesAChangeBy(POLICY, "ALICE@example.com");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain())).contains("1 counts (bob)")
                .containsPattern("alice \\(the author of promoted change [0-9a-f]{12}\\)")
                .contains("waiting for carol, dana;");
    }

    @Test
    void theCommitterOfAPromotedChangeDoesNotCount() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), POLICY);
        gitops.repo().commitOn("develop").file("apps/web/values.yaml", "replicas: 3\n")
                .committer("dana@example.com").commitTo("develop");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        approveOnStaging("dana", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain())).contains("dana (the committer of promoted change");
    }

    @Test
    void anApproverNamedByTheirEmailIsRecognisedWithoutIdentities() {
        String policy = POLICY.replace("from: [release-managers, dana]", "from: [release-managers, dana@example.com]")
                .replace("  dana: [dana@example.com]\n", "  dana@example.com: [dana@example.com]\n");
        stagingCarriesAChangeBy(policy, "dana@example.com");
        approveOnStaging("dana@example.com", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain())).contains("dana@example.com (the author");
    }

    @Test
    void withNotAuthorOffTheAuthorCounts() {
        stagingCarriesAChangeBy(POLICY.replace("maxAge: 3d", "maxAge: 3d\n      notAuthor: false"),
                "alice@example.com");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertAccepted(promoteToMain());
    }

    @Test
    void withMoreChangesThanTheSearchDepthNoApprovalCountsSinceAuthorsCannotBeTold() {
        String policy = POLICY + "promotion:\n  searchDepth: 3\n";
        stagingCarriesAChangeBy(policy, "alice@example.com");
        for (int i = 0; i < 3; i++) {
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: " + (4 + i) + "\n");
        }
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        // otherwise alice's commit, the oldest, would fall past the bound and she would count
        assertThat(missingApproval(promoteToMain())).isEqualTo("this promotion brings more than 3 changes"
                + " (promotion.searchDepth), so whether an approver wrote one of them cannot be told (notAuthor)"
                + " and no approval counts; promote in smaller steps, or raise promotion.searchDepth");
    }

    @Test
    void withNotAuthorOffTheNumberOfChangesDoesNotMatter() {
        String policy = POLICY.replace("maxAge: 3d", "maxAge: 3d\n      notAuthor: false")
                + "promotion:\n  searchDepth: 3\n";
        stagingCarriesAChangeBy(policy, "alice@example.com");
        for (int i = 0; i < 3; i++) {
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: " + (4 + i) + "\n");
        }
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertAccepted(promoteToMain());
    }

    @Test
    void aBackdatedCommitOfTheAuthorStillCountsAsAPromotedChange() {
        // every promoted change is read, whatever its date: a commit of 1971 is no way out
        String policy = POLICY + "promotion:\n  searchDepth: 20\n";
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 2\n");
        gitops.repo().commitOn("develop").parents(gitops.tip("develop")).filesOf(gitops.tip("develop"))
                .file("apps/web/values.yaml", "replicas: 3\n").author("alice@example.com")
                .committer("alice@example.com").at(Instant.parse("1971-01-01T00:00:00Z")).commitTo("develop");
        gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain())).contains("alice (the author of promoted change");
    }

    @Test
    void anUpdateThatIsNoPromotionNeedsNoApproval() {
        stagingCarriesAChange();

        Outcome outcome = gitops.push(gitops.update("develop", gitops.change("develop", "apps/a/values.yaml",
                "replicas: 1\n")));

        assertAccepted(outcome);
    }

    @Test
    void underRequiredSignaturesAnUnsignedApprovalDoesNotCount() {
        String policy = POLICY.replace("  writers: [ci-bot]\n",
                "  writers: [ci-bot]\n  signatures: required\n  allowedSigners: .stagegate/allowed_signers\n");
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.repo().commitOn("develop").filesOf(gitops.tip("develop"))
                .file(".stagegate/allowed_signers", "# nobody yet\n").parents(gitops.tip("develop"))
                .commitTo("develop");
        for (String branch : new String[] {"test", "staging", "main"}) {
            gitops.repo().commitOn(branch).filesOf(gitops.tip(branch))
                    .file(".stagegate/allowed_signers", "# nobody yet\n").parents(gitops.tip(branch))
                    .commitTo(branch);
        }
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        approveOnStaging("alice", "approved", EARLIER);
        approveOnStaging("bob", "approved", EARLIER);

        assertThat(missingApproval(promoteToMain()))
                .contains("alice (not signed (evidence.signatures is required))");
    }

    @TempDir
    static Path keys;

    private static SshKeys.Key aliceKey;
    private static SshKeys.Key bobKey;

    @BeforeAll
    static void makeKeys() {
        aliceKey = SshKeys.generate(keys, "alice");
        bobKey = SshKeys.generate(keys, "bob");
    }

    /** {@link #POLICY} with signatures set and alice's and bob's keys listed, the change on staging. */
    private void signedStagingCarriesAChange(String signatures) {
        String policy = POLICY.replace("  writers: [ci-bot]\n", "  writers: [ci-bot]\n  signatures: " + signatures
                + "\n  allowedSigners: .stagegate/allowed_signers\n");
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.commitOnEveryBranch(".stagegate/allowed_signers", "alice " + aliceKey.publicKey() + "\nbob "
                + bobKey.publicKey() + "\n");
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
    }

    private void approveSigned(SshKeys.Key key, String approver) throws IOException {
        gitops.repo().addNote(NOTES, gitops.tip("staging"), SshKeygenSigner.signLine(key.privateKey(),
                approval(gitops.tip("staging"), "production", approver, "approved", EARLIER)));
    }

    @Test
    void underRequiredSignaturesVerifiedApprovalsCount() throws IOException {
        signedStagingCarriesAChange("required");
        approveSigned(aliceKey, "alice");
        approveSigned(bobKey, "bob");

        assertAccepted(promoteToMain());
    }

    @Test
    void underOptionalSignaturesAnUnsignedApprovalCountsAndABadlySignedOneDoesNot() throws IOException {
        signedStagingCarriesAChange("optional");
        approveOnStaging("alice", "approved", EARLIER);
        approveSigned(aliceKey, "bob");

        assertThat(missingApproval(promoteToMain())).contains("1 counts (alice)")
                .contains("bob (signature does not verify: ");
    }

    @Test
    void aRejectionThatDoesNotVerifyBlocksNothing() throws IOException {
        signedStagingCarriesAChange("required");
        approveSigned(aliceKey, "alice");
        approveSigned(bobKey, "bob");
        approveOnStaging("carol", "rejected", NOW.minusSeconds(60));

        assertAccepted(promoteToMain());
    }

    private static final String FAN_IN = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: integration
                branch: integration
              - name: staging-eu
                branch: staging-eu
                promotesFrom: integration
              - name: staging-us
                branch: staging-us
                promotesFrom: integration
              - name: production
                branch: main
                promotesFrom: [staging-eu, staging-us]
                requiresApproval:
                  count: 2
                  from: [alice, bob]
            environmentSpecificPaths:
              - "env/**"
            """;

    @Test
    void approvalsOnCommitsOfDifferentUpstreamsWithTheContentCountTogether() {
        gitops = GitOpsFixture.createWithBranches(dir.resolve("fan.git"), FAN_IN,
                List.of("integration", "staging-eu", "staging-us"));
        gitops.repo().commitOn("integration").file("apps/web/values.yaml", "replicas: 3\n").commitTo("integration");
        gitops.promote("integration", "staging-eu");
        gitops.promote("integration", "staging-us");
        gitops.repo().addNote(NOTES, gitops.tip("staging-eu"),
                approval(gitops.tip("staging-eu"), "production", "alice", "approved", EARLIER));
        gitops.repo().addNote(NOTES, gitops.tip("staging-us"),
                approval(gitops.tip("staging-us"), "production", "bob", "approved", EARLIER));

        assertAccepted(gitops.push(gitops.update("main", gitops.promotion("staging-eu", "main"))));
    }
}
