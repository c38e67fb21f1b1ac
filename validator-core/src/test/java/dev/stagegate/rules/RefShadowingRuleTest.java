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

class RefShadowingRuleTest {

    private static final String RULE = "ref-shadowing";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private Outcome create(String ref) {
        return gitops.push(gitops.updateRef(ref, gitops.tip("main")));
    }

    @Test
    void aTagNamedLikeAnEnvironmentBranchIsRejected() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = create("refs/tags/main");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/tags/main");
            assertThat(v.message()).contains("short name of branch 'main' of environment production")
                    .contains("choose another name");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/staging", "refs/remotes/test", "refs/remotes/develop/HEAD", "refs/tags/develop"})
    void everyRefGitResolvesBeforeTheBranchIsRejected(String ref) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        assertThat(errors(create(ref))).containsExactly(RULE);
    }

    @Test
    void aBranchNamedHeadIsRejected() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = create("refs/heads/HEAD");

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("a branch named HEAD is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/tags/v1.0", "refs/tags/main-2026-11", "refs/heads/feature/main", "refs/notes/main"})
    void otherNamesAreAccepted(String ref) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = create(ref);

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).isEmpty();
    }

    @Test
    void deletingAShadowingTagIsAccepted() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        gitops.repo().setRef("refs/tags/main", gitops.tip("main"));

        Outcome outcome = gitops.push(gitops.updateRef("refs/tags/main", ObjectId.zeroId()));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void modeWarnDoesNotWeakenIt() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.policyPlus("mode: warn\n"));

        Outcome outcome = create("refs/tags/main");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
    }

    @Test
    void anAuditedBypassDoesNotCoverIt() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));

        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=release tag")
                .push(gitops.updateRef("refs/tags/main", gitops.tip("main")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
    }
}
