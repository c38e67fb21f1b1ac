package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around the hook, through the installed hook and the real git client: the server policy
 * gone or unreadable, an object missing from the store, a full disk or a file size limit under
 * the audit log, a missed deadline. Each rejects the push with one clear line, and nothing is
 * lost: the refs stay where they were and the audit log keeps exactly what it had.
 */
@Tag("end-to-end")
class HookFaultIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: testing
                branch: test
                promotesFrom: development
              - name: production
                branch: main
                promotesFrom: testing
            environmentSpecificPaths: ["env/**"]
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            bypass:
              users: [release-manager]
            """;
    private static final String SCHEMA = """
            {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}
            """;
    private static final Map<String, String> RELEASE_MANAGER = Map.of("STAGEGATE_USER", "release-manager");
    private static final String VALUES = "apps/web/values.yaml";

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;
    private Workspace workspace;
    private Path serverPolicy;

    @BeforeEach
    void environmentsWithoutTheHookYet() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        serverPolicy = Files.writeString(root.resolve("server-policy.yaml"), POLICY);
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write(VALUES, "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:test");
    }

    private ProgramResult hotfixWithBypass() {
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write(VALUES, "replicas: 9\n").commit("Hotfix straight into production");
        return workspace.push(RELEASE_MANAGER, "-o", "stagegate.bypass=INC-5 database down", "main");
    }

    private ProgramResult changeOnDevelop() {
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write(VALUES, "replicas: 3\n").commit("Scale to 3");
        return workspace.push("develop");
    }

    @Test
    void theServerPolicyRemovedAfterInstall() throws IOException {
        server.withHookInstalled("--no-cds", "--policy", serverPolicy.toString());
        Files.delete(serverPolicy);
        String develop = server.ref("refs/heads/develop");

        ProgramResult push = changeOnDevelop();

        assertRejected(push, "error [policy-invalid] the policy file " + serverPolicy + " does not exist");
        assertThat(server.ref("refs/heads/develop")).isEqualTo(develop);
    }

    @Test
    void theServerPolicyReplacedByADirectory() throws IOException {
        server.withHookInstalled("--no-cds", "--policy", serverPolicy.toString());
        Files.delete(serverPolicy);
        Files.createDirectory(serverPolicy);

        assertRejected(changeOnDevelop(), "error [policy-invalid] the policy file " + serverPolicy
                + " is not a regular file");
    }

    @Test
    void theUpstreamTipMissingFromTheObjectStore() throws IOException {
        server.withHookInstalled("--no-cds");
        assertThat(changeOnDevelop().exitCode()).isZero();
        workspace.git("checkout", "--quiet", "-B", "candidate", "origin/test");
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "origin/develop");
        assertThat(workspace.push("candidate").exitCode()).isZero();
        String developTip = server.ref("refs/heads/develop");
        Files.delete(server.looseObject(developTip));

        ProgramResult hook = server.preReceive(Map.of(), server.ref("refs/heads/test") + " "
                + server.ref("refs/heads/candidate") + " refs/heads/test\n");

        assertThat(hook.exitCode()).as("%s", hook).isEqualTo(3);
        assertThat(hook.output().lines()).containsExactly(
                "error [stagegate] an object is missing from the repository (Missing commit " + developTip
                        + "); it cannot be judged, so it is rejected",
                "stagegate: rejected (1 error, 0 warnings)");
    }

    @Test
    void aFullDiskUnderTheAuditLog() {
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER", "--audit-log", "/dev/full");
        String main = server.ref("refs/heads/main");

        ProgramResult push = hotfixWithBypass();

        assertRejected(push, "error [bypass-used] refs/heads/main: the bypass cannot be recorded in /dev/full"
                + " (No space left on device), so the push is rejected");
        assertThat(server.ref("refs/heads/main")).isEqualTo(main);
    }

    @Test
    void anAuditLogCutShortByAFileSizeLimitIsNeverLeftHalfWritten() throws IOException {
        Path auditLog = root.resolve("audit.log");
        String earlier = "{\"time\":\"2026-11-01T00:00:00Z\",\"user\":\"release-manager\",\"reason\":\"earlier\"}\n";
        // just under the 16 KiB limit below: the next line crosses it part of the way through
        Files.writeString(auditLog, earlier.repeat(16 * 1024 / earlier.length()));
        byte[] before = Files.readAllBytes(auditLog);
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER", "--audit-log", auditLog.toString());
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write(VALUES, "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = git.program(workspace.directory(), RELEASE_MANAGER, List.of("bash", "-c",
                "ulimit -f 16 && exec git push origin -o 'stagegate.bypass=INC-5 database down' main"));

        assertRejected(push, "error [bypass-used] refs/heads/main: the bypass cannot be recorded in " + auditLog
                + " (File too large), so the push is rejected");
        assertThat(Files.readAllBytes(auditLog)).isEqualTo(before);
    }

    @Test
    void aMissedDeadline() {
        server.withHookInstalled("--no-cds");
        String develop = server.ref("refs/heads/develop");

        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write(VALUES, "replicas: 3\n").commit("Scale to 3");
        ProgramResult push = workspace.push(Map.of("STAGEGATE_DEADLINE", "1ms"), "develop");

        assertRejected(push, "stagegate: no verdict within 1ms; push rejected (fail closed)");
        assertThat(server.ref("refs/heads/develop")).isEqualTo(develop);
    }

    @Test
    void aSchemaPatternThatBacktracksForeverMeetsTheDeadline() {
        server.withHookInstalled("--no-cds", "--deadline", "2s");
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write("schemas/values.schema.json",
                        "{\"properties\": {\"image\": {\"type\": \"string\", \"pattern\": \"^(?:(a+)\\\\1?)+$\"}}}")
                .write(VALUES, "image: " + "a".repeat(40) + "!\n")
                .commit("A pattern that backtracks");

        long start = System.nanoTime();
        ProgramResult push = workspace.push("develop");

        assertRejected(push, "stagegate: no verdict within 2s; push rejected (fail closed)");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(10.0);
    }

    private static void assertRejected(ProgramResult push, String expectedLine) {
        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).as("%s", push).contains("pre-receive hook declined");
        assertThat(push.remoteLines()).as("%s", push).contains(expectedLine);
    }
}
