package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.PushRequest;
import dev.stagegate.Pusher;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreReceiveCommandTest {

    private static final String FEATURE = "0000000000000000000000000000000000000000 "
            + "1111111111111111111111111111111111111111 refs/heads/feature\n";
    private static final String MAIN = "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/heads/main\n";
    private static final Violation SKIPPED = Violation.error("skipped-stage", "promote through staging first")
            .withRef("refs/heads/main").withEnvironment("production");

    @TempDir
    Path repository;

    @BeforeEach
    void bareRepository() throws Exception {
        Git.init().setBare(true).setDirectory(repository.toFile()).call().close();
    }

    private InProcessStagegate hook(Engine engine) {
        return new InProcessStagegate(engine).in(repository);
    }

    @Test
    void judgesEveryUpdateOfThePushInOneRequest() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        InProcessStagegate.Run run = hook(engine).stdin(FEATURE + MAIN).run("pre-receive");

        assertThat(run.status()).isZero();
        assertThat(engine.lastRequest(PushRequest.class).updates())
                .containsExactly(RefUpdate.parse(FEATURE.strip()), RefUpdate.parse(MAIN.strip()));
    }

    @Test
    void printsTheVerdictOnStdoutAndRejectsWithItsStatus() {
        InProcessStagegate.Run run = hook(ScriptedEngine.rejecting(SKIPPED)).stdin(MAIN).run("pre-receive");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout()).isEqualTo(new TextRenderer().render(Verdict.of(List.of(SKIPPED))));
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void givesTheEngineTheHooksDeadlineSoThatCustomRulesStopAtIt() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        long before = System.nanoTime();

        hook(engine).stdin(FEATURE).run("pre-receive", "--deadline", "30s");

        long deadline = engine.lastRequest(PushRequest.class).deadlineNanoTime().orElseThrow();
        assertThat(deadline - before).isBetween(java.time.Duration.ofSeconds(29).toNanos(),
                java.time.Duration.ofSeconds(31).toNanos());
    }

    @Test
    void passesTheServersSchemaLocations() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).stdin(FEATURE).run("pre-receive", "--schema-location", "/srv/schemas/k8s",
                "--schema-location", "/srv/catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json");

        assertThat(engine.lastRequest(PushRequest.class).schemaLocations()).containsExactly("/srv/schemas/k8s",
                "/srv/catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json");
    }

    @Test
    void passesTheServersAllowedSignersFile() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).stdin(FEATURE).run("pre-receive", "--allowed-signers", "/etc/stagegate/allowed_signers");

        assertThat(engine.lastRequest(PushRequest.class).allowedSignersFile())
                .contains(Path.of("/etc/stagegate/allowed_signers"));
    }

    @Test
    void ignoresAClockThePusherCouldSet() {
        InProcessStagegate hook = hook(ScriptedEngine.accepting()).env("STAGEGATE_NOW", "2020-01-01T00:00:00Z");

        hook.stdin(FEATURE).run("pre-receive");

        assertThat(hook.clockSeen().instant()).isAfter(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void takesTheClockFromTheEnvironmentOnlyWhenTheHookScriptSaysSo() {
        InProcessStagegate hook = hook(ScriptedEngine.accepting()).env("STAGEGATE_NOW", "2020-01-01T00:00:00Z");

        hook.stdin(FEATURE).run("pre-receive", "--trust-clock-env");

        assertThat(hook.clockSeen().instant()).isEqualTo(java.time.Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void prefixesEveryLineForGitLab() {
        InProcessStagegate.Run run = hook(ScriptedEngine.rejecting(SKIPPED))
                .env("GL_ID", "user-7").stdin(MAIN).run("pre-receive");

        assertThat(run.stdout().lines())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("GL-HOOK-ERR: "));
    }

    @Test
    void rejectsAMalformedLine() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        InProcessStagegate.Run run = hook(engine).stdin(FEATURE + "garbage\n").run("pre-receive");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout().lines()).singleElement().asString()
                .startsWith("stagegate: cannot judge this push: malformed hook input line")
                .contains("garbage")
                .endsWith("; push rejected (fail closed)");
        assertThat(engine.lastRequest(PushRequest.class)).isNull();
    }

    @Test
    void rejectsWhenTheEngineMissesTheDeadline() {
        InProcessStagegate.Run run = hook(ScriptedEngine.hanging()).stdin(MAIN).run("pre-receive", "--deadline", "50ms");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("stagegate: no verdict within 50ms; push rejected (fail closed)"
                + System.lineSeparator());
    }

    @Test
    void takesTheDeadlineFromTheEnvironment() {
        InProcessStagegate.Run run = hook(ScriptedEngine.hanging())
                .env("STAGEGATE_DEADLINE", "20ms").stdin(MAIN).run("pre-receive");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).contains("no verdict within 20ms");
    }

    @Test
    void aBadDeadlineInTheEnvironmentRejects() {
        InProcessStagegate.Run run = hook(ScriptedEngine.accepting())
                .env("STAGEGATE_DEADLINE", "soon").env("GL_ID", "user-7").stdin(MAIN).run("pre-receive");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).startsWith("GL-HOOK-ERR: stagegate: STAGEGATE_DEADLINE: 'soon' is not a duration")
                .endsWith("; push rejected (fail closed)" + System.lineSeparator());
    }

    @Test
    void anEngineFailureRejectsWithoutAStackTrace() {
        InProcessStagegate.Run run = hook(ScriptedEngine.throwing(new IllegalStateException("pack index unreadable")))
                .stdin(MAIN).run("pre-receive");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("stagegate: cannot judge this push: pack index unreadable; "
                + "push rejected (fail closed)" + System.lineSeparator());
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void debugAddsTheStackTraceOnStderr() {
        InProcessStagegate.Run run = hook(ScriptedEngine.throwing(new IllegalStateException("pack index unreadable")))
                .stdin(MAIN).run("pre-receive", "--debug");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stderr()).contains("java.lang.IllegalStateException: pack index unreadable", "\tat ");
    }

    @Test
    void aMissingRepositoryRejects() {
        InProcessStagegate.Run run = new InProcessStagegate(ScriptedEngine.accepting())
                .in(repository.resolve("no-such.git")).stdin(MAIN).run("pre-receive");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).startsWith("stagegate: cannot judge this push: ").contains("no-such.git");
    }

    @Test
    void namesThePusherFromTheHostsVariables() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).env("GL_USERNAME", "alice").env("REMOTE_USER", "mallory").stdin(MAIN).run("pre-receive");

        assertThat(engine.lastRequest(PushRequest.class).pusher()).isEqualTo(new Pusher(Optional.of("alice")));
    }

    @Test
    void trustsOnlyThePinnedIdentityVariable() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).env("STAGEGATE_USER", "mallory").env("GL_USERNAME", "alice")
                .stdin(MAIN).run("pre-receive", "--identity-env", "GL_USERNAME");

        assertThat(engine.lastRequest(PushRequest.class).pusher()).isEqualTo(new Pusher(Optional.of("alice")));
    }

    @Test
    void takesThePinnedIdentityVariableFromTheEnvironment() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).env("STAGEGATE_IDENTITY_ENV", "GITEA_PUSHER_NAME").env("STAGEGATE_USER", "mallory")
                .stdin(MAIN).run("pre-receive");

        assertThat(engine.lastRequest(PushRequest.class).pusher()).isEqualTo(Pusher.ANONYMOUS);
    }

    @Test
    void readsThePushOptions() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).env("GIT_PUSH_OPTION_COUNT", "2")
                .env("GIT_PUSH_OPTION_0", "stagegate.bypass=hotfix INC-42")
                .env("GIT_PUSH_OPTION_1", "ci.skip")
                .stdin(MAIN).run("pre-receive");

        assertThat(engine.lastRequest(PushRequest.class).pushOptions())
                .containsExactly("stagegate.bypass=hotfix INC-42", "ci.skip");
    }

    @Test
    void anUnreadablePushOptionCountMeansNoOptions() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).env("GIT_PUSH_OPTION_COUNT", "many").env("GIT_PUSH_OPTION_0", "stagegate.bypass=x")
                .stdin(MAIN).run("pre-receive");

        assertThat(engine.lastRequest(PushRequest.class).pushOptions()).isEmpty();
    }

    @Test
    void auditsIntoTheGitDirectoryByDefault() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).stdin(MAIN).run("pre-receive");

        PushRequest request = engine.lastRequest(PushRequest.class);
        assertThat(request.auditLog()).isEqualTo(repository.resolve("stagegate-audit.log"));
        assertThat(request.policyFile()).isEmpty();
    }

    @Test
    void passesServerPolicyAndAuditLog() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        hook(engine).stdin(MAIN).run("pre-receive", "--policy", "/etc/stagegate/policy.yaml",
                "--audit-log", "/var/log/stagegate/audit.log");

        PushRequest request = engine.lastRequest(PushRequest.class);
        assertThat(request.policyFile()).contains(Path.of("/etc/stagegate/policy.yaml"));
        assertThat(request.auditLog()).isEqualTo(Path.of("/var/log/stagegate/audit.log"));
    }
}
