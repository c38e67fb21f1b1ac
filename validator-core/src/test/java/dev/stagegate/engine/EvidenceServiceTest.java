package dev.stagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.Validator;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.evidence.EvidenceResult;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceServiceTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;
    Validator validator;

    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        validator = new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private EvidenceRequest request(String commit, Optional<EvidenceResult> result, List<Path> reports) {
        return new EvidenceRequest(gitops.repo().directory(), commit, "staging", "integration", result, reports,
                Optional.of("ci-bot"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void recordsFromJUnitReportsAndTheRecordCountsForTheHook() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(reports.resolve("TEST-it.xml"), "<testsuite tests=\"4\" failures=\"0\" errors=\"0\"/>");

        Outcome outcome = validator.recordEvidence(request("staging", Optional.empty(), List.of(reports)));

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().notes()).anyMatch(n -> n.contains("'integration' passed in staging"));
        try (RevWalk walk = new RevWalk(gitops.repo().repository())) {
            EvidenceStore store = EvidenceStore.open(walk,
                    Optional.of(gitops.repo().repository().resolve(GitOpsFixture.NOTES)));
            assertThat(store.records(gitops.tip("staging"))).singleElement()
                    .satisfies(r -> assertThat(r.counts()).containsEntry("tests", 4L));
        }
        Outcome promotion = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(promotion.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void recordsTheTimeToTheSecond() throws Exception {
        Validator microsecondClock = new Validator(Clock.fixed(GitOpsFixture.NOW.plusNanos(123_456_000), ZoneOffset.UTC));

        microsecondClock.recordEvidence(request("staging", Optional.of(EvidenceResult.PASSED), List.of()));

        try (RevWalk walk = new RevWalk(gitops.repo().repository())) {
            EvidenceStore store = EvidenceStore.open(walk,
                    Optional.of(gitops.repo().repository().resolve(GitOpsFixture.NOTES)));
            assertThat(store.records(gitops.tip("staging"))).singleElement()
                    .satisfies(r -> assertThat(r.recordedAt()).isEqualTo(GitOpsFixture.NOW));
        }
    }

    @Test
    void appendsToAnExistingNote() {
        validator.recordEvidence(request("staging", Optional.of(EvidenceResult.PASSED), List.of()));
        validator.recordEvidence(request("staging", Optional.of(EvidenceResult.FAILED), List.of()));

        EvidenceListing listing = validator.listEvidence(gitops.repo().directory(), Optional.of("staging"), Optional.empty(),
                Optional.empty());

        assertThat(listing.entries()).hasSize(2);
        assertThat(listing.entries()).allMatch(e -> e.line().record().isPresent());
    }

    @Test
    void refusesACommitNoBranchCarries() {
        RevCommit synthetic = gitops.repo().commitOn("staging").file("x", "y").message("merge ref").create();
        Outcome outcome = validator.recordEvidence(request(synthetic.name(), Optional.of(EvidenceResult.PASSED), List.of()));
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations().get(0).message()).contains("on no remote branch");
    }

    @Test
    void pushesTheFirstEvidenceToARemoteThatHasNoNotesYet() throws Exception {
        Path clone = dir.resolve("clone");
        Git.cloneRepository().setURI(gitops.repo().directory().toUri().toString()).setDirectory(clone.toFile())
                .setBare(false).call().close();

        Outcome outcome = validator.recordEvidence(new EvidenceRequest(clone, "origin/staging", "staging", "integration",
                Optional.of(EvidenceResult.PASSED), List.of(), Optional.of("ci-bot"), Optional.empty(),
                Optional.of("origin"), Optional.empty()));

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(gitops.repo().repository().resolve(GitOpsFixture.NOTES)).isNotNull();
        EvidenceListing onServer = validator.listEvidence(gitops.repo().directory(), Optional.of("staging"),
                Optional.empty(), Optional.empty());
        assertThat(onServer.entries()).singleElement().satisfies(e -> assertThat(e.line().record()).isPresent());
    }

    @Test
    void refusesTheSyntheticMergeCommitOfAPullRequestCheckout() throws Exception {
        Path clone = dir.resolve("clone");
        Git.cloneRepository().setURI(gitops.repo().directory().toUri().toString()).setDirectory(clone.toFile())
                .call().close();
        RevCommit merge = gitops.repo().commitOn("main").parents(gitops.tip("main"), gitops.tip("develop"))
                .message("Merge pull request #1").create();
        gitops.repo().setRef("refs/pull/1/merge", merge);
        try (Git git = Git.open(clone.toFile())) {
            git.fetch().setRefSpecs("refs/pull/1/merge:refs/remotes/pull/1/merge").call();
        }

        Outcome outcome = validator.recordEvidence(new EvidenceRequest(clone, "refs/remotes/pull/1/merge", "staging",
                "integration", Optional.of(EvidenceResult.PASSED), List.of(), Optional.of("ci-bot"), Optional.empty(),
                Optional.empty(), Optional.empty()));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations().get(0).message()).contains("on no remote branch");
    }

    @Test
    void refusesAnEnvironmentThePolicyDoesNotDefine() {
        EvidenceRequest unknown = new EvidenceRequest(gitops.repo().directory(), "staging", "qa", "integration",
                Optional.of(EvidenceResult.PASSED), List.of(), Optional.of("ci-bot"), Optional.empty(), Optional.empty(),
                Optional.empty());
        Outcome outcome = validator.recordEvidence(unknown);
        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.usageMessage()).contains("environment 'qa' is not defined in the policy; environments: "
                + "development, testing, staging, production");
    }

    @Test
    void aMisspeltEnvironmentIsAUsageErrorThatSaysWhichOneWasMeant() {
        EvidenceRequest misspelt = new EvidenceRequest(gitops.repo().directory(), "staging", "stagin", "integration",
                Optional.of(EvidenceResult.PASSED), List.of(), Optional.of("ci-bot"), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(validator.recordEvidence(misspelt).usageMessage().orElseThrow()).endsWith("(did you mean 'staging'?)");
    }

    @Test
    void anUnknownCommitIsAUsageErrorThatNamesTheRepository() {
        Outcome outcome = validator.recordEvidence(request("no-such-commit", Optional.of(EvidenceResult.PASSED),
                List.of()));
        assertThat(outcome.usageMessage().orElseThrow()).startsWith("commit 'no-such-commit' does not exist in ")
                .contains(gitops.repo().directory().toString());
    }

    @Test
    void refusesWithoutAProducer() {
        EvidenceRequest anonymous = new EvidenceRequest(gitops.repo().directory(), "staging", "staging", "integration",
                Optional.of(EvidenceResult.PASSED), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        Outcome outcome = validator.recordEvidence(anonymous);
        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.usageMessage().orElseThrow()).contains("--producer");
    }

    @Test
    void listsInvalidLinesToo() {
        gitops.repo().addNote(GitOpsFixture.NOTES, gitops.tip("test"), "garbage");
        EvidenceListing listing = validator.listEvidence(gitops.repo().directory(), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(listing.entries()).singleElement().satisfies(e -> assertThat(e.line().problem()).isPresent());
    }

    @Test
    void recordSignsWithTheKeyGivenAndListVerifiesItWithTheAllowedSignersGiven() throws Exception {
        SshKeys.Key ciKey = SshKeys.generate(dir.resolve("keys"), "ci");
        Path allowedSigners = Files.writeString(dir.resolve("allowed_signers"), ciKey.allowedSignersLine("ci-bot"));
        EvidenceRequest signed = new EvidenceRequest(gitops.repo().directory(), "staging", "staging", "integration",
                Optional.of(EvidenceResult.PASSED), List.of(), Optional.of("ci-bot"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(ciKey.privateKey()));

        Outcome outcome = validator.recordEvidence(signed);

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().notes()).first().asString().contains(", signed");
        EvidenceListing verified = validator.listEvidence(gitops.repo().directory(), Optional.of("staging"),
                Optional.empty(), Optional.of(allowedSigners));
        assertThat(verified.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.line().evidence().orElseThrow().signature()).isPresent();
            assertThat(entry.signature()).hasValueSatisfying(check -> {
                assertThat(check.verified()).isTrue();
                assertThat(check.principal()).contains("ci-bot");
                assertThat(check.fingerprint()).hasValueSatisfying(f -> assertThat(f).startsWith("SHA256:"));
            });
        });
        // the fixture's policy names no allowed-signers file: nothing verifies, and the listing says why
        EvidenceListing unverified = validator.listEvidence(gitops.repo().directory(), Optional.of("staging"),
                Optional.empty(), Optional.empty());
        assertThat(unverified.entries()).singleElement().satisfies(entry -> assertThat(entry.signature())
                .hasValueSatisfying(check -> {
                    assertThat(check.verified()).isFalse();
                    assertThat(check.reason()).contains("'ci-bot' has no line");
                }));
    }

    @Test
    void aCountNoSignatureCanCoverIsAClearRefusalAndNothingIsRecorded() throws Exception {
        SshKeys.Key ciKey = SshKeys.generate(dir.resolve("keys"), "ci");
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(reports.resolve("TEST-it.xml"),
                "<testsuite tests=\"9007199254740993\" failures=\"0\" errors=\"0\"/>");
        EvidenceRequest signed = new EvidenceRequest(gitops.repo().directory(), "staging", "staging", "integration",
                Optional.empty(), List.of(reports), Optional.of("ci-bot"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(ciKey.privateKey()));

        Outcome outcome = validator.recordEvidence(signed);

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.verdict().violations()).singleElement().satisfies(v -> assertThat(v.message())
                .startsWith("the record cannot be signed: ").endsWith("; nothing recorded"));
        assertThat(gitops.repo().repository().resolve(GitOpsFixture.NOTES)).isNull();
    }

    @Test
    void listRefusesAnAllowedSignersFileWithAMalformedLine() throws Exception {
        Path allowedSigners = Files.writeString(dir.resolve("allowed_signers"), "ci-bot ssh-ed25519 not-base64!\n");

        EvidenceListing listing = validator.listEvidence(gitops.repo().directory(), Optional.empty(), Optional.empty(),
                Optional.of(allowedSigners));

        assertThat(listing.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(listing.error()).hasValueSatisfying(error -> assertThat(error).startsWith(allowedSigners + ":1: "));
    }
}
