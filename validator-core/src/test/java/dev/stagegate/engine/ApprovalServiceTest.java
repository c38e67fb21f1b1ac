package dev.stagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.Validator;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ApprovalService} through {@link Validator#approve}: which commits and environments it takes, and what it writes. */
class ApprovalServiceTest {

    private static final String ONE_APPROVAL = GitOpsFixture.policyWithProduction("""
            requiresApproval:
              count: 1
              from: [alice, bob]""");

    @TempDir
    Path dir;

    private GitOpsFixture gitops;
    private final Validator validator = new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        if (gitops != null) {
            gitops.close();
        }
    }

    private ApprovalRequest request(String environment, Optional<String> commit, String approver) {
        return new ApprovalRequest(gitops.repo().directory(), environment, commit, ApprovalRecord.Decision.APPROVED,
                Optional.empty(), Optional.of(approver), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Staging carries a change main does not have yet, with its integration evidence. */
    private void stagingCarriesAChange(String policy) {
        stagingCarriesAChange(policy, Optional.empty());
    }

    /** The same, with an allowed-signers file on main (the default branch) and in the change. */
    private void stagingCarriesAChange(String policy, Optional<String> allowedSigners) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        allowedSigners.ifPresent(signers -> gitops.repo().commitOn("main").file(".stagegate/allowed_signers", signers)
                .message("allowed signers").commitTo("main"));
        var change = gitops.repo().commitOn("develop").file("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        allowedSigners.ifPresent(signers -> change.file(".stagegate/allowed_signers", signers));
        change.author("someone@example.com").message("raise replicas").commitTo("develop");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        gitops.passEvidence("staging", "integration");
    }

    private static List<String> messages(Outcome outcome) {
        return outcome.verdict().violations().stream().map(dev.stagegate.report.Violation::message).toList();
    }

    /** The approval lines on {@code commit}. */
    private List<NoteLine> approvalsOn(ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(gitops.repo().repository())) {
            return EvidenceStore.open(walk, Optional.ofNullable(notes())).lines(commit).stream()
                    .filter(line -> line.approval().isPresent()).toList();
        }
    }

    private ObjectId notes() throws IOException {
        return gitops.repo().repository().resolve(GitOpsFixture.NOTES);
    }

    @Test
    void approvesTheTipOfTheOneUpstreamByDefaultAndThePromotionThenHasItsApproval() throws IOException {
        stagingCarriesAChange(ONE_APPROVAL);
        Outcome before = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(GitOpsFixture.violations(before, "missing-approval")).as(GitOpsFixture.render(before)).hasSize(1);

        Outcome approve = validator.approve(request("production", Optional.empty(), "bob"));

        assertThat(approve.status()).as(approve.toString()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(approve.verdict().notes()).first().asString().startsWith("recorded approval of "
                + gitops.tip("staging").name() + " into production by bob (refs/notes/stagegate)");
        assertThat(approvalsOn(gitops.tip("staging"))).singleElement().satisfies(line -> assertThat(line.approval())
                .hasValueSatisfying(record -> {
                    assertThat(record.approver()).isEqualTo("bob");
                    assertThat(record.approved()).isTrue();
                    assertThat(record.recordedAt()).isEqualTo(GitOpsFixture.NOW);
                    assertThat(record.signature()).isEmpty();
                }));
        Outcome after = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(after.status()).as(GitOpsFixture.render(after)).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void aRejectionWithItsCommentBlocksThePromotion() throws IOException {
        stagingCarriesAChange(ONE_APPROVAL);
        validator.approve(request("production", Optional.empty(), "alice"));

        Outcome reject = validator.approve(new ApprovalRequest(gitops.repo().directory(), "production",
                Optional.of("staging"), ApprovalRecord.Decision.REJECTED, Optional.of("the canary is failing"),
                Optional.of("bob"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(reject.status()).as(reject.toString()).isEqualTo(ExitStatus.ACCEPTED);
        Outcome promotion = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(GitOpsFixture.violations(promotion, "missing-approval")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("rejected by bob", "the canary is failing"));
    }

    @Test
    void refusesACommitInNoUpstreamEnvironmentAndWritesNothing() throws IOException {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), ONE_APPROVAL);

        Outcome outcome = validator.approve(request("production", Optional.of("develop"), "bob"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(messages(outcome)).singleElement().asString().contains(
                "commit " + gitops.tip("develop").name() + " is in no upstream environment of production",
                "the first 200 first-parent ancestors of refs/heads/staging");
        assertThat(gitops.repo().repository().resolve(GitOpsFixture.NOTES)).isNull();
    }

    @Test
    void refusesAnEnvironmentThePolicyDoesNotDefineAndAnEntryEnvironment() throws IOException {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), ONE_APPROVAL);

        Outcome unknown = validator.approve(request("prod", Optional.empty(), "bob"));
        Outcome entry = validator.approve(request("development", Optional.of("develop"), "bob"));

        assertThat(unknown.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(unknown.usageMessage()).contains("environment 'prod' is not defined in the policy; environments:"
                + " development, testing, staging, production (did you mean 'production'?)");
        assertThat(entry.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(messages(entry)).singleElement().asString().contains("'development' is an entry environment");
        assertThat(gitops.repo().repository().resolve(GitOpsFixture.NOTES)).isNull();
    }

    @Test
    void withSeveralUpstreamsTheCommitMustBeGivenAndAnyOfThemTakesIt() throws IOException {
        String policy = GitOpsFixture.POLICY.replace("promotesFrom: staging\n", "promotesFrom: [staging, testing]\n");
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);

        Outcome withoutCommit = validator.approve(request("production", Optional.empty(), "bob"));
        Outcome onTesting = validator.approve(request("production", Optional.of("test"), "bob"));

        assertThat(withoutCommit.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(messages(withoutCommit)).singleElement().asString()
                .contains("production promotes from staging and testing: pass --commit REV");
        assertThat(onTesting.status()).as(onTesting.toString()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(onTesting.verdict().notes()).contains(
                "production has no requiresApproval in the policy, so no promotion waits for this");
        assertThat(approvalsOn(gitops.tip("test"))).hasSize(1);
    }

    @Test
    void refusesAnApprovalWithoutApproverOrWithAnOverlongComment() throws IOException {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), ONE_APPROVAL);

        Outcome anonymous = validator.approve(new ApprovalRequest(gitops.repo().directory(), "production",
                Optional.empty(), ApprovalRecord.Decision.APPROVED, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        Outcome overlong = validator.approve(new ApprovalRequest(gitops.repo().directory(), "production",
                Optional.empty(), ApprovalRecord.Decision.APPROVED, Optional.of("x".repeat(1001)), Optional.of("bob"),
                Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(anonymous.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(messages(anonymous)).singleElement().asString().contains("no approver: pass --approver ID");
        assertThat(overlong.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(messages(overlong)).singleElement().asString().contains("comment is longer than 1000");
        assertThat(gitops.repo().repository().resolve(GitOpsFixture.NOTES)).isNull();
    }

    @Test
    void signsWithTheKeyGivenAndTheSignatureVerifiesWithThePolicysAllowedSigners() throws IOException {
        SshKeys.Key alice = SshKeys.generate(dir.resolve("keys"), "alice");
        signedPolicy(alice.allowedSignersLine("alice"));

        Outcome outcome = validator.approve(signed("alice", alice.privateKey()));

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(ExitStatus.ACCEPTED);
        NoteLine line = approvalsOn(gitops.tip("staging")).get(0);
        assertThat(line.approval()).hasValueSatisfying(record -> assertThat(record.signature()).isPresent());
        assertThat(SignaturePolicy.verify(line.record().orElseThrow(), line.text(),
                Optional.of(AllowedSigners.parse(alice.allowedSignersLine("alice"), "allowed_signers"))).verified())
                .isTrue();
        // the fixture's evidence is unsigned and does not count under signatures: required; the approval does
        Outcome promotion = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(GitOpsFixture.violations(promotion, "missing-approval")).as(GitOpsFixture.render(promotion)).isEmpty();
        assertThat(GitOpsFixture.violations(promotion, "missing-evidence")).hasSize(1);
    }

    @Test
    void refusesToWriteASignatureThePolicysAllowedSignersWouldNotVerify() throws IOException {
        SshKeys.Key alice = SshKeys.generate(dir.resolve("keys"), "alice");
        SshKeys.Key mallory = SshKeys.generate(dir.resolve("keys"), "mallory");
        signedPolicy(alice.allowedSignersLine("alice"));
        ObjectId before = notes();

        Outcome outcome = validator.approve(signed("alice", mallory.privateKey()));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(messages(outcome)).singleElement().asString().contains(
                "the signature does not verify with the policy's allowed signers: key SHA256:",
                "is not listed for 'alice'", "nothing is recorded");
        assertThat(notes()).isEqualTo(before);
    }

    @Test
    void aKeySshKeygenCannotUseIsAUsageErrorWithItsMessageAndNothingIsWritten() throws IOException {
        SshKeys.Key alice = SshKeys.generate(dir.resolve("keys"), "alice");
        signedPolicy(alice.allowedSignersLine("alice"));
        Path notAKey = Files.writeString(dir.resolve("not-a-key"), "hello\n");
        Files.setPosixFilePermissions(notAKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ObjectId before = notes();

        Outcome garbage = validator.approve(signed("alice", notAKey));
        Outcome missing = validator.approve(signed("alice", dir.resolve("no-such-key")));

        assertThat(garbage.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(messages(garbage)).singleElement().asString()
                .contains("ssh-keygen could not sign with " + notAKey, "nothing recorded");
        assertThat(missing.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(messages(missing)).singleElement().asString()
                .contains("--sign-key " + dir.resolve("no-such-key") + " is not a file");
        assertThat(notes()).isEqualTo(before);
    }

    /** Production needs one approval from alice or bob, signed, with the allowed signers committed on main. */
    private void signedPolicy(String allowedSigners) {
        stagingCarriesAChange(GitOpsFixture.policyWithProduction("""
                requiresApproval:
                  count: 1
                  from: [alice, bob]""").replace("  writers: [ci-bot]\n", """
                  writers: [ci-bot]
                  signatures: required
                  allowedSigners: .stagegate/allowed_signers
                """), Optional.of(allowedSigners));
    }

    private ApprovalRequest signed(String approver, Path key) {
        return new ApprovalRequest(gitops.repo().directory(), "production", Optional.empty(),
                ApprovalRecord.Decision.APPROVED, Optional.empty(), Optional.of(approver), Optional.of(key),
                Optional.empty(), Optional.empty());
    }
}
