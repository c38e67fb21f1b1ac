package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BranchDeletionRuleTest {

    private static final String RULE = "branch-deletion";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private Outcome delete(String branch) {
        return gitops.push(gitops.update(branch, ObjectId.zeroId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"develop", "test", "staging", "main"})
    void deletingAnEnvironmentBranchIsDeniedByDefault(String branch) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = delete(branch);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/" + branch);
            assertThat(v.commit()).isNull();
            assertThat(v.message()).contains("deleting branch '" + branch + "'")
                    .contains("protections.deletion: deny");
        });
    }

    @Test
    void anEnvironmentsOwnProtectionsAllowDeletingItsBranchOnly() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.POLICY.replace(
                "    promotesFrom: development\n",
                "    promotesFrom: development\n    protections:\n      deletion: allow\n"));

        Outcome testing = delete("test");
        Outcome staging = delete("staging");

        assertThat(testing.status()).as(render(testing)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(testing.verdict().violations()).isEmpty();
        assertThat(errors(staging)).containsExactly(RULE);
    }

    @Test
    void protectionsDeletionAllowPermitsIt() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.policyPlus("protections:\n  deletion: allow\n"));

        Outcome outcome = delete("test");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void deletingABranchOfNoEnvironmentIsAccepted() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        gitops.repo().commitOn("main").file("notes.txt", "wip\n").commitTo("feature/wip");

        Outcome outcome = delete("feature/wip");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void modeWarnMakesItAWarning() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.policyPlus("mode: warn\n"));

        Outcome outcome = delete("staging");

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(GitOpsFixture.warnings(outcome)).containsExactly(RULE);
    }
}
