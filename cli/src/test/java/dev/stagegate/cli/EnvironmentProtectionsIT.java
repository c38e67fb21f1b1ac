package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An environment's own {@code protections} through the installed hook: a rollback by
 * {@code git push --force} is allowed on {@code prod-eu}, which allows it, and rejected on
 * {@code staging}, which keeps the top-level default (docs/policy.md, environments[].protections).
 */
@Tag("end-to-end")
class EnvironmentProtectionsIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: staging
                branch: staging
                promotesFrom: development
              - name: prod-eu
                branch: prod-eu
                promotesFrom: staging
                protections:
                  forcePush: allow
            environmentSpecificPaths: ["env/**"]
            """;

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void everyEnvironmentAtTheSameContent() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        ServerRepository server = ServerRepository.init(git, root.resolve("server.git")).withHookInstalled();
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        for (String branch : new String[] {"main", "main:develop", "main:staging", "main:prod-eu"}) {
            assertAccepted(workspace.push(branch));
        }
    }

    /** Scales the application on develop and promotes it with merges up to prod-eu; answers the commit before. */
    private String releaseToProduction(String replicas) {
        String before = tipOf("prod-eu");
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write("apps/web/values.yaml", "replicas: " + replicas + "\n").commit("Scale to " + replicas);
        assertAccepted(workspace.push("develop"));
        for (String[] step : new String[][] {{"develop", "staging"}, {"staging", "prod-eu"}}) {
            workspace.git("fetch", "--quiet", "origin");
            workspace.git("checkout", "--quiet", "-B", step[1], "origin/" + step[1]);
            workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "origin/" + step[0]);
            assertAccepted(workspace.push(step[1]));
        }
        return before;
    }

    private String tipOf(String branch) {
        workspace.git("fetch", "--quiet", "origin");
        return workspace.git("rev-parse", "origin/" + branch).output().strip();
    }

    @Test
    void aRollbackByForcePushIsAllowedOnProductionOnly() {
        String stagingBefore = tipOf("staging");
        String productionBefore = releaseToProduction("5");

        ProgramResult rollback = workspace.push("--force", productionBefore + ":refs/heads/prod-eu");
        ProgramResult onStaging = workspace.push("--force", stagingBefore + ":refs/heads/staging");

        assertAccepted(rollback);
        assertThat(tipOf("prod-eu")).isEqualTo(productionBefore);
        assertThat(onStaging.exitCode()).as("%s", onStaging).isNotZero();
        assertThat(onStaging.output()).as("%s", onStaging).contains("pre-receive hook declined");
        assertThat(onStaging.remoteLines()).as("%s", onStaging)
                .anyMatch(line -> line.contains("error [force-push] refs/heads/staging (staging)"));
    }

    private static void assertAccepted(ProgramResult push) {
        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("stagegate: accepted"));
    }
}
