package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository that adopts stagegate: the hook is installed before any policy exists, so no
 * policy governs the push that brings the first one. That policy must still be valid, or it
 * would govern every later push with a policy that cannot load, the fix included.
 */
@Tag("end-to-end")
class FirstPolicyIT {

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
    /** production promotes from an environment that does not exist, on line 8. */
    private static final String INVALID = POLICY.replace("promotesFrom: development", "promotesFrom: developmnet");
    private static final String LOCATION = "error [policy-invalid] .stagegate/policy.yaml:8:";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;

    @BeforeEach
    void hookInstalledBeforeAnyPolicy() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git")).withHookInstalled("--no-cds");
        workspace = server.clone(root.resolve("workspace"));
    }

    @Test
    void anInvalidFirstPolicyIsRejectedWithItsLocationAndTheFixedOneGovernsFromThen() {
        workspace.write("apps/web/values.yaml", "replicas: 2\n").commit("The application, before any policy");
        ProgramResult ungoverned = workspace.push("main");
        assertThat(ungoverned.exitCode()).as("%s", ungoverned).isZero();
        assertThat(ungoverned.remoteLines()).contains("note: no policy governs refs/heads/main; accepted");

        workspace.write(".stagegate/policy.yaml", INVALID).commit("Adopt stagegate, with a typo");
        ProgramResult invalid = workspace.push("main");
        assertRejected(invalid);
        assertThat(invalid.remoteLines()).anyMatch(line -> line.contains("developmnet"));
        assertThat(server.ref("refs/heads/main")).isEqualTo(workspace.id("HEAD~1"));

        workspace.write(".stagegate/policy.yaml", POLICY).commit("Fix the typo");
        ProgramResult fixed = workspace.push("main");
        assertThat(fixed.exitCode()).as("%s", fixed).isZero();
        assertThat(server.ref("refs/heads/main")).isEqualTo(workspace.id("HEAD"));

        workspace.write("apps/web/values.yaml", "replicas: 3\n").commit("Straight into production");
        ProgramResult governed = workspace.push("main");
        assertThat(governed.exitCode()).as("%s", governed).isNotZero();
        assertThat(governed.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] refs/heads/main"))
                .noneMatch(line -> line.contains("policy-invalid"));
    }

    @Test
    void anInvalidPolicyAsTheFirstPushOfAll() {
        workspace.write(".stagegate/policy.yaml", INVALID).write("apps/web/values.yaml", "replicas: 2\n")
                .commit("Start with a typo");

        assertRejected(workspace.push("main"));
        assertThat(server.ref("refs/heads/main")).isNull();
    }

    @Test
    void anInvalidFirstPolicyOnANewBranch() {
        workspace.write("apps/web/values.yaml", "replicas: 2\n").commit("The application, before any policy");
        assertThat(workspace.push("main").exitCode()).isZero();
        workspace.branch("adopt-stagegate").write(".stagegate/policy.yaml", INVALID).commit("Adopt stagegate");

        assertRejected(workspace.push("adopt-stagegate"));
        assertThat(server.ref("refs/heads/adopt-stagegate")).isNull();
    }

    private static void assertRejected(ProgramResult push) {
        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).as("%s", push).contains("pre-receive hook declined");
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith(LOCATION));
        assertThat(push.remoteLines()).as("%s", push).noneMatch(line -> line.contains("no policy governs"));
    }
}
