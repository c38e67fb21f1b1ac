package dev.stagegate.engine;

import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.evidence;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushJudgeTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    @Test
    void promotionThroughEveryStageIsAccepted() {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        for (String[] step : new String[][] {{"develop", "test"}, {"test", "staging"}}) {
            RevCommit merge = gitops.promotion(step[0], step[1]);
            Outcome outcome = gitops.push(gitops.update(step[1], merge));
            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
            gitops.repo().setBranch(step[1], merge);
        }
        gitops.passEvidence("staging", "integration");
        Outcome outcome = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void developStraightIntoMainNamesTheSkippedStages() {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        Outcome outcome = gitops.push(gitops.update("main", gitops.promotion("develop", "main")));
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains("skipped-stage", "missing-evidence");
        assertThat(render(outcome)).contains("not yet in testing, staging").contains("apps/web/values.yaml");
    }

    @Test
    void aBypassByAReleaseManagerIsAuditedAndAccepted() throws Exception {
        RevCommit hotfix = gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n")
                .message("hotfix").create();
        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=INC-42 outage")
                .push(gitops.update("main", hotfix));
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).contains("skipped-stage", "bypass-used");
        String audit = Files.readString(gitops.repo().directory().resolve("stagegate-audit.log"));
        assertThat(audit).contains("\"user\":\"release-manager\"").contains("INC-42 outage").contains("skipped-stage");
    }

    @Test
    void aBypassFromSomeoneElseChangesNothing() {
        RevCommit hotfix = gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n").create();
        Outcome outcome = gitops.as("mallory").withPushOption("stagegate.bypass=trust me")
                .push(gitops.update("main", hotfix));
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().notes()).anyMatch(n -> n.contains("not in bypass.users"));
    }

    private static final String POLICY_FILE = ".stagegate/policy.yaml";
    private static final String NO_WRITERS = GitOpsFixture.POLICY.replace("evidence:\n  writers: [ci-bot]\n", "");

    /** A policy on {@code branch} (its tip moves) that is {@link GitOpsFixture#POLICY} with these writers. */
    private void policyWithWriters(String branch, String writers) {
        gitops.repo().commitOn(branch).file(POLICY_FILE,
                GitOpsFixture.POLICY.replace("writers: [ci-bot]", "writers: " + writers)).commitTo(branch);
    }

    /** A push of the notes ref adding one passing record on staging's tip, produced by {@code pusher}. */
    private Outcome pushEvidenceAs(String pusher) {
        RevCommit staging = gitops.tip("staging");
        RevCommit notes = gitops.repo().notesCommit(NOTES, staging,
                evidence(staging, "staging", "integration", "passed", NOW, pusher));
        return gitops.as(pusher).push(gitops.updateRef(NOTES, notes));
    }

    @Test
    void aFeatureBranchsPolicyCannotBlockEvidence() {
        policyWithWriters("feature/lockout", "[]");

        Outcome outcome = pushEvidenceAs("ci-bot");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void aFeatureBranchsPolicyCannotAdmitAWriter() {
        policyWithWriters("feature/open-up", "[ci-bot, mallory]");

        Outcome outcome = pushEvidenceAs("mallory");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly("evidence-tamper");
        assertThat(render(outcome)).contains("mallory may not update " + NOTES + ": not in evidence.writers");
    }

    @Test
    void aBranchThatOnlyAnotherBranchNamesAsAnEnvironmentHasNoSay() {
        gitops.repo().commitOn("develop").file(POLICY_FILE, GitOpsFixture.POLICY.replace("environmentSpecificPaths:",
                "  - name: preview\n    branch: preview\n    promotesFrom: development\nenvironmentSpecificPaths:"))
                .commitTo("develop");
        policyWithWriters("preview", "[]");

        Outcome outcome = pushEvidenceAs("ci-bot");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void eachEnvironmentBranchsPolicyHasItsSay() {
        gitops.close();
        gitops = GitOpsFixture.create(dir.resolve("open.git"), NO_WRITERS);
        policyWithWriters("staging", "[ci-bot]");

        assertThat(pushEvidenceAs("mallory").status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(pushEvidenceAs("ci-bot").status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void anInvalidPolicyOnAnEnvironmentBranchKeepsTheSayOfItsNewestValidOne() {
        gitops.close();
        gitops = GitOpsFixture.create(dir.resolve("open.git"), NO_WRITERS);
        policyWithWriters("staging", "[ci-bot]");
        gitops.repo().commitOn("staging").file(POLICY_FILE, NO_WRITERS + "mode: sometimes\n").commitTo("staging");

        Outcome outcome = pushEvidenceAs("mallory");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly("evidence-tamper");
        assertThat(warnings(outcome)).contains("policy-invalid");
        assertThat(render(outcome)).contains("governed instead by the newest valid policy")
                .contains("on staging");
    }

    @Test
    void anEnvironmentBranchWithNoValidPolicyStopsEvidencePushes() {
        gitops.repo().orphan().file(POLICY_FILE, GitOpsFixture.POLICY + "mode: sometimes\n").commitTo("staging");

        Outcome outcome = pushEvidenceAs("ci-bot");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).contains("policy-invalid");
        assertThat(render(outcome)).contains("no valid policy in the last 200 commits of staging");
    }

    @Test
    void theServerPolicyAloneDecidesWhoWritesEvidence() throws Exception {
        Path server = Files.writeString(dir.resolve("server-policy.yaml"), GitOpsFixture.POLICY);
        policyWithWriters("staging", "[release-manager]");
        gitops.withServerPolicy(server);

        assertThat(pushEvidenceAs("ci-bot").status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(pushEvidenceAs("release-manager").status()).isEqualTo(ExitStatus.REJECTED);
    }

    @Test
    void withoutAPolicyOnTheDefaultBranchEachBranchThatItsOwnPolicyMakesAnEnvironmentHasItsSay() {
        gitops.repo().orphan().file("README.md", "docs only\n").commitTo("docs");
        gitops.repo().setDefaultBranch("docs");
        policyWithWriters("feature/lockout", "[]");

        Outcome byWriter = pushEvidenceAs("ci-bot");
        Outcome byOther = pushEvidenceAs("mallory");

        assertThat(byWriter.status()).as(render(byWriter)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(byOther.status()).as(render(byOther)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(byOther)).containsExactly("evidence-tamper");
    }

    private static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }
}
