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

/**
 * A repository as gitolite serves it: created with HEAD on {@code master} while the
 * environments end in {@code main}, the hook pinned to gitolite's {@code GL_USER}, and pushes
 * with the real git client whose environment carries what gitolite-shell sets.
 */
@Tag("end-to-end")
class GitoliteIT {

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
            bypass:
              users: [release-manager]
            """;

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;
    private Workspace workspace;
    private Path auditLog;

    /** The environments exist before the hook does, as on a repository that adopts stagegate. */
    @BeforeEach
    void repositoryAsGitoliteCreatesIt() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        auditLog = root.resolve("audit.log");
        server = ServerRepository.init(git, root.resolve("gitops.git"));
        git.git(server.directory(), "symbolic-ref", "HEAD", "refs/heads/master");
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "HEAD:main", "HEAD:develop");
    }

    @Test
    void installWarnsThatHeadNamesABranchThatDoesNotExistAndHowToFixIt() {
        ProgramResult install = server.installHook("--no-cds", "--identity-env", "GL_USER");

        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(install.output()).contains("stagegate: warning: HEAD names refs/heads/master, which does not exist"
                + " (branches: develop, main)", "git --git-dir=" + server.directory()
                + " symbolic-ref HEAD refs/heads/main");

        git.git(server.directory(), "symbolic-ref", "HEAD", "refs/heads/main");
        ProgramResult again = server.installHook("--no-cds", "--identity-env", "GL_USER");

        assertThat(again.output()).as("%s", again).doesNotContain("warning: HEAD");
    }

    @Test
    void theBypassUserNamedByGlUserIsTrustedAndAudited() throws IOException {
        server.withHookInstalled("--no-cds", "--identity-env", "GL_USER", "--audit-log", auditLog.toString());
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write("apps/web/values.yaml", "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = workspace.push(Map.of("GL_USER", "release-manager", "GL_REPO", "gitops"),
                "-o", "stagegate.bypass=INC-7 roll back", "main");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("warning [bypass-used] "));
        assertThat(Files.readString(auditLog)).contains("release-manager", "INC-7 roll back", "skipped-stage");
    }

    @Test
    void pinnedToGlUserAnotherVariableNamesNobody() {
        server.withHookInstalled("--no-cds", "--identity-env", "GL_USER", "--audit-log", auditLog.toString());
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write("apps/web/values.yaml", "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = workspace.push(Map.of("GL_USER", "developer", "STAGEGATE_USER", "release-manager"),
                "-o", "stagegate.bypass=INC-7 trust me", "main");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).as("%s", push)
                .anyMatch(line -> line.startsWith("error [skipped-stage] refs/heads/main (production)"))
                .anyMatch(line -> line.contains("bypass ignored: developer is not in bypass.users"));
        assertThat(auditLog).doesNotExist();
    }

    /** Unpinned, GL_USER is read where no other host's variable is set: gitolite needs no pin to be identified. */
    @Test
    void anUnpinnedHookReadsGlUser() throws IOException {
        server.withHookInstalled("--no-cds", "--audit-log", auditLog.toString());
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write("apps/web/values.yaml", "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = workspace.push(Map.of("GL_USER", "release-manager"),
                "-o", "stagegate.bypass=INC-8 roll back", "main");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(Files.readString(auditLog)).contains("release-manager", "INC-8 roll back");
    }
}
