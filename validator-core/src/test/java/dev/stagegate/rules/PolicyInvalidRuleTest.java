package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyInvalidRuleTest {

    private static final String RULE = "policy-invalid";
    private static final String POLICY_FILE = ".stagegate/policy.yaml";

    /** Testing promotes from an environment that does not exist: line 8 of the policy. */
    private static final String UNKNOWN_UPSTREAM = GitOpsFixture.POLICY.replace(
            "promotesFrom: development", "promotesFrom: developmnet");

    /** A value the schema refuses, on the last line (27). */
    private static final String BAD_MODE = GitOpsFixture.policyPlus("mode: sometimes\n");

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private void repository(String policy) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
    }

    private RevCommit policyChange(String branch, String policy) {
        return gitops.repo().commitOn(branch).file(POLICY_FILE, policy).message("edit the policy").create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"develop", "main", "feature/policy"})
    void pushingAnInvalidPolicyToAnyBranchIsRejectedAtFileLineColumn(String branch) {
        repository(GitOpsFixture.POLICY);
        RevCommit base = gitops.repo().tipOrNull(branch) == null
                ? gitops.repo().commitOn("main").file(POLICY_FILE, UNKNOWN_UPSTREAM).create()
                : policyChange(branch, UNKNOWN_UPSTREAM);

        Outcome outcome = gitops.push(gitops.update(branch, base));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains(RULE);
        Violation violation = violations(outcome, RULE).get(0);
        assertThat(violation.isError()).isTrue();
        assertThat(violation.file()).isEqualTo(POLICY_FILE);
        assertThat(violation.line()).isEqualTo(8);
        assertThat(violation.column()).isPositive();
        assertThat(violation.message()).contains("developmnet");
        assertThat(render(outcome)).contains(POLICY_FILE + ":8:" + violation.column());
    }

    /** A repository before its first policy: main holds the application, nothing governs a push. */
    private void repositoryWithoutPolicy() {
        gitops = GitOpsFixture.empty(dir.resolve("server.git"));
        gitops.repo().orphan().file("apps/web/values.yaml", "replicas: 2\n").message("initial").commitTo("main");
    }

    private static void assertRejectedAtLine8(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).as(render(outcome)).containsOnly(RULE);
        Violation violation = violations(outcome, RULE).get(0);
        assertThat(violation.fileLocation()).startsWith(POLICY_FILE + ":8:");
        assertThat(violation.message()).contains("developmnet");
        assertThat(outcome.verdict().notes()).noneMatch(note -> note.contains("no policy governs"));
    }

    @Test
    void anInvalidFirstPolicyOnTheDefaultBranchIsRejected() {
        repositoryWithoutPolicy();

        assertRejectedAtLine8(gitops.push(gitops.update("main", policyChange("main", UNKNOWN_UPSTREAM))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"develop", "feature/first-policy"})
    void anInvalidFirstPolicyOnANewBranchIsRejected(String branch) {
        repositoryWithoutPolicy();

        assertRejectedAtLine8(gitops.push(gitops.update(branch, policyChange("main", UNKNOWN_UPSTREAM))));
    }

    @Test
    void anInvalidFirstPolicyOnAnExistingBranchIsRejected() {
        repositoryWithoutPolicy();
        gitops.repo().commitOn("main").file("docs/README.md", "work in progress\n").commitTo("feature/x");

        assertRejectedAtLine8(gitops.push(gitops.update("feature/x", policyChange("feature/x", UNKNOWN_UPSTREAM))));
    }

    @Test
    void anInvalidFirstPolicyInAnEmptyRepositoryIsRejected() {
        gitops = GitOpsFixture.empty(dir.resolve("server.git"));
        RevCommit first = gitops.repo().orphan().file(POLICY_FILE, UNKNOWN_UPSTREAM).message("initial").create();

        assertRejectedAtLine8(gitops.push(gitops.update("main", first)));
    }

    @Test
    void afterARejectedFirstPolicyTheFixedOneIsAcceptedAndGovernsTheNextPush() {
        repositoryWithoutPolicy();
        assertRejectedAtLine8(gitops.push(gitops.update("main", policyChange("main", UNKNOWN_UPSTREAM))));

        RevCommit fixed = policyChange("main", GitOpsFixture.POLICY);
        Outcome accepted = gitops.push(gitops.update("main", fixed));
        gitops.repo().setBranch("main", fixed);
        Outcome next = gitops.push(gitops.update("main", gitops.change("main", "apps/web/values.yaml", "replicas: 9\n")));

        assertThat(accepted.status()).as(render(accepted)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(accepted.verdict().notes()).contains("no policy governs refs/heads/main; accepted");
        assertThat(next.status()).as(render(next)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(next)).contains("skipped-stage");
    }

    @Test
    void aTagCarryingAnInvalidPolicyGovernsNothingAndIsAccepted() {
        repositoryWithoutPolicy();

        Outcome outcome = gitops.push(gitops.updateRef("refs/tags/v1", policyChange("main", UNKNOWN_UPSTREAM)));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void theSchemasComplaintIsReported() {
        repository(GitOpsFixture.POLICY);

        Outcome outcome = gitops.push(gitops.update("develop", policyChange("develop", BAD_MODE)));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.fileLocation()).startsWith(POLICY_FILE + ":27:");
            assertThat(v.message()).contains("sometimes");
        });
    }

    @Test
    void aPolicyOverTheFileSizeLimitIsAViolationNotAnInternalError() {
        repository(GitOpsFixture.POLICY);
        String huge = GitOpsFixture.POLICY + "#" + "x".repeat(11 * 1024 * 1024) + "\n";

        Outcome outcome = gitops.push(gitops.update("develop", policyChange("develop", huge)));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains(RULE);
        assertThat(violations(outcome, RULE)).allSatisfy(v -> assertThat(v.file()).isEqualTo(POLICY_FILE));
    }

    @Test
    void aValidPolicyChangeIsAccepted() {
        repository(GitOpsFixture.POLICY);

        Outcome outcome = gitops.push(gitops.update("develop",
                policyChange("develop", GitOpsFixture.policyPlus("promotion:\n  searchDepth: 500\n"))));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void modeWarnDoesNotWeakenIt() {
        repository(GitOpsFixture.policyPlus("mode: warn\n"));

        Outcome outcome = gitops.push(gitops.update("develop",
                policyChange("develop", UNKNOWN_UPSTREAM + "mode: warn\n")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains(RULE);
    }

    @Test
    void anInvalidGoverningPolicyFallsBackToTheNewestValidOne() {
        repository(GitOpsFixture.POLICY);
        RevCommit valid = gitops.tip("test");
        gitops.repo().commitOn("test").file(POLICY_FILE, BAD_MODE).commitTo("test");
        RevCommit hotfix = gitops.change("test", "apps/web/values.yaml", "replicas: 9\n");

        Outcome outcome = gitops.push(gitops.update("test", hotfix));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsOnly("skipped-stage");
        assertThat(warnings(outcome)).contains(RULE);
        assertThat(render(outcome))
                .contains("the policy governing this update (" + POLICY_FILE + " at test (")
                .contains("is invalid")
                .contains("governed instead by the newest valid policy, " + POLICY_FILE + " at "
                        + valid.abbreviate(12).name() + " on test");
    }

    @Test
    void thePushThatRepairsAnInvalidPolicyIsJudgedByTheOlderValidOne() {
        repository(GitOpsFixture.POLICY);
        gitops.repo().commitOn("test").file(POLICY_FILE, BAD_MODE).commitTo("test");
        RevCommit repair = gitops.change("test", POLICY_FILE, GitOpsFixture.POLICY);

        Outcome outcome = gitops.push(gitops.update("test", repair));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).contains(RULE);
    }

    @Test
    void withNoValidPolicyInTheBranchTheUpdateFailsClosedWithStatus2() {
        repository(GitOpsFixture.POLICY);
        gitops.repo().orphan().file(POLICY_FILE, BAD_MODE).file("apps/web/values.yaml", "replicas: 2\n")
                .commitTo("develop");
        RevCommit change = gitops.change("develop", "apps/web/values.yaml", "replicas: 3\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).containsOnly(RULE);
        assertThat(render(outcome)).contains("no valid policy in the last 200 commits of develop");
    }

    @Test
    void anAuditedBypassDoesNotCoverAnInvalidGoverningPolicy() {
        repository(GitOpsFixture.POLICY);
        gitops.repo().orphan().file(POLICY_FILE, BAD_MODE).file("apps/web/values.yaml", "replicas: 2\n")
                .commitTo("develop");
        RevCommit change = gitops.change("develop", "apps/web/values.yaml", "replicas: 3\n");

        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=fix it")
                .push(gitops.update("develop", change));

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).contains(RULE);
    }
}
