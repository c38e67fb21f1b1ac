package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository in git's SHA-256 object format, which JGit cannot read: a clear "not supported"
 * and exit status 3 from the installer, the hook and every command, never a misjudged push.
 */
@Tag("end-to-end")
class Sha256RepositoryIT {

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;
    private String notSupported;

    @BeforeEach
    void sha256Server() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.initWithObjectFormat(git, root.resolve("server.git"), "sha256");
        notSupported = "repository " + server.directory().toRealPath() + " uses the SHA-256 object format,"
                + " which is not supported (JGit reads SHA-1 repositories only)";
    }

    @Test
    void theHookIsNotInstalled() {
        ProgramResult install = server.installHook("--no-cds");

        assertThat(install.exitCode()).as("%s", install).isEqualTo(3);
        assertThat(install.output()).isEqualTo("stagegate hook install: cannot judge the repository: " + notSupported
                + " (--debug prints the stack trace)\n");
        assertThat(server.hooks().resolve("pre-receive")).doesNotExist();
    }

    @Test
    void theHookRejectsAPushWithStatus3() throws IOException {
        ServerRepository sha1 = ServerRepository.init(git, root.resolve("sha1.git")).withHookInstalled("--no-cds");
        Files.copy(sha1.hooks().resolve("pre-receive"), server.hooks().resolve("pre-receive"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path workspace = root.resolve("workspace");
        git.git(root, "init", "--quiet", "--object-format=sha256", workspace.toString());
        git.git(workspace, "commit", "--quiet", "--allow-empty", "--message", "First");
        git.git(workspace, "remote", "add", "origin", server.directory().toString());

        ProgramResult push = git.tryGit(workspace, Map.of(), "push", "origin", "HEAD:refs/heads/main");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).contains("pre-receive hook declined");
        assertThat(push.remoteLines()).containsExactly(
                "stagegate: cannot judge this push: " + notSupported + "; push rejected (fail closed)");
        assertThat(server.ref("refs/heads/main")).isNull();
    }

    @Test
    void preReceiveWithSha256IdsOnStdin() {
        ProgramResult hook = server.preReceive(Map.of(), "0".repeat(64) + " " + "1".repeat(64) + " refs/heads/main\n");

        assertThat(hook.exitCode()).as("%s", hook).isEqualTo(3);
        assertThat(hook.output()).isEqualTo("stagegate: cannot judge this push: " + notSupported
                + "; push rejected (fail closed)\n");
    }

    @Test
    void validate() {
        ProgramResult validate = new Workspace(git, server.directory()).stagegate(Map.of(), "validate", "--repo", ".");

        assertThat(validate.exitCode()).as("%s", validate).isEqualTo(3);
        assertThat(validate.output().lines()).containsExactly("error [stagegate] " + notSupported,
                "stagegate: rejected (1 error, 0 warnings)");
    }
}
