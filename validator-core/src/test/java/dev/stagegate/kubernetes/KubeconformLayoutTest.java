package dev.stagegate.kubernetes;

import static dev.stagegate.kubernetes.KubernetesFixtures.bytes;
import static dev.stagegate.kubernetes.KubernetesFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaLoadException;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.schema.SchemaValidator;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SchemaLocationTemplate} over a directory laid out as yannh/kubernetes-json-schema
 * (src/test/resources/kubernetes/schemas, README there), the schemas compiled by the engine's
 * own Everit adapter.
 */
class KubeconformLayoutTest {

    /** The fixtures as a revision's files: {@code schemas/v1.31.0-standalone/...}. */
    private static final SchemaSource FIXTURES = path -> {
        try {
            return bytes(path);
        } catch (IllegalArgumentException e) {
            throw new NoSuchFileException(path);
        }
    };

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 3
              selector:
                matchLabels: {app: web}
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
                    resources:
                      limits: {cpu: 500m, memory: 256Mi}
                    readinessProbe:
                      httpGet: {path: /healthz, port: 80}
            """;

    @ParameterizedTest
    @CsvSource({
        "apps/v1, Deployment, false, schemas/v1.31.0-standalone/deployment-apps-v1.json",
        "apps/v1, Deployment, true, schemas/v1.31.0-standalone-strict/deployment-apps-v1.json",
        "v1, Service, false, schemas/v1.31.0-standalone/service-v1.json",
        "v1, Service, true, schemas/v1.31.0-standalone-strict/service-v1.json",
        "v1, ConfigMap, false, schemas/v1.31.0-standalone/configmap-v1.json",
        "v1, ConfigMap, true, schemas/v1.31.0-standalone-strict/configmap-v1.json",
    })
    void aDirectoryLocationFindsEachKindsFileAndItCompiles(String apiVersion, String kind, boolean strict,
            String expected) throws Exception {
        String path = SchemaLocationTemplate.parse("schemas")
                .render(GroupVersionKind.parse(apiVersion, kind).orElseThrow(), "1.31.0", strict).orElseThrow();

        assertThat(path).isEqualTo(expected);
        assertThat(new SchemaValidator(FIXTURES).load(path)).isNotNull();
    }

    @Test
    void theSpelledOutTemplateFindsTheSameFiles() throws Exception {
        SchemaLocationTemplate spelledOut = SchemaLocationTemplate.parse("schemas/{{ .NormalizedKubernetesVersion }}"
                + "-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json");
        GroupVersionKind deployment = new GroupVersionKind("apps", "v1", "Deployment");

        assertThat(spelledOut.render(deployment, "1.31.0", true))
                .isEqualTo(SchemaLocationTemplate.parse("schemas").render(deployment, "1.31.0", true));
    }

    @Test
    void aKindWithoutAFileIsMissingNotBroken() throws Exception {
        String path = SchemaLocationTemplate.parse("schemas")
                .render(new GroupVersionKind("networking.k8s.io", "v1", "Ingress"), "1.31.0", false).orElseThrow();

        assertThat(path).isEqualTo("schemas/v1.31.0-standalone/ingress-networking-v1.json");
        assertThatThrownBy(() -> FIXTURES.read(path)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new SchemaValidator(FIXTURES).load(path)).isInstanceOf(SchemaLoadException.class);
    }

    @Test
    void aRealDeploymentPassesTheStandaloneAndTheStrictSchema() throws Exception {
        long start = System.nanoTime();
        CompiledSchema strict = deploymentSchema(true);
        System.out.printf("compiled the 657 KB strict Deployment schema in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        assertThat(problems(deploymentSchema(false), DEPLOYMENT)).isEmpty();
        assertThat(problems(strict, DEPLOYMENT)).isEmpty();
    }

    /*
     * The generated schemas make optional objects nullable ("type": ["object", "null"]), which
     * Everit reads as an anyOf: today the engine reports a problem inside one at the enclosing
     * key ("spec: matches none of the alternatives ..."), naming the offending key in the
     * message. These tests pin the verdict and that the key is named, not where it is reported.
     */

    @Test
    void anUnknownFieldFailsOnlyTheStrictSchema() throws Exception {
        String typo = DEPLOYMENT.replace("  replicas: 3", "  replica: 3");

        assertThat(problems(deploymentSchema(false), typo)).isEmpty();
        assertThat(problems(deploymentSchema(true), typo)).singleElement().asString()
                .contains("replica: property not allowed by the schema");
    }

    @Test
    void aWrongTypeFailsBothSchemas() throws Exception {
        String quoted = DEPLOYMENT.replace("replicas: 3", "replicas: '3'");

        assertThat(problems(deploymentSchema(false), quoted)).singleElement().asString()
                .contains("replicas: expected integer").contains("found string");
        assertThat(problems(deploymentSchema(true), quoted)).singleElement().asString()
                .contains("replicas: expected integer").contains("found string");
    }

    @Test
    void intOrStringIsAOneOfInTheGeneratedSchemas() throws Exception {
        String wrong = DEPLOYMENT.replace("maxSurge: 25%", "maxSurge: true");

        assertThat(problems(deploymentSchema(true), wrong)).singleElement().asString().contains("maxSurge");
        assertThat(problems(deploymentSchema(true), DEPLOYMENT.replace("maxSurge: 25%", "maxSurge: 2"))).isEmpty();
    }

    @Test
    void aServiceAndAConfigMapPassTheirSchemas() throws Exception {
        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http, port: 80, targetPort: http}
                """;
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {LOG_LEVEL: info}\n";
        SchemaValidator validator = new SchemaValidator(FIXTURES);

        assertThat(problems(validator.load("schemas/v1.31.0-standalone-strict/service-v1.json"), service)).isEmpty();
        assertThat(problems(validator.load("schemas/v1.31.0-standalone-strict/configmap-v1.json"), configMap)).isEmpty();
        assertThat(problems(validator.load("schemas/v1.31.0-standalone-strict/configmap-v1.json"),
                configMap.replace("info", "3"))).singleElement().asString().contains("LOG_LEVEL");
    }

    private static CompiledSchema deploymentSchema(boolean strict) throws Exception {
        String path = SchemaLocationTemplate.parse("schemas")
                .render(new GroupVersionKind("apps", "v1", "Deployment"), "1.31.0", strict).orElseThrow();
        return new SchemaValidator(FIXTURES).load(path);
    }
}
