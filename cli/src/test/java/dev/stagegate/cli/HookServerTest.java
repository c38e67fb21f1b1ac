package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.PushRequest;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.report.Violation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident server, spoken to the way the hook script speaks to it, with a scripted engine behind it. */
class HookServerTest {

    private static final String MAIN = "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/heads/main\n";
    private static final Violation SKIPPED = Violation.error("skipped-stage", "promote through staging first")
            .withRef("refs/heads/main").withEnvironment("production");

    @TempDir
    Path root;

    private Path repository;
    private Path directory;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<HookServer> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void bareRepository() throws Exception {
        repository = root.resolve("repo.git");
        directory = root.resolve("server");
        Git.init().setBare(true).setDirectory(repository.toFile()).call().close();
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        started.forEach(HookServer::close);
        ProcessMemory.disable();
        release.countDown();
        for (int i = 0; i < 100 && OverrunJudgements.anyStillRunning(); i++) {
            Thread.sleep(50);
        }
    }

    private HookServer start(Engine engine, Optional<Path> jar) throws IOException {
        Function<Clock, Engine> engines = clock -> engine;
        HookServer server = HookServer.start(directory, jar, 2, new PrintStream(log, true, StandardCharsets.UTF_8),
                false, engines).orElseThrow();
        started.add(server);
        Thread thread = new Thread(server::serve, "test-server");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    @Test
    void judgesThePushWithTheHooksEnvironmentDirectoryArgumentsAndStdin() throws IOException {
        ScriptedEngine engine = ScriptedEngine.rejecting(SKIPPED);
        HookServer server = start(engine, Optional.empty());

        Answer answer = new Client(server.port(), server.secret())
                .environment("STAGEGATE_USER", "alice").environment("GL_ID", "user-1")
                .argument("--identity-env").argument("STAGEGATE_USER")
                .ask(MAIN);

        assertThat(answer.kind()).isEqualTo(HookProtocol.VERDICT);
        assertThat(answer.status()).isEqualTo(1);
        assertThat(answer.proofIsValid()).isTrue();
        assertThat(answer.body()).startsWith("GL-HOOK-ERR: error [skipped-stage] ");
        PushRequest request = engine.lastRequest(PushRequest.class);
        assertThat(request.updates()).containsExactly(RefUpdate.parse(MAIN.strip()));
        assertThat(request.pusher().identity()).contains("alice");
        assertThat(request.repository().getDirectory().toPath()).isEqualTo(repository);
    }

    @Test
    void anAcceptedPushComesWithAProofOfTheSecret() throws IOException {
        HookServer server = start(ScriptedEngine.accepting(), Optional.empty());

        Answer answer = new Client(server.port(), server.secret()).ask(MAIN);

        assertThat(answer.status()).isZero();
        assertThat(answer.proofIsValid()).isTrue();
        assertThat(new Client(server.port(), "0".repeat(64)).expectedProof(answer)).isNotEqualTo(answer.proof());
    }

    @Test
    void aClientWithoutTheSecretGetsNoVerdict() throws Exception {
        ScriptedEngine engine = ScriptedEngine.accepting();
        HookServer server = start(engine, Optional.empty());

        Answer answer = new Client(server.port(), "f".repeat(64)).ask(MAIN);

        assertThat(answer.kind()).isEmpty();
        assertThat(answer.body()).isEmpty();
        assertThat(engine.lastRequest(PushRequest.class)).isNull();
        assertThat(logOnceItHas("proof does not match")).contains("proof does not match");
    }

    @Test
    void aMalformedRequestIsDroppedWithoutAVerdict() throws Exception {
        HookServer server = start(ScriptedEngine.accepting(), Optional.empty());

        Answer answer = new Client(server.port(), server.secret()).rawField("stdin 99999999999\n").ask(MAIN);

        assertThat(answer.kind()).isEmpty();
        assertThat(logOnceItHas("malformed or oversized field")).contains("malformed or oversized field");
    }

    @Test
    void aPeerThatTricklesItsRequestIsCutOffWithinTheRequestTimeout() throws Exception {
        HookServer server = start(ScriptedEngine.accepting(), Optional.empty());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (in.read() != '\n') {
                // the greeting
            }
            long started = System.nanoTime();
            int read = 0;
            for (int i = 0; i < 40 && read >= 0; i++) {
                try {
                    out.write('s');
                    out.flush();
                    Thread.sleep(200);
                    read = socket.getInputStream().available() > 0 ? in.read() : 0;
                } catch (IOException e) {
                    read = -1;
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(6_000);
        }
    }

    @Test
    void declinesAHookThatRunsADifferentJar() throws IOException {
        Path own = Files.writeString(root.resolve("own.jar"), "this stagegate");
        Path other = Files.writeString(root.resolve("other.jar"), "another stagegate");
        Path copy = Files.writeString(root.resolve("copy.jar"), "this stagegate");
        HookServer server = start(ScriptedEngine.accepting(), Optional.of(own));

        assertThat(new Client(server.port(), server.secret()).jar(other).ask(MAIN).kind())
                .isEqualTo(HookProtocol.DECLINE);
        assertThat(new Client(server.port(), server.secret()).jar(copy).ask(MAIN).kind())
                .isEqualTo(HookProtocol.VERDICT);
    }

    @Test
    void stepsAsideWhenItsJarIsReplaced() throws Exception {
        Path own = Files.writeString(root.resolve("own.jar"), "this stagegate");
        HookServer server = start(ScriptedEngine.accepting(), Optional.of(own));
        Files.writeString(own, "a newer stagegate");

        Answer answer = new Client(server.port(), server.secret()).jar(own).ask(MAIN);

        assertThat(answer.kind()).isEqualTo(HookProtocol.DECLINE);
        assertThat(answer.header()).endsWith(" restart");
        server.awaitAnswers(5, TimeUnit.SECONDS);
        assertThat(directory.resolve(HookServer.ENDPOINT_FILE)).doesNotExist();
    }

    @Test
    void publishesItsEndpointForThisAccountOnly() throws IOException {
        HookServer server = start(ScriptedEngine.accepting(), Optional.empty());

        Path endpoint = directory.resolve(HookServer.ENDPOINT_FILE);
        assertThat(Files.readString(endpoint)).isEqualTo(server.port() + " " + server.secret() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
    }

    @Test
    void oneServerPerDirectory() throws IOException {
        start(ScriptedEngine.accepting(), Optional.empty());

        assertThat(HookServer.start(directory, Optional.empty(), 1, System.err, false, clock -> null)).isEmpty();
    }

    @Test
    void refusesADirectoryOtherAccountsCanWrite() throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> HookServer.start(directory, Optional.empty(), 1, System.err, false, clock -> null))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("writable by other accounts");
    }

    @Test
    void stopsAfterAJudgementOverranItsDeadline() throws Exception {
        HookServer server = start(ScriptedEngine.ignoringInterrupts(release), Optional.empty());

        Answer answer = new Client(server.port(), server.secret()).argument("--deadline").argument("200ms").ask(MAIN);

        assertThat(answer.status()).isEqualTo(3);
        assertThat(answer.body()).contains("no verdict within 200ms");
        server.awaitAnswers(5, TimeUnit.SECONDS);
        assertThat(logOnceItHas("past its deadline")).contains("still running past its deadline; stopping");
        assertThat(directory.resolve(HookServer.ENDPOINT_FILE)).doesNotExist();
    }

    /** The server logs after the connection is closed: wait a little for the line. */
    private String logOnceItHas(String text) throws InterruptedException {
        for (int i = 0; i < 100 && !log.toString(StandardCharsets.UTF_8).contains(text); i++) {
            Thread.sleep(20);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    /** What the server said: its header line split up, and the body. */
    private record Answer(String header, String kind, int status, String proof, String body, boolean proofIsValid) {
    }

    /** Speaks the protocol as the bash hook script does. */
    private final class Client {

        private final int port;
        private final String secret;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> arguments = new ArrayList<>();
        private final String nonce = "0123456789abcdef0123";
        private Path jar;
        private String rawField = "";

        Client(int port, String secret) {
            this.port = port;
            this.secret = secret;
            environment.put("GIT_DIR", ".");
        }

        Client environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        Client argument(String argument) {
            arguments.add(argument);
            return this;
        }

        Client jar(Path path) {
            jar = path;
            return this;
        }

        Client rawField(String text) {
            rawField = text;
            return this;
        }

        Answer ask(String stdin) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                String[] greeting = line(in).split(" ");
                assertThat(greeting[0]).isEqualTo(HookProtocol.GREETING);
                out.write((HookProtocol.REQUEST + " " + nonce + " "
                        + HookProtocol.clientProof(secret, greeting[1], nonce) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String[] ready;
                try {
                    ready = line(in).split(" ");
                } catch (IOException e) {
                    return new Answer("", "", -1, "", "", false);
                }
                assertThat(ready[0]).isEqualTo(HookProtocol.READY);
                assertThat(ready[1]).isEqualTo(HookProtocol.readyProof(secret, nonce, greeting[1]));
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                field(request, "cwd", repository.toString());
                if (jar != null) {
                    field(request, "jar", jar.toString());
                }
                arguments.forEach(argument -> field(request, "arg", argument));
                environment.forEach((name, value) -> field(request, "env", name + "=" + value));
                request.writeBytes(rawField.getBytes(StandardCharsets.UTF_8));
                field(request, "stdin", stdin);
                request.writeBytes("end\n".getBytes(StandardCharsets.UTF_8));
                try {
                    out.write(request.toByteArray());
                    out.flush();
                } catch (IOException e) {
                    // the server may drop a bad request before reading all of it
                }
                String header;
                try {
                    header = line(in);
                } catch (IOException e) {
                    return new Answer("", "", -1, "", "", false);
                }
                String[] words = header.split(" ");
                if (!words[0].equals(HookProtocol.VERDICT)) {
                    return new Answer(header, words[0], -1, "", "", false);
                }
                int status = Integer.parseInt(words[1]);
                byte[] body = in.readNBytes(Integer.parseInt(words[2]));
                Answer unchecked = new Answer(header, words[0], status, words[3], new String(body, StandardCharsets.UTF_8),
                        false);
                return new Answer(header, words[0], status, words[3], unchecked.body(),
                        expectedProof(unchecked).equals(words[3]));
            }
        }

        String expectedProof(Answer answer) {
            return HookProtocol.verdictProof(secret, nonce, answer.status(), answer.body().getBytes(StandardCharsets.UTF_8));
        }

        private void field(ByteArrayOutputStream request, String name, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            request.writeBytes((name + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(bytes);
            request.write('\n');
        }

        private String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
    }
}
