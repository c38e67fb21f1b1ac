package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.Validator;
import dev.stagegate.evidence.EvidenceResult;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvidenceCommandTest {

    @TempDir
    Path dir;

    /** The options name a repository and files that exist: the command checks that before it asks the engine. */
    @BeforeEach
    void repository() throws Exception {
        Git.init().setDirectory(dir.toFile()).call().close();
    }

    @Test
    void recordTakesTheProducerFromTheIdentityVariables() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir).env("GL_USERNAME", "ci-bot");

        int status = stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration", "--result", "passed").status();

        assertThat(status).isZero();
        EvidenceRequest request = engine.lastRequest(EvidenceRequest.class);
        assertThat(request.producer()).contains("ci-bot");
        assertThat(request.result()).contains(EvidenceResult.PASSED);
        assertThat(request.repository()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void recordNeedsReportsOrAResult() {
        InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting()).in(dir);
        assertThat(stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration").status()).isEqualTo(2);
        assertThat(stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration", "--result", "maybe").status()).isEqualTo(2);
    }

    @Test
    void reportsInWhichEveryTestWasSkippedRecordAFailedRunAndSaySo() throws IOException {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            Files.createDirectories(dir.resolve("reports"));
            Files.writeString(dir.resolve("reports/TEST-it.xml"), """
                    <testsuite name="it" tests="3" failures="0" errors="0" skipped="3">
                      <testcase name="a"><skipped/></testcase>
                      <testcase name="b"><skipped/></testcase>
                      <testcase name="c"><skipped/></testcase>
                    </testsuite>
                    """);
            InProcessStagegate stagegate = new InProcessStagegate(
                    Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);

            InProcessStagegate.Run record = stagegate.run("evidence", "record", "--repo", "server.git",
                    "--commit", "staging", "--environment", "staging", "--suite", "integration",
                    "--reports", "reports", "--producer", "ci-bot");

            assertThat(record.status()).as(record.stderr()).isZero();
            assertThat(record.stdout()).contains("recorded 'integration' failed in staging",
                    "3 tests, 0 failures, 0 errors, 3 skipped; no test ran: all 3 tests were skipped");
            InProcessStagegate.Run list = stagegate.run("evidence", "list", "--repo", "server.git");
            assertThat(list.stdout()).contains("staging", "integration", "failed").doesNotContain("passed");
        }
    }

    @Test
    void listRejectsAnUnknownFormat() {
        InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting()).in(dir);
        assertThat(stagegate.run("evidence", "list", "--format", "xml").status()).isEqualTo(2);
    }

    /** Each format evidence record offers carries what was recorded: none is offered and ignored. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "sarif", "junit", "github"})
    void recordWritesWhatItRecordedInEveryFormatItOffers(String format) {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            InProcessStagegate stagegate = new InProcessStagegate(
                    Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);

            InProcessStagegate.Run record = stagegate.run("evidence", "record", "--repo", "server.git",
                    "--commit", "staging", "--environment", "staging", "--suite", "integration",
                    "--result", "passed", "--producer", "ci-bot", "--format", format);

            assertThat(record.status()).as(record.stderr()).isZero();
            assertThat(record.stdout()).contains("recorded 'integration' passed in staging on "
                    + gitops.tip("staging").name());
        }
    }

    /** A record is read by people: whole seconds, whatever the clock's precision. */
    @Test
    void listShowsTheTimeToTheSecond() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            gitops.repo().addNote(GitOpsFixture.NOTES, gitops.tip("staging"), "{\"apiVersion\":\"stagegate/v1\","
                    + "\"kind\":\"TestEvidence\",\"commit\":\"" + gitops.tip("staging").name() + "\","
                    + "\"environment\":\"staging\",\"suite\":\"integration\",\"result\":\"passed\","
                    + "\"recordedAt\":\"2026-11-27T10:00:05.123456789Z\",\"producer\":\"ci-bot\"}");
            InProcessStagegate stagegate = new InProcessStagegate(
                    Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);

            InProcessStagegate.Run list = stagegate.run("evidence", "list", "--repo", "server.git");

            assertThat(list.stdout()).as(list.stderr()).contains("passed   2026-11-27T10:00:05Z ci-bot")
                    .doesNotContain(".123");
        }
    }

    @Test
    void recordPassesTheSignKey() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir);

        stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing", "--suite", "integration",
                "--result", "passed", "--producer", "ci-bot", "--sign-key", "keys/ci");

        assertThat(engine.lastRequest(EvidenceRequest.class).signKey()).contains(dir.resolve("keys/ci"));
    }

    @Test
    void listShowsTheKindAndTheSignerOfASignedRecordOrWhyItDoesNotVerify() throws IOException {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            SshKeys.Key ciKey = SshKeys.generate(dir.resolve("keys"), "ci");
            Files.writeString(dir.resolve("allowed_signers"), ciKey.allowedSignersLine("ci-bot"));
            InProcessStagegate stagegate = new InProcessStagegate(
                    Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);
            assertThat(stagegate.run("evidence", "record", "--repo", "server.git", "--commit", "staging",
                    "--environment", "staging", "--suite", "integration", "--result", "passed", "--producer", "ci-bot",
                    "--sign-key", ciKey.privateKey().toString()).status()).isZero();

            InProcessStagegate.Run verified = stagegate.run("evidence", "list", "--repo", "server.git",
                    "--allowed-signers", "allowed_signers");
            InProcessStagegate.Run unverified = stagegate.run("evidence", "list", "--repo", "server.git");
            InProcessStagegate.Run json = stagegate.run("evidence", "list", "--repo", "server.git",
                    "--allowed-signers", "allowed_signers", "--format", "json");

            assertThat(verified.stdout()).as(verified.stderr()).startsWith(gitops.tip("staging").name().substring(0, 12)
                    + "  TestEvidence staging      integration          passed   " + GitOpsFixture.NOW + " ci-bot"
                    + "  signed by ci-bot (SHA256:");
            assertThat(unverified.stdout()).contains("ci-bot  signature does not verify: 'ci-bot' has no line in");
            assertThat(json.stdout()).contains("\"kind\" : \"TestEvidence\"", "\"verified\" : true",
                    "\"principal\" : \"ci-bot\"", "\"fingerprint\" : \"SHA256:");
        }
    }

    @Test
    void listRefusesAnAllowedSignersFileItCannotRead() {
        InProcessStagegate stagegate = new InProcessStagegate(
                Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)))).in(dir);

        InProcessStagegate.Run run = stagegate.run("evidence", "list", "--allowed-signers", "missing");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("evidence list: " + dir.resolve("missing") + " is not a regular file");
    }
}
