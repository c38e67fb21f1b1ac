package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes manifests pushed through the installed hook, checked by kind against the
 * kubeconform-layout schema of validator-core's fixtures kept in the repository.
 */
@Tag("end-to-end")
class KubernetesPushIT {

    /** Surefire and failsafe run with the module directory as working directory. */
    private static final Path SCHEMAS = Path.of("../validator-core/src/test/resources/kubernetes/schemas");
    private static final String DEPLOYMENT_SCHEMA = "v1.31.0-standalone/deployment-apps-v1.json";

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            kubernetes:
              manifests: ["apps/**/*.yaml"]
              version: "1.31.0"
              schemaLocations: ["schemas/k8s"]
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: %s
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: web:1.0
            """;

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void started() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        ServerRepository server = ServerRepository.init(git, root.resolve("server.git")).withHookInstalled();
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/k8s/" + DEPLOYMENT_SCHEMA, Files.readString(SCHEMAS.resolve(DEPLOYMENT_SCHEMA)))
                .write("apps/web/deploy.yaml", DEPLOYMENT.formatted("2"))
                .commit("Start the environments");
        assertThat(workspace.push("main").exitCode()).isZero();
        assertThat(workspace.push("main:develop").exitCode()).isZero();
    }

    @Test
    void anInvalidDeploymentIsRejectedWithItsLineAndName() {
        workspace.branch("work").write("apps/web/deploy.yaml", DEPLOYMENT.formatted("two")).commit("Scale by words");

        ProgramResult push = workspace.push("work:develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).contains("(pre-receive hook declined)");
        assertThat(push.remoteLines()).anyMatch(line -> line.matches(
                "error \\[schema-violation] apps/web/deploy\\.yaml:6:3 .*: Deployment web \\(apps/v1\\):"
                        + " spec\\.replicas: expected integer, found string"
                        + " \\(schema schemas/k8s/v1\\.31\\.0-standalone/deployment-apps-v1\\.json\\)"));
    }

    @Test
    void aValidDeploymentIsAccepted() {
        workspace.branch("work").write("apps/web/deploy.yaml", DEPLOYMENT.formatted("3")).commit("Scale up");

        ProgramResult push = workspace.push("work:develop");

        assertThat(push.exitCode()).as("%s", push).isZero();
    }

    @Test
    void theHooksSchemaMirrorIsTriedBeforeTheRepositorys() throws IOException {
        Path mirror = root.resolve("mirror");
        Path schema = mirror.resolve(DEPLOYMENT_SCHEMA);
        Files.createDirectories(schema.getParent());
        Files.writeString(schema, """
                {"type": "object", "properties": {"spec": {"type": "object",
                  "properties": {"replicas": {"type": "integer", "maximum": 2}}}}}
                """);
        GitCli git = GitCli.inHome(root.resolve("home"));
        ServerRepository server = ServerRepository.init(git, root.resolve("mirrored.git"))
                .withHookInstalled("--schema-location", mirror.toString());
        Workspace mirrored = server.clone(root.resolve("mirrored"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/k8s/" + DEPLOYMENT_SCHEMA, "{}")
                .write("apps/web/deploy.yaml", DEPLOYMENT.formatted("1"))
                .commit("Start with one replica");
        assertThat(mirrored.push("main").exitCode()).isZero();
        assertThat(mirrored.push("main:develop").exitCode()).isZero();
        mirrored.branch("work").write("apps/web/deploy.yaml", DEPLOYMENT.formatted("3")).commit("Scale up");

        ProgramResult push = mirrored.push("work:develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(line -> line.contains("apps/web/deploy.yaml:6:3")
                && line.contains("Deployment web (apps/v1): spec.replicas:") && line.endsWith("(schema " + schema + ")"));
    }
}
