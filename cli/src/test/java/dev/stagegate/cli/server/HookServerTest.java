package dev.stagegate.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.cli.OtherAccount;
import dev.stagegate.memo.ProcessMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resident server, spoken to the way the hook script speaks to it, with a judge of the test's own behind it. */
class HookServerTest {

    private static final String PUSH = "2222222222222222222222222222222222222222 "
            + "3333333333333333333333333333333333333333 refs/heads/main\n";

    @TempDir
    Path root;

    private ServerDirectory directory;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<HookServer> started = new ArrayList<>();
    private final AtomicReference<HookProtocol.Request> lastRequest = new AtomicReference<>();
    private final AtomicBoolean overrun = new AtomicBoolean();

    @BeforeEach
    void serverDirectory() {
        directory = ServerDirectory.at(root.resolve("server"));
    }

    @AfterEach
    void stopServers() {
        started.forEach(HookServer::close);
        ProcessMemory.disable();
    }

    /** A judge that prints {@code output} and returns {@code status}. */
    private HookServer start(int status, String output, Optional<Path> jar) throws IOException {
        HookServer.Judge judge = new HookServer.Judge() {
            @Override
            public int judge(HookProtocol.Request request, PrintStream print) {
                lastRequest.set(request);
                print.print(output);
                return status;
            }

            @Override
            public boolean anyOverrunStillRunning() {
                return overrun.get();
            }
        };
        HookServer server = HookServer.start(directory, jar, 2, new PrintStream(log, true, StandardCharsets.UTF_8),
                false, judge).orElseThrow();
        started.add(server);
        Thread thread = new Thread(server::serve, "test-server");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    @Test
    void judgesThePushWithTheHooksDirectoryArgumentsEnvironmentDeadlineAndStdin() throws IOException {
        start(1, "error [skipped-stage] promote through staging first\n", Optional.empty());

        String answer = ask(request(List.of("--identity-env", "GL_USERNAME"), List.of("GL_USERNAME=alice"), "4000"));

        assertThat(answer).isEqualTo(HookProtocol.VERDICT + " 1 52\nerror [skipped-stage] promote through staging first\n");
        HookProtocol.Request request = lastRequest.get();
        assertThat(request.workingDirectory()).isEqualTo(root);
        assertThat(request.arguments()).containsExactly("--identity-env", "GL_USERNAME");
        assertThat(request.environment()).containsEntry("GL_USERNAME", "alice");
        assertThat(request.deadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(new String(request.stdin(), StandardCharsets.US_ASCII)).isEqualTo(PUSH);
    }

    @Test
    void aHookCannotAskForMoreThanAMinute() throws IOException {
        start(0, "", Optional.empty());

        ask(request(List.of(), List.of(), "3600000"));

        assertThat(lastRequest.get().deadline()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void answersWithPlainAsciiAndOnlyTheStatusesTheScriptTakes() throws IOException {
        start(7, "caf\u00e9 \u001b[31m\n", Optional.empty());

        assertThat(ask(request(List.of(), List.of(), "4000"))).isEqualTo(HookProtocol.VERDICT + " 3 12\ncaf?? ?[31m\n");
    }

    @Test
    void aMalformedRequestIsDroppedWithoutAVerdict() throws Exception {
        start(0, "", Optional.empty());

        assertThat(ask("stagegate-hook-2\nstdin 99999999999\n")).isEmpty();
        assertThat(logOnceItHas("malformed or oversized field")).contains("malformed or oversized field");
        assertThat(ask("stagegate-hook-1 0123456789abcdef 00\n")).isEmpty();
        assertThat(ask(HookProtocol.REQUEST + "\ncwd 1\n/\nstdin 0\n\nend\n")).as("no deadline").isEmpty();
        assertThat(lastRequest.get()).isNull();
    }

    @Test
    void aPeerThatTricklesItsRequestIsCutOffWithinTheRequestTimeout() throws Exception {
        start(0, "", Optional.empty());

        try (SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(directory.socket()))) {
            OutputStream out = Channels.newOutputStream(socket);
            long started = System.nanoTime();
            boolean open = true;
            for (int i = 0; i < 40 && open; i++) {
                try {
                    out.write('s');
                    out.flush();
                    Thread.sleep(200);
                } catch (IOException e) {
                    open = false;
                }
            }
            assertThat(open).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(6_000);
        }
    }

    @Test
    void declinesAHookThatRunsADifferentJar() throws IOException {
        Path own = Files.writeString(root.resolve("own.jar"), "this stagegate");
        Path other = Files.writeString(root.resolve("other.jar"), "another stagegate");
        Path copy = Files.writeString(root.resolve("copy.jar"), "this stagegate");
        start(0, "", Optional.of(own));

        assertThat(ask(request(other))).isEqualTo(HookProtocol.DECLINE + " other-jar\n");
        assertThat(ask(request(copy))).startsWith(HookProtocol.VERDICT + " 0 ");
    }

    @Test
    void stepsAsideWhenItsJarIsReplaced() throws Exception {
        Path own = Files.writeString(root.resolve("own.jar"), "this stagegate");
        HookServer server = start(0, "", Optional.of(own));
        Files.writeString(own, "a newer stagegate");

        assertThat(ask(request(own))).isEqualTo(HookProtocol.DECLINE + " restart\n");
        server.awaitAnswers(5, TimeUnit.SECONDS);
        assertThat(directory.socket()).doesNotExist();
    }

    @Test
    void stopsAfterAJudgementOverranItsDeadline() throws Exception {
        HookServer server = start(3, "stagegate: no verdict within 200ms; push rejected (fail closed)\n", Optional.empty());
        overrun.set(true);

        assertThat(ask(request(List.of(), List.of(), "200"))).startsWith(HookProtocol.VERDICT + " 3 ");
        server.awaitAnswers(5, TimeUnit.SECONDS);
        assertThat(logOnceItHas("past its deadline")).contains("still running past its deadline; stopping");
        assertThat(directory.socket()).doesNotExist();
    }

    @Test
    void keepsSocketLockAndLogToItsAccountInADirectoryOnlyItCanEnter() throws IOException {
        directory.createOwnerOnlyIfMissing();
        Files.writeString(directory.path().resolve(ServerDirectory.LOG_FILE), "written with a careless umask\n");
        Files.setPosixFilePermissions(directory.path().resolve(ServerDirectory.LOG_FILE),
                PosixFilePermissions.fromString("rw-rw-rw-"));
        start(0, "", Optional.empty());

        assertThat(mode(directory.path())).isEqualTo("rwx------");
        assertThat(mode(directory.socket())).isEqualTo("rw-------");
        assertThat(mode(directory.path().resolve(ServerDirectory.LOCK_FILE))).isEqualTo("rw-------");
        assertThat(mode(directory.path().resolve(ServerDirectory.LOG_FILE))).isEqualTo("rw-------");
    }

    @Test
    void oneServerPerDirectory() throws IOException {
        start(0, "", Optional.empty());

        assertThat(HookServer.start(directory, Optional.empty(), 1, System.err, false, null)).isEmpty();
    }

    @Test
    void replacesTheSocketADeadServerLeft() throws IOException {
        directory.createOwnerOnlyIfMissing();
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(directory.socket()));
        }
        start(0, "", Optional.empty());

        assertThat(ask(request(List.of(), List.of(), "4000"))).startsWith(HookProtocol.VERDICT + " 0 ");
    }

    @Test
    void refusesADirectoryOtherAccountsCanWriteOrEnter() throws IOException {
        for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwxr-xr-x", "rwx--x--x")) {
            directory.createOwnerOnlyIfMissing();
            Files.setPosixFilePermissions(directory.path(), PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> HookServer.start(directory, Optional.empty(), 1, System.err, false, null))
                    .as(mode)
                    .isInstanceOf(HookServer.UntrustedDirectoryException.class)
                    .hasMessageContaining(directory.path().toString());
        }
    }

