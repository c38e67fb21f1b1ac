package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hook install} run from the built jar, and pushes with the real git client through the installed hook. */
@Tag("end-to-end")
class HookInstallIT {

    private static final String FOREIGN_HOOK = "#!/bin/sh\necho 'site policy checks'\nexit 0\n";

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;

    @BeforeEach
    void server() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"));
    }

    @Test
    void installsAnExecutableHookThatRunsACopyOfTheJar() throws IOException {
        ProgramResult install = server.installHook();

        assertThat(install.exitCode()).as("%s", install).isZero();
        Path hook = server.hooks().resolve("pre-receive");
        assertThat(hook).isExecutable();
        assertThat(Files.readString(hook))
                .startsWith("#!/bin/sh\n# installed by stagegate\n")
                .contains("-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC",
                        "-jar " + server.hooks().resolve("stagegate.jar"))
                .endsWith(" pre-receive\n");
        assertThat(server.hooks().resolve("stagegate.jar")).hasSameBinaryContentAs(ServerRepository.stagegateJar());
        assertThat(install.output()).contains("wrote " + hook);
    }

    @Test
    void passesTheConfiguredOptionsToTheHook() throws IOException {
        Path policy = Files.writeString(root.resolve("server policy.yaml"), "apiVersion: stagegate/v1\n");
        Path signers = Files.writeString(root.resolve("allowed_signers"), "");

        server.withHookInstalled("--policy", policy.toString(), "--identity-env", "GL_USERNAME",
                "--audit-log", root.resolve("audit.log").toString(), "--deadline", "3s",
                "--allowed-signers", signers.toString());

        assertThat(Files.readString(server.hooks().resolve("pre-receive"))).endsWith(" pre-receive --policy '" + policy
                + "' --allowed-signers " + signers + " --audit-log " + root.resolve("audit.log")
                + " --identity-env GL_USERNAME --deadline 3s\n");
    }

    @Test
    void theServersOwnJavaOptionsComeAfterStagegatesSoThatTheyWin() throws IOException {
        Path serverDirectory = root.resolve("stagegate-server");

        server.withHookInstalled("--server", serverDirectory.toString(), "--server-java-option", "-XX:TieredStopAtLevel=4",
                "--server-java-option", "-Xmn16m");

        String hook = Files.readString(server.hooks().resolve("pre-receive"));
        String serverLine = hook.lines().filter(line -> line.contains(" hook serve ")).findFirst().orElseThrow();
        assertThat(serverLine).contains("-XX:TieredStopAtLevel=1", "-Xmn8m",
                "-Xlog:disable -XX:TieredStopAtLevel=4 -Xmn16m -jar");
        assertThat(hook.lines().filter(line -> line.contains(" pre-receive"))
                .filter(line -> line.contains("-XX:TieredStopAtLevel=4")))
                .as("the hook's own JVM keeps its flags").isEmpty();
    }

    @Test
    void installingTwiceGivesTheSameResult() throws IOException {
        server.withHookInstalled();
        String hook = Files.readString(server.hooks().resolve("pre-receive"));
        String config = Files.readString(server.directory().resolve("config"));

        ProgramResult again = server.installHook();

        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.output()).contains("is up to date", "already true");
        assertThat(Files.readString(server.hooks().resolve("pre-receive"))).isEqualTo(hook);
        assertThat(Files.readString(server.directory().resolve("config"))).isEqualTo(config);
        assertThat(server.hooks().resolve("pre-receive")).isExecutable();
        try (var files = Files.list(server.hooks())) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void installsIntoPreReceiveDirectoryWhereTheHostHasOne() {
        server.withHookDirectory().withHookInstalled();

        assertThat(server.hooks().resolve("pre-receive.d/stagegate")).isExecutable();
        assertThat(server.hooks().resolve("pre-receive")).doesNotExist();
        assertThat(server.hooks().resolve("pre-receive.d")).isDirectoryNotContaining("glob:**/*.jar");
    }

    @Test
    void leavesAForeignHookAlone() throws IOException {
        server.withFile("hooks/pre-receive", FOREIGN_HOOK);

        ProgramResult install = server.installHook();

        assertThat(install.exitCode()).isEqualTo(2);
        assertThat(install.output()).contains("was not installed by stagegate", "pre-receive.d");
        assertThat(Files.readString(server.hooks().resolve("pre-receive"))).isEqualTo(FOREIGN_HOOK);
        assertThat(server.hooks().resolve("stagegate.jar")).doesNotExist();
    }

    @Test
    void turnsOnPushOptions() {
        server.withHookInstalled();

        assertThat(server.config("receive.advertisePushOptions")).isEqualTo("true");
    }

    @Test
    void aPushRunsTheHookAndIsAcceptedWithoutAPolicy() {
        server.withHookInstalled();
        Workspace workspace = server.clone(root.resolve("workspace"))
                .branch("feature")
                .write("apps/frontend/values.yaml", "replicas: 2\n")
                .commit("Add the frontend");

        ProgramResult push = workspace.push("feature");

        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("stagegate: "));
        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).contains("stagegate: accepted (0 errors, 0 warnings)");
    }

    @Test
    void theHookStartsFromAClassDataSharingArchiveAndAStaleOneStaysSilent() throws IOException {
        server.withHookInstalled();
        Path archive = server.hooks().resolve("stagegate.jsa");
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.readString(server.hooks().resolve("pre-receive")))
                .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:disable");
        archive.toFile().setWritable(true);
        Files.writeString(archive, "not an archive");
        Workspace workspace = server.clone(root.resolve("workspace"))
                .branch("feature").write("README.md", "hello\n").commit("Start");

        ProgramResult push = workspace.push("feature");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).containsExactly("note: no policy governs refs/heads/feature; accepted",
                "stagegate: accepted (0 errors, 0 warnings)");
    }

    @Test
    void onGitLabEveryHookLineCarriesTheErrorPrefix() {
        server.withHookInstalled();
        Workspace workspace = server.clone(root.resolve("workspace"))
                .write("README.md", "hello\n")
                .commit("Start");

        ProgramResult push = workspace.push(Map.of("GL_ID", "user-1", "GL_USERNAME", "alice"), "main");

        assertThat(push.remoteLines()).as("%s", push)
                .contains("GL-HOOK-ERR: stagegate: accepted (0 errors, 0 warnings)")
                .allMatch(line -> line.startsWith("GL-HOOK-ERR: "));
    }
}
