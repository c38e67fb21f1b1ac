package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.Validator;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApproveCommandTest {

    @TempDir
    Path dir;

    /** The options name a repository and files that exist: the command checks that before it asks the engine. */
    @BeforeEach
    void repository() throws Exception {
        Git.init().setDirectory(dir.toFile()).call().close();
    }

    @Test
    void turnsItsOptionsIntoOneRequest() throws IOException {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir);
        Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(dir.resolve("policy.yaml"), "apiVersion: stagegate/v1\n");

        int status = stagegate.run("approve", "--environment", "production", "--commit", "origin/staging", "--reject",
                "--comment", "the canary fails", "--approver", "bob", "--sign-key", "keys/bob", "--push", "upstream",
                "--repo", "checkout", "--policy", "policy.yaml").status();

        assertThat(status).isZero();
        assertThat(engine.lastRequest(ApprovalRequest.class)).isEqualTo(new ApprovalRequest(dir.resolve("checkout"),
                "production", Optional.of("origin/staging"), ApprovalRecord.Decision.REJECTED,
                Optional.of("the canary fails"), Optional.of("bob"), Optional.of(dir.resolve("keys/bob")),
                Optional.of("upstream"), Optional.of(dir.resolve("policy.yaml"))));
    }

    @Test
    void approvesByDefaultAsTheIdentityVariablesSayAndPushesToOriginWhenNoRemoteIsNamed() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir).env("STAGEGATE_USER", "alice");

        int status = stagegate.run("approve", "--environment", "production", "--push").status();

        assertThat(status).isZero();
        ApprovalRequest request = engine.lastRequest(ApprovalRequest.class);
        assertThat(request.decision()).isEqualTo(ApprovalRecord.Decision.APPROVED);
        assertThat(request.approver()).contains("alice");
        assertThat(request.commit()).isEmpty();
        assertThat(request.pushRemote()).contains("origin");
        assertThat(request.signKey()).isEmpty();
        assertThat(request.repository()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void needsAnEnvironmentAndRefusesAnOverlongCommentBeforeAskingTheEngine() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir);

        InProcessStagegate.Run noEnvironment = stagegate.run("approve", "--approver", "bob");
        InProcessStagegate.Run overlong = stagegate.run("approve", "--environment", "production", "--approver", "bob",
                "--comment", "x".repeat(1001));

        assertThat(noEnvironment.status()).isEqualTo(2);
        assertThat(noEnvironment.stderr()).contains("Missing required option: '--environment=ENV'");
        assertThat(overlong.status()).isEqualTo(2);
        assertThat(overlong.stderr()).isEqualTo("stagegate approve: --comment is longer than 1000 characters"
                + System.lineSeparator() + "Try 'stagegate approve --help'." + System.lineSeparator());
        assertThat(engine.lastRequest(Object.class)).isNull();
    }

    @Test
    void printsTheEnginesRefusalAndExitsWithItsStatus() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            InProcessStagegate stagegate = new InProcessStagegate(
                    Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);

            InProcessStagegate.Run onDevelop = stagegate.run("approve", "--repo", "server.git", "--environment",
                    "production", "--commit", "develop", "--approver", "bob");
            InProcessStagegate.Run approved = stagegate.run("approve", "--repo", "server.git", "--environment",
                    "production", "--approver", "bob", "--comment", "ship it");
            InProcessStagegate.Run list = stagegate.run("evidence", "list", "--repo", "server.git");

            assertThat(onDevelop.status()).isEqualTo(1);
            assertThat(onDevelop.stdout()).contains("commit " + gitops.tip("develop").name()
                    + " is in no upstream environment of production");
            assertThat(approved.status()).as(approved.stderr()).isZero();
            assertThat(approved.stdout()).contains("note: recorded approval of " + gitops.tip("staging").name()
                    + " into production by bob (refs/notes/stagegate)");
            assertThat(list.stdout()).contains("Approval     production   -                    approved "
                    + GitOpsFixture.NOW + " bob \"ship it\"");
        }
    }

    @Test
    void helpStatesTheExitStatuses() {
        InProcessStagegate.Run help = new InProcessStagegate(ScriptedEngine.accepting()).run("approve", "--help");

        assertThat(help.status()).isZero();
        assertThat(help.stdout().replaceAll("\\s+", " "))
                .contains("Exit status: 0 recorded", "1 refused", "2 usage error", "3 the repository");
    }
}