    @Test
    void refusesADirectoryBehindASymbolicLinkOrBelowOneOthersCanWrite() throws IOException {
        Path real = Files.createDirectories(root.resolve("real"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(directory.path(), real);
        assertThatThrownBy(() -> HookServer.start(directory, Optional.empty(), 1, System.err, false, null))
                .hasMessageContaining("is a symbolic link");

        Path open = Files.createDirectories(root.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> HookServer.start(ServerDirectory.at(open.resolve("server")), Optional.empty(), 1,
                System.err, false, null))
                .hasMessageContaining("writable by other accounts without the sticky bit");
    }

    @Test
    void refusesASocketPathLongerThanAnAddressHolds() throws IOException {
        ServerDirectory deep = ServerDirectory.at(root.resolve("d".repeat(100)));

        assertThatThrownBy(() -> HookServer.start(deep, Optional.empty(), 1, System.err, false, null))
                .hasMessageContaining("more than the 107 a Unix socket address holds");
    }

    @Test
    void anotherAccountThatReachesTheSocketGetsNoAnswerAndHoldsNoWorker() throws Exception {
        OtherAccount.requireRoot();
        start(0, "accepted\n", Optional.empty());
        // a careless chmod lets others reach the socket; its peer check still turns them away
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(directory.path(), PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(directory.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));

        // 80 connections held open, more than the server's workers and its queue together
        Process attacker = new ProcessBuilder(OtherAccount.command("perl", "-MSocket", "-e", """
                $SIG{PIPE} = "IGNORE";
                my @held;
                for (1 .. 80) {
                    socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die;
                    connect($s, pack_sockaddr_un($ARGV[0])) or die "connect: $!";
                    syswrite($s, "stagegate-hook-2\\n");
                    push @held, $s;
                }
                print "holding\\n"; $| = 1;
                my $heard = 0;
                for my $s (@held) { $heard += sysread($s, my $b, 100) // 0 }
                print "heard $heard\\n";
                """, directory.socket().toString())).redirectErrorStream(true).start();
        try {
            InputStream out = attacker.getInputStream();
            String holding = new String(out.readNBytes(8), StandardCharsets.US_ASCII);
            assertThat(holding).isEqualTo("holding\n");

            long asked = System.nanoTime();
            assertThat(ask(request(List.of(), List.of(), "4000"))).startsWith(HookProtocol.VERDICT + " 0 ");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).isLessThan(1_000);

            assertThat(attacker.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(out.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("heard 0\n");
            assertThat(logOnceItHas("not from")).contains("not from root");
        } finally {
            attacker.destroyForcibly();
        }
    }

    @Test
    void anotherAccountCannotReachTheSocketNorTheLock() throws Exception {
        OtherAccount.requireRoot();
        start(0, "", Optional.empty());
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));

        Process attacker = new ProcessBuilder(OtherAccount.command("perl", "-MSocket", "-MFcntl=:flock", "-e", """
                socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die;
                print connect($s, pack_sockaddr_un($ARGV[0])) ? "connected\\n" : "connect: $!\\n";
                print open(my $l, ">>", $ARGV[1]) ? "opened the lock\\n" : "lock: $!\\n";
                """, directory.socket().toString(), directory.path().resolve(ServerDirectory.LOCK_FILE).toString()))
                .redirectErrorStream(true).start();

        assertThat(attacker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(attacker.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("connect: Permission denied\nlock: Permission denied\n");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** The server logs after the connection is closed: wait a little for the line. */
    private String logOnceItHas(String text) throws InterruptedException {
        for (int i = 0; i < 100 && !log.toString(StandardCharsets.UTF_8).contains(text); i++) {
            Thread.sleep(20);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private String request(Path jar) {
        return request(jar, List.of(), List.of(), "4000");
    }

    private String request(List<String> arguments, List<String> environment, String deadline) {
        return request(null, arguments, environment, deadline);
    }

    /** A request as the hook script builds it. */
    private String request(Path jar, List<String> arguments, List<String> environment, String deadline) {
        StringBuilder request = new StringBuilder(HookProtocol.REQUEST).append('\n');
        field(request, "cwd", root.toString());
        if (jar != null) {
            field(request, "jar", jar.toString());
        }
        field(request, "deadline", deadline);
        arguments.forEach(argument -> field(request, "arg", argument));
        environment.forEach(variable -> field(request, "env", variable));
        field(request, "stdin", PUSH);
        return request.append(HookProtocol.END).append('\n').toString();
    }

    private static void field(StringBuilder request, String name, String value) {
        request.append(name).append(' ').append(value.getBytes(StandardCharsets.UTF_8).length).append('\n')
                .append(value).append('\n');
    }

    /** Sends {@code request} and reads until the server closes the connection. */
    private String ask(String request) throws IOException {
        try (SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(directory.socket()))) {
            try {
                Channels.newOutputStream(socket).write(request.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the server may drop a bad request before reading all of it
            }
            try {
                return new String(Channels.newInputStream(socket).readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
