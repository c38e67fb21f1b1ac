package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.Validator;
import dev.stagegate.status.StatusRequest;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stagegate status} in-process, with the real engine on a repository whose production drifted. */
class StatusCommandTest {

    @TempDir
    Path dir;

    private GitOpsFixture gitops;
    private InProcessStagegate stagegate;

    @BeforeEach
    void productionDriftedByADirectCommit() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                .message("Hotfix straight into production").commitTo("main");
        stagegate = new InProcessStagegate(Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC))))
                .in(dir);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    @Test
    void theTextBoardShowsTheHotfixNotBackPortedAndExitsZero() {
        InProcessStagegate.Run run = stagegate.run("status", "--repo", "server.git");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("(?m)^production +main +[0-9a-f]{12} +HOTFIX not in staging")
                .contains("never back-ported to staging", "apps/web/values.yaml");
    }

    @Test
    void jsonIsOneObjectWithEveryEnvironment() throws IOException {
        InProcessStagegate.Run run = stagegate.run("status", "--repo", "server.git", "--format", "json");

        assertThat(run.status()).as(run.stderr()).isZero();
        JsonNode board = new ObjectMapper().readTree(run.stdout());
        assertThat(board.get("environments")).hasSize(4);
        assertThat(board.get("environments").get(3).get("name").asText()).isEqualTo("production");
        assertThat(board.get("environments").get(3).get("notBackPorted").asBoolean()).isTrue();
    }

    @Test
    void htmlGoesToItsFileBesideTheBoardOnStandardOutput() throws IOException {
        InProcessStagegate.Run run = stagegate.run("status", "--repo", "server.git", "--html", "board.html",
                "--output", "board.txt");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(Files.readString(dir.resolve("board.txt"))).contains("HOTFIX not in staging");
        assertThat(Files.readString(dir.resolve("board.html")))
                .contains("data-environment=\"production\" data-branch=\"main\" data-not-back-ported=\"true\"");
    }

    @Test
    void withoutAPolicyTheStatusIsTwoAndTheMessageNamesTheRepositoryOpened() {
        try (TestRepository plain = TestRepository.bare(dir.resolve("plain.git"))) {
            plain.orphan().file("README.md", "nothing to govern\n").commitTo("main");

            InProcessStagegate.Run run = stagegate.run("status", "--repo", "plain.git");

            assertThat(run.status()).isEqualTo(2);
            assertThat(run.stdout()).startsWith("error [stagegate] no policy to draw the board from")
                    .contains("(repository " + dir.resolve("plain.git").toAbsolutePath().normalize() + ")",
                            "--policy FILE").doesNotContain("rejected");
        }
    }

    @Test
    void aGivenPolicyThatDoesNotExistIsTwo() {
        InProcessStagegate.Run run = stagegate.run("status", "--repo", "server.git", "--policy", "missing.yaml");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("stagegate status: --policy " + dir.resolve("missing.yaml")
                + " does not exist");
    }

    @Test
    void aDirectoryThatIsNoRepositoryIsAUsageError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));

        InProcessStagegate.Run run = stagegate.run("status", "--repo", "empty", "--format", "json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("stagegate status: " + dir.resolve("empty")
                + " is not a git repository (nor inside one)");
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        InProcessStagegate.Run run = stagegate.run("status", "--repo", "server.git", "--format", "sarif");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--format must be text or json, not 'sarif'");
    }

    @Test
    void theRequestNamesTheRepositoryAndPolicyRelativeToTheWorkingDirectory() throws IOException {
        ScriptedEngine engine = ScriptedEngine.accepting();
        Files.writeString(dir.resolve("p.yaml"), "apiVersion: stagegate/v1\n");

        new InProcessStagegate(engine).in(dir).run("status", "--repo", "server.git", "--policy", "p.yaml");

        StatusRequest request = engine.lastRequest(StatusRequest.class);
        assertThat(request.repository()).isEqualTo(dir.resolve("server.git").toAbsolutePath().normalize());
        assertThat(request.policyFile()).contains(dir.resolve("p.yaml").toAbsolutePath().normalize());
    }

    @Test
    void passesTheAllowedSignersFile() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        new InProcessStagegate(engine).in(dir).run("status", "--repo", "server.git", "--allowed-signers", "keys");

        assertThat(engine.lastRequest(StatusRequest.class).allowedSignersFile())
                .contains(dir.resolve("keys").toAbsolutePath().normalize());
    }

    @Test
    void anEngineThatFailsIsThreeWithoutAStackTrace() {
        InProcessStagegate.Run run = new InProcessStagegate(ScriptedEngine.throwing(new IllegalStateException("boom")))
                .in(dir).run("status", "--repo", "server.git");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stderr()).contains("boom").doesNotContain("\tat ");
    }

    @Test
    void theClockComesFromStagegateNow() {
        InProcessStagegate.Run run = stagegate.env("STAGEGATE_NOW", "2026-12-01T08:00:00Z")
                .run("status", "--repo", "server.git", "--format", "json");

        assertThat(run.status()).isZero();
        assertThat(stagegate.clockSeen().instant()).hasToString("2026-12-01T08:00:00Z");
    }
}
