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
import dev.stagegate.PromotionRequest;
import dev.stagegate.Validator;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's production requires 'integration' evidence from staging; every test promotes
 * a change through staging and then judges staging -> main against the evidence it records.
 */
class MissingEvidenceRuleTest {

    private static final String RULE = "missing-evidence";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private void stagingCarriesAChange(String policy) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
    }

    private void stagingCarriesAChange() {
        stagingCarriesAChange(GitOpsFixture.POLICY);
    }

    private void record(ObjectId commit, String environment, String suite, String result, Instant at,
            String producer) {
        gitops.repo().addNote(NOTES, commit, evidence(commit, environment, suite, result, at, producer));
    }

    private void recordOnStaging(String result, Instant at) {
        record(gitops.tip("staging"), "staging", "integration", result, at, "ci-bot");
    }

    private Outcome promoteToMain() {
        return gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    private static void assertMissingEvidence(Outcome outcome, String messageFragment) {
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/main");
            assertThat(v.environment()).isEqualTo("production");
            assertThat(v.message()).contains(messageFragment);
        });
    }

    @Test
    void aPassingRecordIsAccepted() {
        stagingCarriesAChange();
        recordOnStaging("passed", NOW.minusSeconds(3600));

        assertAccepted(promoteToMain());
    }

    @Test
    void noRecordIsRejectedWithTheCommandThatRecordsOne() {
        stagingCarriesAChange();

        Outcome outcome = promoteToMain();

        assertMissingEvidence(outcome, "no 'integration' evidence from staging for the promoted content");
        assertThat(render(outcome)).contains("stagegate evidence record --commit "
                + gitops.tip("staging").name() + " --environment staging --suite integration");
    }

    /**
     * A CI checkout fetches no notes: the pull-request check then says first that they were not
     * fetched and how to fetch them, not how to record a run that may well be recorded.
     */
    @Nested
    class WithoutAnyNotesRef {

        private static final String NOT_FETCHED = "the evidence notes were not fetched (this clone has no"
                + " refs/notes/stagegate at all): git fetch origin '+refs/notes/*:refs/notes/*', then check again";

        private Outcome checkPullRequest(String source) {
            return new Validator(Clock.fixed(NOW, ZoneOffset.UTC)).checkPromotion(
                    new PromotionRequest(gitops.repo().directory(), "main", source, Optional.empty()));
        }

        @Test
        void thePullRequestCheckLeadsWithFetchingThem() {
            stagingCarriesAChange();

            Outcome outcome = checkPullRequest("staging");

            assertMissingEvidence(outcome, "no 'integration' evidence from staging for the promoted content");
            assertThat(violations(outcome, RULE).get(0).message()).startsWith(NOT_FETCHED)
                    .doesNotContain("stagegate evidence record");
        }

        @Test
        void contentThatWasNeverInTheEnvironmentIsNotBlamedOnTheNotes() {
            stagingCarriesAChange();
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");

            Outcome outcome = checkPullRequest("develop");

            assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .startsWith("no 'integration' evidence from staging: the promoted content is not in staging")
                    .endsWith("this clone has no refs/notes/stagegate at all: git fetch origin"
                            + " '+refs/notes/*:refs/notes/*'"));
        }

        @Test
        void theHookSaysNothingOfFetching() {
            stagingCarriesAChange();

            Outcome outcome = promoteToMain();

            assertMissingEvidence(outcome, "no 'integration' evidence from staging for the promoted content");
            assertThat(render(outcome)).doesNotContain("fetch");
        }
    }

    @Test
    void aFailedReRunRevokesAnEarlierPass() {
        stagingCarriesAChange();
        recordOnStaging("passed", NOW.minusSeconds(7200));
        recordOnStaging("failed", NOW.minusSeconds(3600));

        assertMissingEvidence(promoteToMain(), "is 'failed'");
    }

    @Test
    void aNewerPassWinsOverAnOlderFailure() {
        stagingCarriesAChange();
        recordOnStaging("failed", NOW.minusSeconds(7200));
        recordOnStaging("passed", NOW.minusSeconds(3600));

        assertAccepted(promoteToMain());
    }

    @Test
    void onATieInRecordedAtFailedWins() {
        stagingCarriesAChange();
        recordOnStaging("passed", NOW.minusSeconds(3600));
        recordOnStaging("failed", NOW.minusSeconds(3600));
        recordOnStaging("passed", NOW.minusSeconds(3600));

        assertMissingEvidence(promoteToMain(), "is 'failed'");
    }

    @Test
    void aPassOlderThanMaxAgeHasExpired() {
        stagingCarriesAChange(GitOpsFixture.POLICY.replace("        environment: staging\n",
                "        environment: staging\n        maxAge: 2h\n"));
        recordOnStaging("passed", NOW.minusSeconds(3 * 3600));

        assertMissingEvidence(promoteToMain(), "older than maxAge 2h");

        recordOnStaging("passed", NOW.minusSeconds(3600));
        assertAccepted(promoteToMain());
    }

    @Test
    void withTrustedProducersOnlyTheirRecordsCount() {
        stagingCarriesAChange(GitOpsFixture.POLICY.replace("evidence:\n  writers: [ci-bot]\n",
                "evidence:\n  writers: [ci-bot]\n  trustedProducers: [ci-bot]\n"));
        record(gitops.tip("staging"), "staging", "integration", "passed", NOW.minusSeconds(3600), "alice");

        assertMissingEvidence(promoteToMain(), "by a trusted producer (ci-bot)");

        recordOnStaging("passed", NOW.minusSeconds(1800));
        assertAccepted(promoteToMain());
    }

    @Test
    void evidenceFollowsTheContentToAnotherCommitOfTheEnvironment() {
        stagingCarriesAChange();
        recordOnStaging("passed", NOW.minusSeconds(3600));
        gitops.repo().commitOn("staging").file("env/values.yaml", "environment: staging\nreplicas: 4\n")
                .commitTo("staging");
        RevCommit squash = gitops.squashPromotion("staging", "main");

        assertAccepted(gitops.push(gitops.update("main", squash)));
    }

    @Test
    void evidenceOnACommitOutsideTheNamedEnvironmentDoesNotCount() {
        stagingCarriesAChange();
        record(gitops.tip("develop"), "staging", "integration", "passed", NOW.minusSeconds(3600), "ci-bot");

        assertMissingEvidence(promoteToMain(), "no 'integration' evidence from staging");
    }

    @Test
    void evidencePushedInTheSamePushDoesNotCount() {
        stagingCarriesAChange();
        RevCommit staging = gitops.tip("staging");
        RevCommit notes = gitops.repo().notesCommit(NOTES, staging,
                evidence(staging, "staging", "integration", "passed", NOW.minusSeconds(60), "ci-bot"));

        Outcome outcome = gitops.as("ci-bot").push(gitops.updateRef(NOTES, notes),
                gitops.update("main", gitops.promotion("staging", "main")));

        assertMissingEvidence(outcome, "no 'integration' evidence from staging");
    }

    @Test
    void aRecordOfAnotherEnvironmentDoesNotCount() {
        stagingCarriesAChange();
        record(gitops.tip("staging"), "testing", "integration", "passed", NOW.minusSeconds(3600), "ci-bot");

        assertMissingEvidence(promoteToMain(), "no 'integration' evidence from staging");
    }

    @Test
    void aRecordOfAnotherSuiteDoesNotCount() {
        stagingCarriesAChange();
        record(gitops.tip("staging"), "staging", "smoke", "passed", NOW.minusSeconds(3600), "ci-bot");

        assertMissingEvidence(promoteToMain(), "no 'integration' evidence from staging");
    }

    @Test
    void invalidLinesAreIgnored() {
        stagingCarriesAChange();
        RevCommit staging = gitops.tip("staging");
        String newerFailureWithAnUnknownField = evidence(staging, "staging", "integration", "failed", NOW, "ci-bot")
                .replace("}", ",\"verdict\":\"bad\"}");
        gitops.repo().addNote(NOTES, staging,
                "this is not JSON",
                "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\"}",
                newerFailureWithAnUnknownField,
                evidence(staging, "staging", "integration", "passed", NOW.minusSeconds(3600), "ci-bot"));

        assertAccepted(promoteToMain());
    }

    @Test
    void onlyInvalidLinesAreNoEvidence() {
        stagingCarriesAChange();
        gitops.repo().addNote(NOTES, gitops.tip("staging"), "{\"result\":\"passed\"}", "passed");

        assertMissingEvidence(promoteToMain(), "no 'integration' evidence from staging");
    }

    @Test
    void aRecordWhoseCommitFieldNamesAnotherCommitDoesNotCount() {
        stagingCarriesAChange();
        gitops.repo().addNote(NOTES, gitops.tip("staging"),
                evidence(gitops.tip("develop"), "staging", "integration", "passed", NOW.minusSeconds(3600), "ci-bot"));

        assertMissingEvidence(promoteToMain(), "no 'integration' evidence from staging");
    }

    @Test
    void anEnvironmentOnlyChangeNeedsNoEvidence() {
        stagingCarriesAChange();
        RevCommit tuning = gitops.change("main", "env/values.yaml", "environment: production\nreplicas: 10\n");

        assertAccepted(gitops.push(gitops.update("main", tuning)));
    }

    private static final String SOAKING = GitOpsFixture.POLICY.replace("        environment: staging\n",
            "        environment: staging\n        minAge: 24h\n");

    private static Instant hoursAgo(double hours) {
        return NOW.minusSeconds((long) (hours * 3600));
    }

    @Test
    void contentThatHasNotSoakedLongEnoughSaysWhenItWillBeReady() {
        stagingCarriesAChange(SOAKING);
        recordOnStaging("passed", NOW.minusSeconds(3 * 3600 + 10 * 60));

        assertMissingEvidence(promoteToMain(), "'integration' evidence from staging passes, but has soaked only 3h10m"
                + " of 1d in staging (passing since " + NOW.minusSeconds(3 * 3600 + 10 * 60) + "); ready at "
                + NOW.plusSeconds(20 * 3600 + 50 * 60));
    }

    @Test
    void contentThatSoakedLongEnoughIsAccepted() {
        stagingCarriesAChange(SOAKING);
        recordOnStaging("passed", hoursAgo(25));

        assertAccepted(promoteToMain());
    }

    @Test
    void aFailureRestartsTheSoak() {
        stagingCarriesAChange(SOAKING);
        recordOnStaging("passed", hoursAgo(30));
        recordOnStaging("failed", hoursAgo(10));
        recordOnStaging("passed", hoursAgo(2));

        assertMissingEvidence(promoteToMain(), "passing since " + hoursAgo(2));
    }

    @Test
    void theSoakRunsFromTheOldestPassAfterTheLastFailure() {
        stagingCarriesAChange(SOAKING);
        recordOnStaging("failed", hoursAgo(30));
        recordOnStaging("passed", hoursAgo(26));
        recordOnStaging("passed", hoursAgo(1));

        assertAccepted(promoteToMain());
    }

    @Test
    void aPassAtTheSameInstantAsAFailureDoesNotStartTheSoak() {
        stagingCarriesAChange(SOAKING);
        recordOnStaging("failed", hoursAgo(30));
        recordOnStaging("passed", hoursAgo(30));
        recordOnStaging("passed", hoursAgo(3));

        assertMissingEvidence(promoteToMain(), "passing since " + hoursAgo(3));
    }

    @Test
    void underRequiredSignaturesUnsignedEvidenceDoesNotCount() {
        String policy = GitOpsFixture.POLICY.replace("  writers: [ci-bot]\n",
                "  writers: [ci-bot]\n  signatures: required\n  allowedSigners: .stagegate/allowed_signers\n");
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.commitOnEveryBranch(".stagegate/allowed_signers", "# no keys yet\n");
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        recordOnStaging("passed", NOW.minusSeconds(60));

        assertMissingEvidence(promoteToMain(), "1 record does not count under evidence.signatures: not signed");
    }
}
