package dev.stagegate.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.stagegate.cli.OtherAccount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bash script {@code hook install --server} writes, run by bash with each socket client
 * against a server of the test's own: what it passes on, when it judges the push itself, and
 * that it tells a directory another account could have changed nothing at all. "java" is a
 * stand-in that says it judged here (and exits 1), or notes that a server was started.
 */
class ServerHookScriptTest {

    private static final String PUSH = "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/heads/main\n";

    @TempDir
    Path root;

    private Path serverDirectory;
    private Path java;
    private FakeServer server;

    @BeforeEach
    void standIns() throws IOException {
        serverDirectory = root.resolve("server");
        Files.createDirectories(serverDirectory);
        Files.setPosixFilePermissions(serverDirectory, PosixFilePermissions.fromString("rwx------"));
        java = root.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                for argument in "$@"; do
                  if [ "$argument" = serve ]; then echo started >> "$(dirname "$0")/servers-started"; exit 0; fi
                done
                cat > "$(dirname "$0")/judged-here"
                echo "judged here: $*"
                exit 1
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stopTheServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private ServerHookScript script(SocketClient client, Duration deadline) {
        return new ServerHookScript(Path.of("/bin/bash"), java, List.of("-Xmx256m"), root.resolve("it's.jar"),
                List.of("--identity-env", "GL_USERNAME", "--policy", "/etc/stage gate/policy.yaml"), List.of("-Xmx1g"),
                ServerDirectory.at(serverDirectory), client, program(client), deadline);
    }

    /** The tests need every client: .ci/run installs socat and netcat-openbsd; missing means failed, not skipped. */
    private static Path program(SocketClient client) {
        for (String directory : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(directory, client.programName());
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("the hook script tests need " + client.programName() + " (.ci/run installs it)");
    }

    @Test
    void isABashScriptStagegateRecognisesAsItsOwn() {
        String rendered = script(SocketClient.PERL, Duration.ofSeconds(4)).render();

        assertThat(rendered.lines().toList()).first().isEqualTo("#!/bin/bash");
        assertThat(HookShell.isOurs(rendered)).isTrue();
    }

    @Test
    void quotesEveryPathAndArgumentAndWaitsTheDeadlineAndTwoSeconds() {
        assertThat(script(SocketClient.SOCAT, Duration.ofMillis(4500)).render())
                .contains("jar=" + HookShell.quote(root.resolve("it's.jar").toString()) + "\n")
                .contains("arguments=(--identity-env GL_USERNAME --policy '/etc/stage gate/policy.yaml')\n")
                .contains("\"$java\" -Xmx256m -jar \"$jar\" pre-receive \"${arguments[@]}\"")
                .contains("env -i PATH=\"$PATH\" HOME=\"${HOME:-/}\" LANG=C.UTF-8 \"$java\" -Xmx1g -jar \"$jar\" hook serve"
                        + " --dir \"$server\"")
                .contains("field deadline 4500\n")
                .contains("wait=7\n");
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void passesTheServersVerdictOnExactlyWithItsTrailingNewlines(SocketClient client) throws Exception {
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(1,
                "error [skipped-stage] promote through staging first\n\n".getBytes(StandardCharsets.US_ASCII)));

        Run run = run(client, Duration.ofSeconds(4));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("error [skipped-stage] promote through staging first\n\n");
        String heard = server.heard();
        assertThat(heard).startsWith(HookProtocol.REQUEST + "\n").endsWith("\nend\n")
                .contains("stdin " + PUSH.length() + "\n" + PUSH + "\n")
                .contains("arg 27\n/etc/stage gate/policy.yaml\n")
                .contains("deadline 4\n4000\n")
                .contains("env 17\nGL_USERNAME=alice\n")
                .contains("cwd " + root.toString().length() + "\n" + root + "\n");
        assertThat(root.resolve("judged-here")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void judgesItselfWhenTheAnswerIsNoVerdictItTakes(SocketClient client) throws Exception {
        for (byte[] answer : List.of(
                "stagegate-verdict-2 7 0\n".getBytes(StandardCharsets.US_ASCII),
                "stagegate-verdict-2 0 40\ntoo short\n".getBytes(StandardCharsets.US_ASCII),
                "stagegate-verdict-2 0 x\n".getBytes(StandardCharsets.US_ASCII),
                "stagegate-verdict-1 0 0 proof\n".getBytes(StandardCharsets.US_ASCII),
                HookProtocol.decline("other-jar"))) {
            server = FakeServer.answering(serverDirectory, answer);

            Run run = run(client, Duration.ofSeconds(4));

            assertThat(run.output()).as(new String(answer, StandardCharsets.US_ASCII)).startsWith("judged here: ");
            assertThat(run.status()).isEqualTo(1);
            assertThat(Files.readString(root.resolve("judged-here"))).isEqualTo(PUSH);
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void withoutAServerItJudgesItselfAndStartsOne(SocketClient client) throws Exception {
        Run run = run(client, Duration.ofSeconds(4));

        assertThat(run.output()).startsWith("judged here: ");
        assertThat(root.resolve("judged-here")).hasContent(PUSH);
        waitFor(root.resolve("servers-started"));
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void aServerThatHangsUpLeavesItToJudgeItself(SocketClient client) throws Exception {
        server = FakeServer.answering(serverDirectory, new byte[0]);

        Run run = run(client, Duration.ofSeconds(4));

        assertThat(run.output()).startsWith("judged here: ");
        // nothing answered, so the script also starts a server, in case this one is dead
        waitFor(root.resolve("servers-started"));
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void aServerThatTookThePushAndStaysSilentFailsItClosed(SocketClient client) throws Exception {
        server = FakeServer.silent(serverDirectory);

        Run run = run(client, Duration.ofMillis(500));

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.output()).contains("gave no verdict within 3s; push rejected (fail closed)");
        assertThat(root.resolve("judged-here")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(SocketClient.class)
    void talksToNoServerInADirectoryOthersCanWrite(SocketClient client) throws Exception {
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(0, new byte[0]));
        Files.setPosixFilePermissions(serverDirectory, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertJudgedHereWithoutAWord(run(client, Duration.ofSeconds(4)));
    }

    @Test
    void talksToNoServerInAGroupWritableDirectory() throws Exception {
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(0, new byte[0]));
        Files.setPosixFilePermissions(serverDirectory, PosixFilePermissions.fromString("rwxrwx---"));

        assertJudgedHereWithoutAWord(run(SocketClient.PERL, Duration.ofSeconds(4)));
    }

    @Test
    void talksToNoServerBelowADirectoryOthersCanWriteWithoutTheStickyBit() throws Exception {
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(0, new byte[0]));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertJudgedHereWithoutAWord(run(SocketClient.PERL, Duration.ofSeconds(4)));
    }

    @Test
    void trustsADirectoryBelowAStickyOneSuchAsTmp() throws Exception {
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(0, "ok\n".getBytes(StandardCharsets.US_ASCII)));
        Files.setAttribute(root, "unix:mode", 01777);

        Run run = run(SocketClient.PERL, Duration.ofSeconds(4));

        assertThat(run.status()).isZero();
        assertThat(run.output()).isEqualTo("ok\n");
    }

    @Test
    void talksToNoServerThroughASymbolicLink() throws Exception {
        Path elsewhere = root.resolve("elsewhere");
        Files.move(serverDirectory, elsewhere);
        Files.createSymbolicLink(serverDirectory, elsewhere);
        server = FakeServer.answering(elsewhere, HookProtocol.verdict(0, new byte[0]));

        assertJudgedHereWithoutAWord(run(SocketClient.PERL, Duration.ofSeconds(4)));
    }

    @Test
    void talksToNoSocketThatIsASymbolicLink() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        server = FakeServer.answering(elsewhere, HookProtocol.verdict(0, new byte[0]));
        Files.createSymbolicLink(serverDirectory.resolve(ServerDirectory.SOCKET_FILE), server.socket());

        Run run = run(SocketClient.PERL, Duration.ofSeconds(4));

        assertThat(run.output()).startsWith("judged here: ");
        assertThat(server.connections()).isZero();
    }

    @Test
    void talksToNoServerInADirectoryOfAnotherAccount() throws Exception {
        OtherAccount.requireRoot();
        server = FakeServer.answering(serverDirectory, HookProtocol.verdict(0, new byte[0]));
        OtherAccount.chown(serverDirectory);

        assertJudgedHereWithoutAWord(run(SocketClient.PERL, Duration.ofSeconds(4)));
    }

    @Test
    void theHookScriptIsValidBash() throws IOException, InterruptedException {
        for (SocketClient client : SocketClient.values()) {
            Path hook = Files.writeString(root.resolve("pre-receive"), script(client, Duration.ofSeconds(4)).render());
            Process check = new ProcessBuilder("bash", "-n", hook.toString()).redirectErrorStream(true).start();
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
            assertThat(check.exitValue()).isZero();
        }
    }

    /** Judged by the JVM, no server started there, and the server there never even connected to. */
    private void assertJudgedHereWithoutAWord(Run run) throws InterruptedException {
        assertThat(run.output()).startsWith("judged here: ");
        assertThat(run.status()).isEqualTo(1);
        assertThat(server.connections()).isZero();
        Thread.sleep(200);
        assertThat(root.resolve("servers-started")).doesNotExist();
    }

    private record Run(int status, String output) {
    }

    private Run run(SocketClient client, Duration deadline) throws IOException, InterruptedException {
        Path hook = root.resolve("pre-receive");
        Files.writeString(hook, script(client, deadline).render());
        Files.deleteIfExists(root.resolve("judged-here"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", hook.toString()).directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("GL_USERNAME", "alice");
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(PUSH.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertThat(file).exists();
    }

    /** A Unix socket server of the test's own: reads the request to its end, then answers with fixed bytes, or not at all. */
    static final class FakeServer implements AutoCloseable {

        private final ServerSocketChannel socket;
        private final Path path;
        private final ByteArrayOutputStream heard = new ByteArrayOutputStream();
        private volatile int connections;

        private FakeServer(Path directory, byte[] answer) throws IOException {
            path = directory.resolve(ServerDirectory.SOCKET_FILE);
            socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            socket.bind(UnixDomainSocketAddress.of(path));
            Thread thread = new Thread(() -> serve(answer), "fake-server");
            thread.setDaemon(true);
            thread.start();
        }

        static FakeServer answering(Path directory, byte[] answer) throws IOException {
            return new FakeServer(directory, answer);
        }

        static FakeServer silent(Path directory) throws IOException {
            return new FakeServer(directory, null);
        }

        Path socket() {
            return path;
        }

        int connections() {
            return connections;
        }

        synchronized String heard() {
            return heard.toString(StandardCharsets.UTF_8);
        }

        private void serve(byte[] answer) {
            while (socket.isOpen()) {
                try (SocketChannel connection = socket.accept()) {
                    connections++;
                    InputStream in = Channels.newInputStream(connection);
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    while (!request.toString(StandardCharsets.UTF_8).endsWith("\nend\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        request.write(b);
                    }
                    synchronized (this) {
                        heard.writeBytes(request.toByteArray());
                    }
                    if (answer == null) {
                        Thread.sleep(10_000);
                        continue;
                    }
                    OutputStream out = Channels.newOutputStream(connection);
                    out.write(answer);
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            Files.deleteIfExists(path);
        }
    }
}
