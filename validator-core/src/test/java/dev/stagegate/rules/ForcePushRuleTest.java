package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForcePushRuleTest {

    private static final String RULE = "force-push";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    /** A commit that replaces test's tip instead of building on it; only env/** differs. */
    private RevCommit rewriteOfTest() {
        RevCommit tip = gitops.tip("test");
        return gitops.repo().orphan().parents(tip.getParent(0)).filesOf(tip)
                .file("env/values.yaml", "environment: test\nreplicas: 2\n").message("amended env settings").create();
    }

    @Test
    void rewritingAnEnvironmentBranchIsDeniedByDefault() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        String oldTip = gitops.tip("test").abbreviate(12).name();

        Outcome outcome = gitops.push(gitops.update("test", rewriteOfTest()));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/test");
            assertThat(v.environment()).isEqualTo("testing");
            assertThat(v.message()).contains("rewrites the history of branch 'test'")
                    .contains("the old tip " + oldTip + " is not an ancestor of the new tip");
        });
    }

    @Test
    void movingAnEnvironmentBranchBackIsAForcePush() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        RevCommit before = gitops.tip("test");
        gitops.repo().commitOn("test").file("env/values.yaml", "environment: test\nreplicas: 2\n").commitTo("test");

        assertThat(errors(gitops.push(gitops.update("test", before)))).containsExactly(RULE);
    }

    @Test
    void aResetOntoTheUpstreamAfterAHotfixNamesTheWayBackInsteadOfARevert() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.policyPlus("promotion:\n  fastForwardOnly: true\n"));
        for (String branch : List.of("develop", "test", "staging")) {
            gitops.repo().setBranch(branch, gitops.tip("main"));
        }
        RevCommit hotfix = gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                .message("hotfix web replicas").commitTo("main");
        RevCommit staged = gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
        gitops.repo().setBranch("test", staged);
        gitops.repo().setBranch("staging", staged);
        gitops.passEvidence("staging", "integration");
        String hotfixId = hotfix.abbreviate(12).name();

        Outcome reset = gitops.push(gitops.update("main", staged));

        assertThat(errors(reset)).containsExactly(RULE);
        assertThat(violations(reset, RULE).get(0).message())
                .contains("the old tip " + hotfixId + " is not an ancestor of the new tip")
                .contains("'main' carries a commit that its upstream lacks (never brought back upstream): "
                        + hotfixId + " \"hotfix web replicas\"")
                .contains("merge it into develop (there: git merge " + hotfixId + ")")
                .doesNotContain("git revert");
    }

    @Test
    void aRewriteOfAnEntryBranchAdvisesARevert() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        RevCommit before = gitops.tip("develop");
        gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");

        Outcome outcome = gitops.push(gitops.update("develop", before));

        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                .endsWith("; push a commit on top of the current tip instead (git revert to undo a change)"));
    }

    @Test
    void protectionsForcePushAllowPermitsIt() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.policyPlus("protections:\n  forcePush: allow\n"));

        Outcome outcome = gitops.push(gitops.update("test", rewriteOfTest()));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    /** Rollback by force push allowed on the production environments only, as docs/policy.md shows. */
    static final String ROLLBACK_ON_PRODUCTION = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: staging
                branch: staging
                promotesFrom: development
              - name: prod-eu
                branch: prod-eu
                promotesFrom: staging
                protections:
                  forcePush: allow
            environmentSpecificPaths:
              - "env/**"
            """;

    @Test
    void anEnvironmentsOwnProtectionsAllowARollbackThereOnly() {
        gitops = GitOpsFixture.createWithBranches(dir.resolve("server.git"), ROLLBACK_ON_PRODUCTION,
                List.of("develop", "staging", "prod-eu"));
        RevCommit prodBefore = gitops.tip("prod-eu");
        gitops.repo().commitOn("prod-eu").file("env/values.yaml", "environment: prod-eu\nreplicas: 9\n")
                .commitTo("prod-eu");
        RevCommit stagingBefore = gitops.tip("staging");
        gitops.repo().commitOn("staging").file("env/values.yaml", "environment: staging\nreplicas: 9\n")
                .commitTo("staging");

        Outcome rollback = gitops.push(gitops.update("prod-eu", prodBefore));
        Outcome onStaging = gitops.push(gitops.update("staging", stagingBefore));

        assertThat(rollback.status()).as(render(rollback)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(rollback.verdict().violations()).isEmpty();
        assertThat(onStaging.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(onStaging)).containsExactly(RULE);
    }

    @Test
    void anEnvironmentsOwnDenyWinsOverAnAllowingDefault() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.POLICY.replace(
                "    promotesFrom: development\n",
                "    promotesFrom: development\n    protections:\n      forcePush: deny\n")
                + "protections:\n  forcePush: allow\n");

        assertThat(errors(gitops.push(gitops.update("test", rewriteOfTest())))).containsExactly(RULE);
    }

    @Test
    void aCommitOnTopOfTheTipIsNoForcePush() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = gitops.push(gitops.update("test",
                gitops.change("test", "env/values.yaml", "environment: test\nreplicas: 2\n")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void rewritingABranchOfNoEnvironmentIsAccepted() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        gitops.repo().commitOn("main").file("notes.txt", "one\n").commitTo("feature/wip");
        RevCommit amended = gitops.repo().commitOn("main").file("notes.txt", "two\n").create();

        Outcome outcome = gitops.push(gitops.update("feature/wip", amended));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void ruleModesWarnMakesItAWarning() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.policyPlus("ruleModes:\n  force-push: warn\n"));

        Outcome outcome = gitops.push(gitops.update("test", rewriteOfTest()));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(GitOpsFixture.warnings(outcome)).containsExactly(RULE);
    }
}
