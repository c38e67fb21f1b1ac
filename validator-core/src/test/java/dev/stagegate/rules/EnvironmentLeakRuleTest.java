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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentLeakRuleTest {

    private static final String RULE = "environment-leak";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private void developCarriesAChange(String policy) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
    }

    @Test
    void aPlainMergeThatTakesTheUpstreamsSettingsIsAWarningByDefault() {
        developCarriesAChange(GitOpsFixture.POLICY);

        Outcome outcome = gitops.push(gitops.update("test", gitops.plainMerge("develop", "test")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.severity()).isEqualTo(Severity.WARNING);
            assertThat(v.ref()).isEqualTo("refs/heads/test");
            assertThat(v.file()).isEqualTo("env/values.yaml");
            assertThat(v.message()).contains("env/values.yaml is environment-specific")
                    .contains("the version of upstream branch 'develop'")
                    .contains("keep test's own version");
        });
    }

    @Test
    void ruleModesEnforceMakesItAnError() {
        developCarriesAChange(GitOpsFixture.policyPlus("ruleModes:\n  environment-leak: enforce\n"));

        Outcome outcome = gitops.push(gitops.update("test", gitops.plainMerge("develop", "test")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
    }

    @Test
    void aPromotionThatKeepsTheTargetsSettingsDoesNotLeak() {
        developCarriesAChange(GitOpsFixture.policyPlus("ruleModes:\n  environment-leak: enforce\n"));

        Outcome outcome = gitops.push(gitops.update("test", gitops.promotion("develop", "test")));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void anEnvironmentOnlyChangeToTheUpstreamsVersionLeaksToo() {
        developCarriesAChange(GitOpsFixture.policyPlus("ruleModes:\n  environment-leak: enforce\n"));

        Outcome outcome = gitops.push(gitops.update("staging",
                gitops.change("staging", "env/values.yaml", "environment: test\n")));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("upstream branch 'test'");
    }

    @Test
    void anEnvironmentOnlyChangeToItsOwnValueDoesNotLeak() {
        developCarriesAChange(GitOpsFixture.policyPlus("ruleModes:\n  environment-leak: enforce\n"));

        Outcome outcome = gitops.push(gitops.update("staging",
                gitops.change("staging", "env/values.yaml", "environment: staging\nreplicas: 4\n")));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void withSeveralUpstreamsTheMessageNamesTheOneWhoseSettingsLeaked() {
        gitops = GitOpsFixture.createWithBranches(dir.resolve("fan.git"), """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: staging-eu
                    branch: staging-eu
                  - name: staging-us
                    branch: staging-us
                  - name: production
                    branch: main
                    promotesFrom: [staging-eu, staging-us]
                    upstreams: any
                environmentSpecificPaths:
                  - "env/**"
                """, List.of("staging-us"));

        Outcome outcome = gitops.push(gitops.update("main", gitops.plainMerge("staging-us", "main")));

        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                .contains("upstream branch 'staging-us'"));
    }

    @Test
    void theEntryEnvironmentHasNoUpstreamToLeakFrom() {
        developCarriesAChange(GitOpsFixture.policyPlus("ruleModes:\n  environment-leak: enforce\n"));

        Outcome outcome = gitops.push(gitops.update("develop", gitops.plainMerge("test", "develop")));

        assertThat(errors(outcome)).doesNotContain(RULE);
    }
}
