package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.PushRequest;
import dev.stagegate.cli.server.HookProtocol;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.report.Violation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the resident server has each push judged: as the hook would, and never longer than the hook waits. */
class HookServeCommandTest {

    private static final String MAIN = "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/heads/main\n";

    @TempDir
    Path repository;

    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void bareRepository() throws Exception {
        Git.init().setBare(true).setDirectory(repository.toFile()).call().close();
    }

    @AfterEach
    void releaseTheStuckJudgement() throws InterruptedException {
        release.countDown();
        for (int i = 0; i < 100 && OverrunJudgements.anyStillRunning(); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void judgesWithTheHooksArgumentsEnvironmentDirectoryAndStdin() {
        ScriptedEngine engine = ScriptedEngine.rejecting(Violation.error("skipped-stage", "promote through staging first")
                .withRef("refs/heads/main").withEnvironment("production"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int status = judge(engine, List.of("--identity-env", "STAGEGATE_USER"),
                Map.of("GIT_DIR", ".", "STAGEGATE_USER", "alice", "GL_ID", "user-1"), Duration.ofSeconds(4), output);

        assertThat(status).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).startsWith("GL-HOOK-ERR: error [skipped-stage] ");
        PushRequest request = engine.lastRequest(PushRequest.class);
        assertThat(request.updates()).containsExactly(RefUpdate.parse(MAIN.strip()));
        assertThat(request.pusher().identity()).contains("alice");
        assertThat(request.repository().getDirectory().toPath()).isEqualTo(repository);
    }

    /** A forwarded STAGEGATE_DEADLINE of an hour would hold a worker for a push the hook rejected long ago. */
    @Test
    void neverJudgesLongerThanTheHookWaitsWhateverTheForwardedEnvironmentAsks() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long started = System.nanoTime();

        int status = judge(ScriptedEngine.ignoringInterrupts(release), List.of(),
                Map.of("GIT_DIR", ".", "STAGEGATE_DEADLINE", "60m"), Duration.ofMillis(300), output);

        assertThat(status).isEqualTo(3);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("no verdict within 300ms; push rejected (fail closed)");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }

    @Test
    void aShorterDeadlineOfTheHooksOwnStillApplies() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int status = judge(ScriptedEngine.ignoringInterrupts(release), List.of("--deadline", "200ms"),
                Map.of("GIT_DIR", "."), Duration.ofSeconds(4), output);

        assertThat(status).isEqualTo(3);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("no verdict within 200ms");
    }

    private int judge(Engine engine, List<String> arguments, Map<String, String> environment, Duration deadline,
            ByteArrayOutputStream output) {
        HookProtocol.Request request = new HookProtocol.Request(repository, null, deadline, arguments, environment,
                MAIN.getBytes(StandardCharsets.US_ASCII));
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        return new HookServeCommand.PreReceiveJudge(clock -> engine).judge(request, print);
    }
}
