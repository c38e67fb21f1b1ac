package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals of {@code hook install}; installing itself runs from the jar, in {@link HookInstallIT}. */
class HookInstallCommandTest {

    @TempDir
    Path root;

    private Path repository;
    private final InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting());

    @BeforeEach
    void bareRepository() throws Exception {
        repository = root.resolve("server.git");
        Git.init().setBare(true).setDirectory(repository.toFile()).call().close();
    }

    @Test
    void anArchiveNeverHoldsCelOrWhatItBrings() throws Exception {
        Path classList = root.resolve("training.classlist");
        Files.write(classList, List.of(
                "dev/stagegate/customrules/FastPathProgram id: 1",
                "dev/cel/runtime/CelRuntime id: 2",
                "dev/cel/common/values/NullValue id: 9",
                "dev/cel/common/values/NullValueFactory id: 10",
                "cel/parser/internal/CELParser id: 3",
                "com/google/common/collect/ImmutableMap id: 4",
                "com/google/protobuf/Message id: 5",
                "org/antlr/v4/runtime/Parser id: 6",
                "com/google/re2j/Pattern id: 7",
                "@lambda-proxy dev/cel/runtime/Foo apply ()Ljava/util/function/Function;",
                "org/yaml/snakeyaml/external/com/google/gdata/util/common/base/Escaper id: 8"));

        HookInstallCommand.dropClassesNeverArchived(classList);

        assertThat(Files.readAllLines(classList)).containsExactly(
                "dev/stagegate/customrules/FastPathProgram id: 1",
                "dev/cel/common/values/NullValue id: 9",
                "com/google/re2j/Pattern id: 7",
                "org/yaml/snakeyaml/external/com/google/gdata/util/common/base/Escaper id: 8");
    }

    @Test
    void theLauncherDropsTheSameClassesFromItsArchive() throws Exception {
        String launcher = Files.readString(Path.of("..", "stagegate"));

        for (String prefix : CdsTraining.NOT_ARCHIVED) {
            assertThat(launcher).as(prefix).contains("-e " + prefix + " ");
        }
        assertThat(launcher).contains("'^dev/cel/common/values/(CelValue|NullValue)( |$)'");
        assertThat(CdsTraining.ARCHIVED_ANYWAY).containsExactly("dev/cel/common/values/CelValue",
                "dev/cel/common/values/NullValue");
    }

    @Test
    void refusesADirectoryThatIsNoRepository() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", root.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("stagegate hook install: " + root + " is not a git repository"
                + System.lineSeparator() + "Try 'stagegate hook install --help'." + System.lineSeparator());
    }

    @Test
    void aRepositoryThatDoesNotExistIsAUsageErrorThatSaysSo() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", root.resolve("nope.git").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("stagegate hook install: repository " + root.resolve("nope.git")
                + " does not exist");
    }

    /** As gitolite creates a repository: HEAD on master, and the environments pushed later end in main. */
    @Test
    void warnsWhenHeadNamesABranchThatDoesNotExist() throws Exception {
        try (Git git = Git.cloneRepository().setURI(repository.toUri().toString())
                .setDirectory(root.resolve("workspace").toFile()).call()) {
            Files.writeString(root.resolve("workspace/README.md"), "hello\n");
            git.add().addFilepattern("README.md").call();
            git.commit().setMessage("Start").setSign(false).call();
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/main"), new RefSpec("HEAD:refs/heads/develop")).call();
        }
        try (Git server = Git.open(repository.toFile())) {
            RefUpdate head = server.getRepository().updateRef(Constants.HEAD);
            head.link("refs/heads/master");
        }

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString());

        assertThat(run.stdout()).contains("stagegate: warning: HEAD names refs/heads/master, which does not exist"
                + " (branches: develop, main): new branches and tags take their policy from the default branch HEAD"
                + " names, so until it exists they are governed by no policy. Point HEAD at the default branch: git"
                + " --git-dir=" + repository + " symbolic-ref HEAD refs/heads/main");
    }

    @Test
    void saysNothingOfHeadWhenItNamesABranchThatExists() throws Exception {
        try (Git git = Git.cloneRepository().setURI(repository.toUri().toString())
                .setDirectory(root.resolve("workspace").toFile()).call()) {
            Files.writeString(root.resolve("workspace/README.md"), "hello\n");
            git.add().addFilepattern("README.md").call();
            git.commit().setMessage("Start").setSign(false).call();
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
        }
        try (Git server = Git.open(repository.toFile())) {
            server.getRepository().updateRef(Constants.HEAD).link("refs/heads/main");
        }

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString());

        assertThat(run.stdout()).doesNotContain("HEAD");
    }

    @Test
    void refusesAnIdentityVariableThatIsNoVariableName() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--identity-env", "GL_USERNAME; rm -rf /");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("is not an environment variable name");
    }

    @Test
    void refusesAMissingPolicyFile() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--policy", root.resolve("policy.yaml").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--policy " + root.resolve("policy.yaml") + " is not a file");
    }

    @Test
    void refusesAMissingAllowedSignersFile() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--allowed-signers", root.resolve("allowed_signers").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--allowed-signers " + root.resolve("allowed_signers") + " is not a file");
    }

    @Test
    void refusesASchemaLocationThatIsAUrl() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--schema-location", "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("is a URL; stagegate never reads schemas over the network");
    }

    @Test
    void refusesASchemaLocationWithAnUnknownVariable() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--schema-location", "/srv/schemas/{{ .Kind }}.json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("unknown variable .Kind");
    }

    @Test
    void refusesAHooksPathElsewhere() throws IOException {
        Files.writeString(repository.resolve("config"), "[core]\n\thooksPath = /etc/git/hooks\n",
                StandardOpenOption.APPEND);

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("core.hooksPath is set to /etc/git/hooks");
    }

    @Test
    void leavesAForeignHookUntouched() throws IOException {
        Path hook = Files.writeString(repository.resolve("hooks/pre-receive"), "#!/bin/sh\nexit 0\n");

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains(hook + " exists and was not installed by stagegate");
        assertThat(hook).hasContent("#!/bin/sh\nexit 0");
    }

    @Test
    void needsToRunFromTheJarItCopies() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("hook install copies the jar it runs from");
        assertThat(repository.resolve("hooks/pre-receive")).doesNotExist();
    }

    @Test
    void refusesAServerDirectoryOtherAccountsCanWrite() throws IOException {
        Path server = Files.createDirectories(root.resolve("server"));
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxrwxrwx"));

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server", server.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--server " + server + ": " + server + " is writable by other accounts (mode 0777)");
        assertThat(repository.resolve("hooks/pre-receive")).doesNotExist();
    }

    @Test
    void refusesAServerDirectoryOthersCouldEnter() throws IOException {
        Path server = Files.createDirectories(root.resolve("server"));
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server", server.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("has mode 0755; the server only runs in a directory no other account can enter");
    }

    @Test
    void refusesAServerDirectoryBelowOneOthersCanWriteWithoutTheStickyBit() throws IOException {
        Path open = Files.createDirectories(root.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server", open.resolve("server").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains(open + " is writable by other accounts without the sticky bit");
    }

    @Test
    void refusesAServerDirectoryWhoseSocketPathIsTooLongForAnAddress() {
        Path deep = root.resolve("s".repeat(120));

        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server", deep.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("more than the 107 a Unix socket address holds");
    }

    @Test
    void refusesAnUnknownSocketClient() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server", root.resolve("server").toString(), "--socket-client", "telnet");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--socket-client: unknown socket client 'telnet'; one of [perl, socat, nc]");
    }

    @Test
    void refusesASocketClientWithoutAServer() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--socket-client", "perl");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--socket-client only applies with --server DIR");
    }

    @Test
    void givesANewServerDirectoryToTheAccountThatOwnsTheRepository() throws IOException {
        OtherAccount.requireRoot();
        OtherAccount.chown(repository);
        Path server = root.resolve("server");

        stagegate.run("hook", "install", "--repo", repository.toString(), "--server", server.toString());

        assertThat(Files.getAttribute(server, "unix:uid")).isEqualTo(OtherAccount.UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server))).isEqualTo("rwx------");
    }

    @Test
    void aServerJavaOptionNeedsAServer() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                "--server-java-option", "-Xmn16m");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--server-java-option only applies with --server DIR");
        assertThat(repository.resolve("hooks/pre-receive")).doesNotExist();
    }

    @Test
    void aServerJavaOptionMustBeAnOptionThatKeepsTheServerTheServer() {
        for (String option : List.of("Xmn16m", "-jar", "-cp", "-Xmn16m\n-jar")) {
            InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", repository.toString(),
                    "--server", root.resolve("server").toString(), "--server-java-option", option);

            assertThat(run.status()).as(option).isEqualTo(2);
            assertThat(run.stderr()).as(option).contains("is no JVM option this hook can pass");
        }
        assertThat(repository.resolve("hooks/pre-receive")).doesNotExist();
    }
}
