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

/** Pushes through the installed hook into a repository with a develop -> main policy, as a team would. */
@Tag("end-to-end")
class PromotionPushIT {

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
            bypass:
              users: [release-manager]
            """;
    private static final String SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "type": "object",
             "properties": {"replicas": {"type": "integer", "minimum": 1, "maximum": 50}}}
            """;

    @TempDir
    Path root;

    private Workspace workspace;
    private Path auditLog;

    @BeforeEach
    void promotedOnce() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        auditLog = root.resolve("audit.log");
        ServerRepository server = ServerRepository.init(git, root.resolve("server.git"))
                .withHookInstalled("--audit-log", auditLog.toString(), "--identity-env", "STAGEGATE_USER");
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write("apps/frontend/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: production\n")
                .commit("Start the environments");
        assertThat(workspace.push("main").exitCode()).isZero();
        assertThat(workspace.push("main:develop").exitCode()).isZero();
    }

    @Test
    void aChangeThatSkipsDevelopIsRejected() {
        workspace.write("apps/frontend/values.yaml", "replicas: 3\n").commit("Scale up in production directly");

        ProgramResult push = workspace.push("main");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).contains("(pre-receive hook declined)");
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("error [skipped-stage] "));
    }

    @Test
    void invalidValuesAreRejectedWithTheirLocation() {
        workspace.branch("develop-work")
                .write("apps/frontend/values.yaml", "replicas: 0\n").commit("Scale to zero");

        ProgramResult push = workspace.push("develop-work:develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines())
                .anyMatch(line -> line.startsWith("error [schema-violation] apps/frontend/values.yaml:1:1"));
    }

    @Test
    void aBypassWithAReasonIsAcceptedAndAudited() throws IOException {
        workspace.write("apps/frontend/values.yaml", "replicas: 3\n").commit("Hotfix in production");

        ProgramResult push = workspace.push(Map.of("STAGEGATE_USER", "release-manager"),
                "-o", "stagegate.bypass=INC-4711 roll back", "main");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("warning [bypass-used] "));
        assertThat(Files.readString(auditLog)).contains("release-manager", "INC-4711 roll back", "skipped-stage");
    }

    @Test
    void aBypassFromSomeoneElseChangesNothing() {
        workspace.write("apps/frontend/values.yaml", "replicas: 3\n").commit("Hotfix in production");

        ProgramResult push = workspace.push(Map.of("STAGEGATE_USER", "intern"),
                "-o", "stagegate.bypass=trust me", "main");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(auditLog).doesNotExist();
    }
}
