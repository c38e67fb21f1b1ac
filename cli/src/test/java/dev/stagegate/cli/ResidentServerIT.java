package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes with real git through the hook that {@code hook install --server} writes: the bash
 * script, the resident server it starts, and every way the server can be missing or false.
 */
@Tag("end-to-end")
class ResidentServerIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            environmentSpecificPaths: ["env/**"]
            """;
    /**
     * A JVM given this cannot start: pushed with it, a push can only be accepted by the
     * server, since the hook's own JVM would fail (and so reject).
     */
    private static final Map<String, String> NO_JVM_IN_THE_HOOK = Map.of("JAVA_TOOL_OPTIONS", "-XX:+StagegateNoSuchOption");

    @TempDir
    Path root;

    private Path serverDirectory;
    private ServerRepository server;
    private Workspace workspace;
    private int change;

    @BeforeEach
    void repositoryWithTheServerHook() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        serverDirectory = root.resolve("stagegate-server");
        server = ServerRepository.init(git, root.resolve("server.git")).withHookInstalled("--server", serverDirectory.toString());
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/frontend/values.yaml", "replicas: 2\n")
                .commit("Start the environments");
        assertThat(workspace.push("main:develop").exitCode()).isZero();
        assertThat(workspace.push("main").exitCode()).isZero();
    }

    @AfterEach
    void stopTheServer() {
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theFirstPushStartsTheServerAndTheNextOnesAreJudgedByIt() throws Exception {
        endpointOnceWritten();
        nextChange().commit("Change develop");
        assertThat(workspace.push(NO_JVM_IN_THE_HOOK, "main:develop").exitCode()).isZero();

        ProgramResult promotion = workspace.push(NO_JVM_IN_THE_HOOK, "main");
        assertThat(promotion.exitCode()).as("%s", promotion).isZero();
        assertThat(promotion.remoteLines()).contains("stagegate: accepted (0 errors, 0 warnings)");

        nextChange().commit("Skip develop");
        ProgramResult skipped = workspace.push(NO_JVM_IN_THE_HOOK, "main");
        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        assertThat(serverProcesses().count()).isEqualTo(1);
    }

    @Test
    void whenTheServerIsKilledTheHookJudgesAloneAndStartsAnotherServer() throws Exception {
        String firstEndpoint = endpointOnceWritten();
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
        waitUntil(() -> serverProcesses().findAny().isEmpty(), "the server to die");
        nextChange().commit("Change develop, then skip it");
        // the hook's own JVM cannot start with these variables, and no server answers: rejected
        assertThat(workspace.push(NO_JVM_IN_THE_HOOK, "main:develop").exitCode()).isNotZero();

        ProgramResult skipped = workspace.push("main");

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        waitUntil(() -> !readEndpoint().equals(firstEndpoint) && !readEndpoint().isEmpty(), "a new server");
    }

    @Test
    void anImpostorOnThePortCannotAcceptAPushNorLearnIt() throws Exception {
        ProgramResult skipped = pushSkippingDevelopAgainst(Impostor.ACCEPTS_WITHOUT_PROOF);

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        assertThat(skipped.remoteLines()).noneMatch(line -> line.contains("impostor"));
        assertThat(impostorHeard.toString()).startsWith(HookProtocol.REQUEST + " ")
                .doesNotContain("refs/heads/main").doesNotContain("GIT_DIR").doesNotContain("cwd ");
    }

    @Test
    void anImpostorThatStaysSilentLeavesTheHookToJudgeAndAServerIsStarted() throws Exception {
        ProgramResult skipped = pushSkippingDevelopAgainst(Impostor.STAYS_SILENT);

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        waitUntil(() -> serverProcesses().findAny().isPresent(), "a real server to be started");
    }

    @Test
    void aServerThatHangsUpMidRequestLeavesTheHookToJudge() throws Exception {
        ProgramResult skipped = pushSkippingDevelopAgainst(Impostor.HANGS_UP);

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
    }

    /** What the listener the tests put on the server's port does after its greeting. */
    private enum Impostor { ACCEPTS_WITHOUT_PROOF, STAYS_SILENT, HANGS_UP }

    private final StringBuffer impostorHeard = new StringBuffer();

    /**
     * Kills the real server and puts a listener of the test's own on the endpoint's port, with
     * a secret it does not know.
     */
    private ProgramResult pushSkippingDevelopAgainst(Impostor impostor) throws Exception {
        endpointOnceWritten();
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
        waitUntil(() -> serverProcesses().findAny().isEmpty(), "the server to die");
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(serverDirectory.resolve(HookServer.ENDPOINT_FILE),
                    listener.getLocalPort() + " " + "a".repeat(64) + "\n");
            Thread thread = new Thread(() -> impersonate(listener, impostor), "impostor");
            thread.setDaemon(true);
            thread.start();
            nextChange().commit("Skip develop");
            return workspace.push("main");
        }
    }

    @Test
    void aReinstalledJarReplacesTheServer() throws Exception {
        String firstEndpoint = endpointOnceWritten();
        Path jar = server.hooks().resolve(HookInstallCommand.JAR_NAME);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        nextChange().commit("Change develop");

        ProgramResult promotion = workspace.push("main:develop");

        assertThat(promotion.exitCode()).as("%s", promotion).isZero();
        waitUntil(() -> !readEndpoint().equals(firstEndpoint) || serverProcesses().findAny().isEmpty(),
                "the old server to step aside");
        assertThat(workspace.push("main").exitCode()).isZero();
        waitUntil(() -> !readEndpoint().isEmpty() && !readEndpoint().equals(firstEndpoint), "a new server");
    }

    private Workspace nextChange() {
        change++;
        return workspace.write("apps/frontend/values.yaml", "replicas: " + (2 + change) + "\n");
    }

    private void impersonate(ServerSocket listener, Impostor impostor) {
        while (!listener.isClosed()) {
            try (Socket connection = listener.accept()) {
                OutputStream out = connection.getOutputStream();
                out.write((HookProtocol.GREETING + " 0123456789abcdef\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (impostor == Impostor.HANGS_UP) {
                    continue;
                }
                hear(connection);
                if (impostor == Impostor.ACCEPTS_WITHOUT_PROOF) {
                    out.write((HookProtocol.READY + " " + "c".repeat(64) + "\n").getBytes(StandardCharsets.US_ASCII));
                    String body = "impostor: accepted\n";
                    out.write((HookProtocol.VERDICT + " 0 " + body.length() + " " + "b".repeat(64) + "\n" + body)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                hear(connection);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Keeps what the hook sends, until it has sent nothing for a while or hangs up. */
    private void hear(Socket connection) throws IOException {
        connection.setSoTimeout(1500);
        InputStream in = connection.getInputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                impostorHeard.append((char) b);
            }
        } catch (java.net.SocketTimeoutException e) {
            // quiet for a while: the hook has said what it will say
        }
    }

    private java.util.stream.Stream<ProcessHandle> serverProcesses() {
        String marker = "--dir " + serverDirectory;
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(marker));
    }

    private String endpointOnceWritten() throws InterruptedException {
        waitUntil(() -> !readEndpoint().isEmpty(), "the server's endpoint file");
        return readEndpoint();
    }

    private String readEndpoint() {
        try {
            return Files.readString(serverDirectory.resolve(HookServer.ENDPOINT_FILE));
        } catch (IOException e) {
            return "";
        }
    }

    private void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("waited 30 s for " + what + "; server log:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(serverDirectory.resolve(HookServer.LOG_FILE));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
