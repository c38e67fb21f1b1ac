package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.stagegate.cli.server.ServerDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes with real git through the hook that {@code hook install --server} writes: the bash
 * script, the resident server it starts over a Unix socket, and every way the server can be
 * missing, or replaced by a second local account (uid 65534, through {@link OtherAccount}).
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
              - name: production-eu
                branch: main-eu
                promotesFrom: development
            environmentSpecificPaths: ["env/**"]
            bypass:
              users: [release-manager]
            """;
    /**
     * A JVM given this cannot start: pushed with it, a push can only be accepted by the
     * server, since the hook's own JVM would fail (and so reject).
     */
    private static final Map<String, String> NO_JVM_IN_THE_HOOK = Map.of("JAVA_TOOL_OPTIONS", "-XX:+StagegateNoSuchOption");
    /** The attacker's listener: takes whatever a hook sends, keeps it, and accepts the push. */
    private static final String IMPOSTOR = """
            use Socket;
            my ($path, $heard) = @ARGV;
            socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
            unlink $path;
            bind($s, pack_sockaddr_un($path)) or die "bind: $!";
            listen($s, 5) or die "listen: $!";
            $| = 1;
            print "listening\\n";
            while (accept(my $c, $s)) {
                my $request = "";
                while (sysread($c, my $b, 65536)) { $request .= $b; last if $request =~ /\\nend\\n$/ }
                open(my $h, ">>", $heard) or die "heard: $!";
                print $h $request;
                close $h;
                syswrite($c, "stagegate-verdict-2 0 19\\nimpostor: accepted\\n");
                close $c;
            }
            """;

    @TempDir
    Path root;

    private Path serverDirectory;
    private Path auditLog;
    private ServerRepository server;
    private Workspace workspace;
    private int change;
    private final List<Process> attackers = new ArrayList<>();

    @BeforeEach
    void repositoryWithTheServerHook() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        serverDirectory = root.resolve("stagegate-server");
        auditLog = root.resolve("audit.log");
        server = ServerRepository.init(git, root.resolve("server.git")).withHookInstalled("--server",
                serverDirectory.toString(), "--identity-env", "STAGEGATE_USER", "--audit-log", auditLog.toString());
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/frontend/values.yaml", "replicas: 2\n")
                .commit("Start the environments");
        assertThat(workspace.push("main:develop").exitCode()).isZero();
        assertThat(workspace.push("main").exitCode()).isZero();
        assertThat(workspace.push("main:main-eu").exitCode()).isZero();
    }

    @AfterEach
    void stopTheServerAndTheAttackers() {
        attackers.forEach(Process::destroyForcibly);
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theFirstPushStartsTheServerAndTheNextOnesAreJudgedByIt() throws Exception {
        socketOnceBound();
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
    void theServerJudgesCustomRulesBesideTheBuiltInRules() throws Exception {
        socketOnceBound();
        workspace.write(".stagegate/policy.yaml", POLICY + """
                rules:
                  - id: min-replicas
                    files: "apps/**/values.yaml"
                    expression: "object.replicas >= 2"
                    fieldPath: replicas
                    message: at least two replicas
                  - id: no-big-cut
                    files: "apps/**/values.yaml"
                    expression: "oldObject == null || object.replicas * 2 >= oldObject.replicas"
                """).write("apps/frontend/values.yaml", "replicas: 4\n").commit("Rules for the values");
        assertThat(workspace.push(NO_JVM_IN_THE_HOOK, "main:develop").exitCode()).isZero();
        workspace.write("apps/frontend/values.yaml", "replicas: 1\n").write("apps/backend/values.yaml", "replicas: 3\n")
                .commit("Scale the frontend down hard");

        // the hook's own JVM cannot start: these lines are the server's judgement
        ProgramResult push = workspace.push(NO_JVM_IN_THE_HOOK, "main:develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines())
                .anyMatch(line -> line.startsWith("error [min-replicas] apps/frontend/values.yaml:1:")
                        && line.endsWith("at least two replicas"))
                .anyMatch(line -> line.startsWith("error [no-big-cut] apps/frontend/values.yaml:1:"))
                .noneMatch(line -> line.contains("apps/backend"));
        assertThat(serverProcesses().count()).isEqualTo(1);
    }

    @Test
    void whenTheServerIsKilledTheHookJudgesAloneAndStartsAnotherServer() throws Exception {
        long first = serverOnceRunning();
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
        waitUntil(() -> serverProcesses().findAny().isEmpty(), "the server to die");
        nextChange().commit("Change develop, then skip it");
        // the hook's own JVM cannot start with these variables, and no server answers: rejected
        assertThat(workspace.push(NO_JVM_IN_THE_HOOK, "main:develop").exitCode()).isNotZero();

        ProgramResult skipped = workspace.push("main");

        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        waitUntil(() -> serverProcesses().anyMatch(process -> process.pid() != first), "a new server");
        socketOnceBound();
        assertThat(workspace.push(NO_JVM_IN_THE_HOOK, "main:develop").exitCode()).isZero();
    }

    @Test
    void aReinstalledJarReplacesTheServer() throws Exception {
        long first = serverOnceRunning();
        Path jar = server.hooks().resolve(HookInstallCommand.JAR_NAME);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        nextChange().commit("Change develop");

        ProgramResult promotion = workspace.push("main:develop");

        assertThat(promotion.exitCode()).as("%s", promotion).isZero();
        waitUntil(() -> serverProcesses().noneMatch(process -> process.pid() == first), "the old server to step aside");
        assertThat(workspace.push("main").exitCode()).isZero();
        waitUntil(() -> serverProcesses().anyMatch(process -> process.pid() != first), "a new server");
    }

    @Test
    void anotherAccountsServerInADirectoryEveryoneCanWriteIsNeverAsked() throws Exception {
        Path heard = replaceTheServerWithAnImpostor(() -> Files.setPosixFilePermissions(serverDirectory,
                PosixFilePermissions.fromString("rwxrwxrwx")));

        ProgramResult skipped = pushSkippingDevelop();

        assertJudgedByTheHookAlone(skipped, heard);
    }

    @Test
    void anotherAccountsServerInADirectoryItOwnsIsNeverAsked() throws Exception {
        Path heard = replaceTheServerWithAnImpostor(() -> OtherAccount.chown(serverDirectory));

        ProgramResult skipped = pushSkippingDevelop();

        assertJudgedByTheHookAlone(skipped, heard);
    }

    @Test
    void aServerDirectoryAnotherAccountCouldSwapIsNeverAsked() throws Exception {
        serverOnceRunning();
        socketOnceBound();
        // whoever can write the parent could rename the server directory and put their own in its place
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        nextChange().commit("Change develop");

        ProgramResult push = workspace.push(NO_JVM_IN_THE_HOOK, "main:develop");

        assertThat(push.exitCode()).as("the real server is running, but the hook must not ask it: %s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.contains("Could not create the Java Virtual Machine"));
    }

    @Test
    void aServerDirectoryReplacedByASymbolicLinkIsNeverAsked() throws Exception {
        Path heard = replaceTheServerWithAnImpostor(() -> {
            Files.move(serverDirectory, root.resolve("the-real-one"));
            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            OtherAccount.chown(elsewhere);
            Files.createSymbolicLink(serverDirectory, elsewhere);
        });

        ProgramResult skipped = pushSkippingDevelop();

        assertJudgedByTheHookAlone(skipped, heard);
    }

    @Test
    void anotherAccountCanNeitherReachTheServerNorKeepItFromStarting() throws Exception {
        serverOnceRunning();
        openTheTreeToOtherAccounts();
        Process attacker = new ProcessBuilder(OtherAccount.command("perl", "-MSocket", "-e", """
                my ($path, $lock) = @ARGV;
                my $connected = 0;
                for (1 .. 100) {
                    socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die;
                    $connected++ if connect($s, pack_sockaddr_un($path));
                }
                print "connected $connected of 100\\n";
                print open(my $l, ">>", $lock) ? "opened the lock\\n" : "lock: $!\\n";
                """, serverDirectory.resolve(ServerDirectory.SOCKET_FILE).toString(),
                serverDirectory.resolve(ServerDirectory.LOCK_FILE).toString())).redirectErrorStream(true).start();
        attackers.add(attacker);
        assertThat(attacker.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(attacker.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("connected 0 of 100\nlock: Permission denied\n");
        nextChange().commit("Change develop");

        ProgramResult push = workspace.push(NO_JVM_IN_THE_HOOK, "main:develop");

        assertThat(push.exitCode()).as("judged by the server: %s", push).isZero();
    }

    @Test
    void bypassesJudgedAtOnceByTheServerAreAllAudited() throws Exception {
        socketOnceBound();
        nextChange().commit("Hotfix both regions at once");
        Map<String, String> releaseManager = new HashMap<>(NO_JVM_IN_THE_HOOK);
        releaseManager.put("STAGEGATE_USER", "release-manager");

        List<CompletableFuture<ProgramResult>> pushes = new ArrayList<>();
        for (String branch : List.of("main", "main-eu")) {
            pushes.add(CompletableFuture.supplyAsync(() -> workspace.push(releaseManager,
                    "-o", "stagegate.bypass=INC-11 both regions", "main:" + branch)));
        }

        for (CompletableFuture<ProgramResult> push : pushes) {
            ProgramResult result = push.get(120, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(result.remoteLines()).anyMatch(line -> line.startsWith("warning [bypass-used] "));
        }
        List<String> audited = Files.readAllLines(auditLog);
        assertThat(audited).hasSize(2);
        assertThat(audited).anyMatch(line -> line.contains("\"ref\":\"refs/heads/main\""))
                .anyMatch(line -> line.contains("\"ref\":\"refs/heads/main-eu\""));
    }

    private interface Change {
        void apply() throws IOException;
    }

    /**
     * Stops the real server, makes the change that lets a second account into the server
     * directory, and has that account listen on the socket path, accepting whatever it is sent.
     *
     * @return the file the impostor writes what it heard to
     */
    private Path replaceTheServerWithAnImpostor(Change letTheAttackerIn) throws Exception {
        socketOnceBound();
        serverProcesses().forEach(ProcessHandle::destroyForcibly);
        waitUntil(() -> serverProcesses().findAny().isEmpty(), "the server to die");
        openTheTreeToOtherAccounts();
        letTheAttackerIn.apply();
        Path attackerFiles = Files.createDirectories(root.resolve("attacker"));
        OtherAccount.chown(attackerFiles);
        Path heard = attackerFiles.resolve("heard");
        Process impostor = new ProcessBuilder(OtherAccount.command("perl", "-e", IMPOSTOR,
                serverDirectory.resolve(ServerDirectory.SOCKET_FILE).toString(), heard.toString()))
                .redirectErrorStream(true).start();
        attackers.add(impostor);
        InputStream said = impostor.getInputStream();
        String listening = new String(said.readNBytes(10), StandardCharsets.US_ASCII);
        if (!listening.equals("listening\n")) {
            fail("the impostor could not listen: " + listening + new String(said.readNBytes(500), StandardCharsets.UTF_8));
        }
        return heard;
    }

    /** The test's own directories are private; the other account must be able to reach the server directory. */
    private void openTheTreeToOtherAccounts() throws IOException {
        OtherAccount.requireRoot();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ProgramResult pushSkippingDevelop() {
        nextChange().commit("Skip develop");
        return workspace.push("main");
    }

    /** The impostor would have accepted: a rejection for the skipped stage means the hook's own JVM judged. */
    private void assertJudgedByTheHookAlone(ProgramResult skipped, Path heard) throws InterruptedException {
        assertThat(skipped.exitCode()).as("%s", skipped).isNotZero();
        assertThat(skipped.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
        assertThat(skipped.remoteLines()).noneMatch(line -> line.contains("impostor"));
        assertThat(heard).as("what the impostor heard").doesNotExist();
        Thread.sleep(500);
        assertThat(serverProcesses().findAny()).as("a server started in a directory the hook does not trust").isEmpty();
    }

    private Workspace nextChange() {
        change++;
        return workspace.write("apps/frontend/values.yaml", "replicas: " + (2 + change) + "\n");
    }

    private Stream<ProcessHandle> serverProcesses() {
        String marker = "--dir " + serverDirectory;
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(marker));
    }

    private long serverOnceRunning() throws InterruptedException {
        waitUntil(() -> serverProcesses().findAny().isPresent(), "the server");
        return serverProcesses().findFirst().orElseThrow().pid();
    }

    private void socketOnceBound() throws InterruptedException {
        waitUntil(() -> Files.exists(serverDirectory.resolve(ServerDirectory.SOCKET_FILE)), "the server's socket");
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
            return Files.readString(serverDirectory.resolve(ServerDirectory.LOG_FILE));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
