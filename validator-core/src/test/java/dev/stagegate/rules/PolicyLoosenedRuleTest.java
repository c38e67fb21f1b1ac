package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Severity;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoosenedRuleTest {

    private static final String RULE = "policy-loosened";
    private static final String POLICY_FILE = ".stagegate/policy.yaml";
    private static final String ENFORCED = "ruleModes:\n  policy-loosened: enforce\n";

    private static final String REQUIREMENT = """
                requiresEvidence:
                  - suite: integration
                    environment: staging
            """;

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private Outcome pushPolicyToDevelop(String current, String edited) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), current);
        RevCommit edit = gitops.repo().commitOn("develop").file(POLICY_FILE, edited).message("edit policy").create();
        return gitops.push(gitops.update("develop", edit));
    }

    @Test
    void removingAnEvidenceRequirementIsAWarningByDefault() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY.replace(REQUIREMENT, ""));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.severity()).isEqualTo(Severity.WARNING);
            assertThat(v.ref()).isEqualTo("refs/heads/develop");
            assertThat(v.file()).isEqualTo(POLICY_FILE);
            assertThat(v.message()).isEqualTo(
                    "this update loosens the policy: removes the 'integration' evidence requirement of production");
        });
    }

    @Test
    void addingABypassUserIsAWarningByDefault() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY,
                GitOpsFixture.POLICY.replace("users: [release-manager]", "users: [release-manager, mallory]"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("adds bypass users mallory"));
    }

    @Test
    void ruleModesEnforceRejectsIt() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(ENFORCED),
                GitOpsFixture.POLICY.replace(REQUIREMENT, "") + ENFORCED);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
    }

    @Test
    void droppingTheEnforcementItselfIsALoosening() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(ENFORCED), GitOpsFixture.POLICY);

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("sets policy-loosened to warn");
    }

    @Test
    void otherLooseningsAreNamed() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY
                .replace("writers: [ci-bot]", "writers: [ci-bot, alice]")
                + "protections:\n  forcePush: allow\n  deletion: allow\nmode: warn\n");

        assertThat(violations(outcome, RULE)).extracting(v -> v.message().replace("this update loosens the policy: ", ""))
                .contains("adds evidence writers alice", "allows force pushes", "allows branch deletion",
                        "sets skipped-stage to warn");
    }

    @Test
    void tighteningIsNotReported() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY.replace(
                "        environment: staging\n", "        environment: staging\n        maxAge: 7d\n"));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aBranchOfNoEnvironmentMayCarryAnyPolicy() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.policyPlus(ENFORCED));
        RevCommit experiment = gitops.repo().commitOn("main")
                .file(POLICY_FILE, GitOpsFixture.POLICY.replace(REQUIREMENT, "")).create();

        Outcome outcome = gitops.push(gitops.update("feature/relaxed", experiment));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }
}
