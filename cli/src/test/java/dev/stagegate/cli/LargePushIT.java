package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes far larger than a day's work, through the hook as installed (class-data sharing
 * and all) with its default 4 s deadline: 10,000 new commits that touch 100 schema-mapped
 * files, to a new feature branch and to an environment branch, and 1,000 new branches at once.
 * Each must be accepted, which means judged inside the deadline.
 */
@Tag("end-to-end")
class LargePushIT {

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
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            """;
    private static final String SCHEMA = """
            {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}},
             "required": ["replicas"], "additionalProperties": false}
            """;
    private static final int SERVICES = 100;

    @TempDir
    Path root;

    private GitCli git;
    private Workspace workspace;
    private String base;

    @BeforeEach
    void server() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        ServerRepository server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write("env/values.yaml", "environment: any\n");
        for (int i = 0; i < SERVICES; i++) {
            workspace.write("apps/svc-" + i + "/values.yaml", "replicas: 1\n");
        }
        workspace.commit("Start");
        workspace.git("push", "--quiet", "origin", "main", "main:develop");
        base = workspace.id("HEAD");
        server.withHookInstalled();
    }

    /** {@code count} commits on top of {@code base}, each scaling one service, with git fast-import. */
    private void importCommits(String branchPrefix, int count, boolean linear) {
        StringBuilder stream = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String message = "Scale service " + (i % SERVICES) + " (" + i + ")\n";
            String values = "replicas: " + (i % 50 + 1) + "\n";
            stream.append("commit refs/heads/").append(linear ? branchPrefix : branchPrefix + i).append('\n')
                    .append("committer Stagegate Test <test@stagegate.invalid> ").append(1_764_000_000L + i)
                    .append(" +0000\n")
                    .append("data ").append(message.length()).append('\n').append(message);
            if (!linear || i == 1) {
                stream.append("from ").append(base).append('\n');
            }
            stream.append("M 100644 inline apps/svc-").append(i % SERVICES).append("/values.yaml\n")
                    .append("data ").append(values.length()).append('\n').append(values).append('\n');
        }
        ProgramResult imported = git.program(workspace.directory(), Map.of(), List.of("git", "fast-import", "--quiet"),
                stream.toString());
        assertThat(imported.exitCode()).as("%s", imported).isZero();
    }

    @Test
    void tenThousandCommitsToANewFeatureBranch() {
        importCommits("big", 10_000, true);

        assertAccepted(workspace.push("big:refs/heads/feature/big"));
    }

    @Test
    void tenThousandCommitsToAnEnvironmentBranch() {
        importCommits("big", 10_000, true);

        assertAccepted(workspace.push("big:develop"));
    }

    @Test
    void aThousandNewBranchesInOnePush() {
        importCommits("load/", 1_000, false);

        assertAccepted(workspace.push("refs/heads/load/*:refs/heads/load/*"));
    }

    private static void assertAccepted(ProgramResult push) {
        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).containsExactly("stagegate: accepted (0 errors, 0 warnings)");
    }
}
