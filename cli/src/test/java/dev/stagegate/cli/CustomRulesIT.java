package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom CEL rules (rules-cel.md) judged by the installed hook on real pushes: a rule scoped to
 * production, a transition rule reading the old version of the file, an evaluation error, a rule
 * turned into a warning by {@code ruleModes}, an audited bypass of a custom rule, and a policy
 * whose expression does not compile, rejected at the line and column of the error.
 */
@Tag("end-to-end")
class CustomRulesIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            bypass:
              users: [release-manager]
            rules:
              - id: prod-replicas
                environments: [production]
                files: "apps/**/values.yaml"
                expression: "object.replicas >= 2"
                fieldPath: replicas
                message: production runs at least two replicas
              - id: no-big-replica-drop
                files: "apps/**/values.yaml"
                expression: "oldObject == null || object.replicas * 2 >= oldObject.replicas"
                messageExpression: "'replicas cut from ' + string(oldObject.replicas) + ' to ' + string(object.replicas)"
            """;
    private static final Map<String, String> RELEASE_MANAGER = Map.of("STAGEGATE_USER", "release-manager");
    private static final String VALUES = "apps/shop/values.yaml";

    @TempDir
    Path root;

    private Workspace workspace;
    private Path auditLog;
    private ServerRepository server;

    @BeforeEach
    void bothEnvironmentsAtFourReplicas() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        auditLog = root.resolve("audit.log");
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write(VALUES, "image: shop:1.0\nreplicas: 4\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER", "--audit-log", auditLog.toString());
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
    }

    @Test
    void aRuleScopedToProductionLetsDevelopmentThroughAndStopsThePromotion() {
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 2\n").commit("Two replicas are enough");
        assertThat(workspace.push("develop").exitCode()).isZero();
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 1\n").commit("One replica is enough");

        ProgramResult toDevelop = workspace.push("develop");
        ProgramResult toProduction = workspace.push("develop:main");

        assertThat(toDevelop.exitCode()).as("%s", toDevelop).isZero();
        assertThat(toProduction.exitCode()).as("%s", toProduction).isNotZero();
        assertThat(toProduction.remoteLines()).anyMatch(line -> line.startsWith(
                "error [prod-replicas] apps/shop/values.yaml:2:1 refs/heads/main (production)")
                && line.endsWith("production runs at least two replicas"));
    }

    @Test
    void theHookKeepsCompiledRulesInTheGitDirectoryAndAnyDamageToThemChangesNoVerdict() throws IOException {
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 3\n").commit("Three replicas");
        assertThat(workspace.push("develop").exitCode()).isZero();
        Path compiled = server.directory().resolve("stagegate").resolve("compiled-rules");
        List<Path> files;
        try (Stream<Path> listed = Files.list(compiled)) {
            files = listed.toList();
        }
        // both expressions and the message expression
        assertThat(files).hasSize(3);
        for (Path file : files) {
            Files.writeString(file, "stagegate compiled rule expression v1\ngarbage\n");
        }
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 1\n").commit("Scale down hard");

        ProgramResult push = workspace.push("develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("error [no-big-replica-drop]")
                && line.endsWith("replicas cut from 3 to 1"));
    }

    @Test
    void aTransitionRuleComparesWithTheTargetsTipBeforeThePush() {
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 1\n").commit("Scale down hard");

        ProgramResult push = workspace.push("develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith(
                "error [no-big-replica-drop] apps/shop/values.yaml:1:1 refs/heads/develop (development)")
                && line.endsWith("replicas cut from 4 to 1"));
    }

    @Test
    void aMissingKeyIsAViolationNeverAPass() {
        workspace.write(VALUES, "image: shop:1.1\n").commit("Forget the replicas");

        ProgramResult push = workspace.push("develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("error [no-big-replica-drop]")
                && line.contains("no such key: replicas"));
    }

    @Test
    void ruleModesTurnACustomRuleIntoAWarning() {
        workspace.write(".stagegate/policy.yaml", POLICY + "ruleModes:\n  no-big-replica-drop: warn\n")
                .commit("Replica drops only warn");
        assertThat(workspace.push("develop").exitCode()).isZero();
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 1\n").commit("Scale down hard");

        ProgramResult push = workspace.push("develop");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("warning [no-big-replica-drop]"));
    }

    @Test
    void anAuditedBypassCoversACustomRule() throws IOException {
        workspace.write(VALUES, "image: shop:1.1\nreplicas: 1\n").commit("Scale down for the incident");

        ProgramResult push = workspace.push(RELEASE_MANAGER, "-o", "stagegate.bypass=INC-42 drain the old pods",
                "develop");

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("warning [no-big-replica-drop]"));
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("warning [bypass-used]"));
        assertThat(Files.readString(auditLog)).contains("no-big-replica-drop").contains("INC-42");
    }

    @Test
    void aPolicyWhoseExpressionDoesNotCompileIsRejectedAtTheError() {
        workspace.write(".stagegate/policy.yaml", POLICY.replace("object.replicas >= 2", "object.replicas >= "))
                .commit("Break the rule");

        ProgramResult push = workspace.push("develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith("error [policy-invalid] .stagegate/policy.yaml:15:"));
    }
}
