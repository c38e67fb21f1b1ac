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
    void anImpostorOnThePortCannotAcceptAPush() throws Exception {
        ProgramResult skipped = pushSkippingDevelopAgainst(true);

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        assertThat(skipped.remoteLines()).noneMatch(line -> line.contains("impostor"));
    }

    @Test
    void aServerThatHangsUpMidRequestLeavesTheHookToJudge() throws Exception {
        ProgramResult skipped = pushSkippingDevelopAgainst(false);

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
    }

    /**
     * Kills the real server and puts a listener of the test's own on the endpoint's port, with
     * a secret it does not know: it greets, then either reads the request and answers "accepted"
     * without a valid proof, or hangs up at once.
     */
    private ProgramResult pushSkippingDevelopAgainst(boolean answering) throws Exception {
        endpointOnceWritten();
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
        waitUntil(() -> serverProcesses().findAny().isEmpty(), "the server to die");
        try (ServerSocket impostor = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(serverDirectory.resolve(HookServer.ENDPOINT_FILE),
                    impostor.getLocalPort() + " " + "a".repeat(64) + "\n");
            Thread thread = new Thread(() -> impersonate(impostor, answering), "impostor");
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

    private static void impersonate(ServerSocket impostor, boolean answering) {
        while (!impostor.isClosed()) {
            try (Socket connection = impostor.accept()) {
                OutputStream out = connection.getOutputStream();
                out.write((HookProtocol.GREETING + " 0123456789abcdef\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (!answering) {
                    continue;
                }
                readUntilEnd(connection);
                String body = "impostor: accepted\n";
                out.write((HookProtocol.VERDICT + " 0 " + body.length() + " " + "b".repeat(64) + "\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads the hook's request up to its closing "end" line. */
    private static void readUntilEnd(Socket connection) throws IOException {
        connection.setSoTimeout(5000);
        InputStream in = connection.getInputStream();
        StringBuilder tail = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            tail.append((char) b);
            if (tail.length() > 5) {
                tail.deleteCharAt(0);
            }
            if (tail.toString().equals("\nend\n")) {
                return;
            }
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
