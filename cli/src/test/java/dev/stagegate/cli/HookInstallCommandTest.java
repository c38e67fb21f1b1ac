package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jgit.api.Git;
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
    void refusesADirectoryThatIsNoRepository() {
        InProcessStagegate.Run run = stagegate.run("hook", "install", "--repo", root.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("stagegate hook install: " + root + " is not a git repository"
                + System.lineSeparator());
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
}
