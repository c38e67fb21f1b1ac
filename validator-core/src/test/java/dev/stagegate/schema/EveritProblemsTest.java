package dev.stagegate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where and how a violation inside {@code anyOf}/{@code oneOf} is reported, on schemas in the
 * shape Kubernetes' generated ones have: every optional property typed {@code [T, "null"]}
 * (an {@code anyOf} to Everit), int-or-string and quantities as a {@code oneOf} of two such
 * type lists, objects as alternatives.
 */
class EveritProblemsTest {

    /** A cut-down generated schema: a nullable object whose fields are the shapes under test. */
    private static final String GENERATED_SHAPES = """
            {"type": "object", "properties": {"spec": {"type": ["object", "null"], "properties": {
              "port": {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]},
              "cpu": {"oneOf": [{"type": ["string", "null"]}, {"type": ["number", "null"]}]},
              "replicas": {"type": ["integer", "null"], "format": "int32"},
              "ports": {"type": ["array", "null"], "items":
                {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}}
            }}}}
            """;

    /** A volume source: one of two objects, told apart by which key they have. */
    private static final String OBJECT_ALTERNATIVES = """
            {"properties": {"source": {"anyOf": [
              {"type": "object", "required": ["configMap"], "properties": {"configMap": {
                "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}},
              {"type": "object", "required": ["secret"], "properties": {"secret": {
                "type": "object", "required": ["secretName"], "properties": {"secretName": {"type": "string"}}}}}
            ]}}}
            """;

    private static final String DEPLOYMENT_SCHEMA = "kubernetes/schemas/v1.31.0-standalone-strict/deployment-apps-v1.json";

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: web
              strategy:
                rollingUpdate:
                  maxSurge: 25%
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      ports:
                        - containerPort: 8080
                          name: http
                      resources:
                        limits:
                          cpu: 500m
                          memory: 256Mi
                        requests: {cpu: 0.25, memory: 128Mi}
                      livenessProbe:
                        httpGet: {path: /healthz, port: http}
            """;

    private static CompiledSchema deploymentSchema;

    @Test
    void intOrStringWithABooleanNamesBothTypesAtItsKey() throws Exception {
        assertThat(problems(GENERATED_SHAPES, """
                spec:
                  port: true
                """)).containsExactly("2:3 spec.port: expected integer or string, found boolean");
    }

    @Test
    void quantityWithAListNamesBothTypesAtItsKey() throws Exception {
        assertThat(problems(GENERATED_SHAPES, """
                spec:
                  cpu:
                    - 1
                """)).containsExactly("2:3 spec.cpu: expected number or string, found array");
    }

    @Test
    void aNullableTypeListLeavesNullOutOfWhatItExpects() throws Exception {
        assertThat(problems(GENERATED_SHAPES, """
                spec:
                  replicas: "3"
                """)).containsExactly("2:3 spec.replicas: expected integer, found string");
    }

    @Test
    void aNullableTypeListAcceptsNull() throws Exception {
        assertThat(problems(GENERATED_SHAPES, """
                spec:
                  replicas: null
                  port: 8080
                  cpu: 500m
                """)).isEmpty();
    }

    @Test
    void aWrongTypeForTheNullableObjectItselfNamesTheObjectType() throws Exception {
        assertThat(problems(GENERATED_SHAPES, "spec: 3\n"))
                .containsExactly("1:1 spec: expected object, found integer");
    }

    @Test
    void nullUnderIntOrStringSaysWhatToDoAtTheKeyOrItem() throws Exception {
        assertThat(problems(GENERATED_SHAPES, """
                spec:
                  port: null
                  ports:
                    - 80
                    - null
                """)).containsExactly(
                "2:3 spec.port: null is not allowed here (matches both alternatives of oneOf);"
                        + " remove the key or give a value",
                "5:7 spec.ports[1]: null is not allowed here (matches both alternatives of oneOf);"
                        + " remove the item or give a value");
    }

    @Test
    void theObjectAlternativeThatGotFurtherReportsItsOwnProblemAtItsOwnLine() throws Exception {
        assertThat(problems(OBJECT_ALTERNATIVES, """
                source:
                  configMap:
                    name: 7
                """)).containsExactly("3:5 source.configMap.name: expected string, found integer");
    }

    @Test
    void theObjectAlternativeWithFewerProblemsBelowTheNodeIsTheClosest() throws Exception {
        assertThat(problems(OBJECT_ALTERNATIVES, """
                source:
                  secret: {}
                """)).containsExactly("2:3 source.secret: required property 'secretName' is missing");
    }

    @Test
    void objectAlternativesEquallyFarListEachOnesComplaintAtTheNodeTheyShare() throws Exception {
        assertThat(problems(OBJECT_ALTERNATIVES, """
                source:
                  emptyDir: {}
                """)).containsExactly("1:1 source: matches none of the alternatives (anyOf):"
                + " required property 'configMap' is missing; or required property 'secret' is missing");
    }

    @Test
    void alternativesEquallyFarBelowTheNodeAreReportedAtTheDeepestNodeTheyShare() throws Exception {
        String schema = """
                {"properties": {"source": {"anyOf": [
                  {"properties": {"ref": {"properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}}}}},
                  {"properties": {"ref": {"properties": {"kind": {"enum": ["ConfigMap", "Secret"]}}}}}
                ]}}}
                """;

        assertThat(problems(schema, """
                source:
                  ref:
                    kind: Volume
                    name: Web
                """)).containsExactly("2:3 source.ref: matches none of the alternatives (anyOf):"
                + " kind: 'Volume' is not one of the allowed values: 'ConfigMap', 'Secret';"
                + " or name: 'Web' does not match the pattern ^[a-z]+$");
    }

    @Test
    void anAlternativeThatAcceptsTheTypeSpeaksForTheValue() throws Exception {
        String schema = """
                {"properties": {"storage": {"oneOf": [
                  {"type": "string", "pattern": "^[0-9]+Gi$"}, {"type": "integer", "minimum": 1}]}}}
                """;

        assertThat(problems(schema, "storage: 10GB\n"))
                .containsExactly("1:1 storage: '10GB' does not match the pattern ^[0-9]+Gi$");
        assertThat(problems(schema, "storage: 0\n")).containsExactly("1:1 storage: must be at least 1, found 0");
    }

    @Test
    void aValidDeploymentHasNoProblems() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void replicasAsAStringIsReportedAtReplicas() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT.replace("replicas: 3", "replicas: \"3\"")))
                .containsExactly("7:3 spec.replicas: expected integer, found string");
    }

    @Test
    void containerPortAsABooleanIsReportedAtContainerPort() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT.replace("containerPort: 8080", "containerPort: true")))
                .containsExactly("24:15 spec.template.spec.containers[0].ports[0].containerPort:"
                        + " expected integer, found boolean");
    }

    @Test
    void anUnknownContainerFieldIsReportedAtItsKeyInStrictMode() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT.replace("image: nginx:1.27", "image: nginx:1.27\n"
                + "          imagePullPolicyy: Always")))
                .containsExactly("23:11 spec.template.spec.containers[0].imagePullPolicyy: property not allowed"
                        + " by the schema (allowed: args, command, env, envFrom, image, imagePullPolicy, lifecycle,"
                        + " livenessProbe, name, ports, ...)");
    }

    @Test
    void aCpuLimitAsAListIsReportedAtCpu() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT.replace("cpu: 500m", "cpu: [1]")))
                .containsExactly("28:15 spec.template.spec.containers[0].resources.limits.cpu:"
                        + " expected number or string, found array");
    }

    @Test
    void intOrStringFieldsOfADeploymentAreReportedAtTheirKeys() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT
                .replace("maxSurge: 25%", "maxSurge: null")
                .replace("maxUnavailable: 0", "maxUnavailable: true")
                .replace("port: http}", "port: [http]}")))
                .containsExactly(
                        "13:7 spec.strategy.rollingUpdate.maxSurge: null is not allowed here (matches both"
                                + " alternatives of oneOf); remove the key or give a value",
                        "14:7 spec.strategy.rollingUpdate.maxUnavailable: expected integer or string, found boolean",
                        "32:39 spec.template.spec.containers[0].livenessProbe.httpGet.port:"
                                + " expected integer or string, found array");
    }

    @Test
    void everyProblemOfADeploymentIsReportedAtItsOwnKey() throws Exception {
        assertThat(deploymentProblems(DEPLOYMENT
                .replace("replicas: 3", "replicas: \"3\"")
                .replace("containerPort: 8080", "containerPort: true")
                .replace("cpu: 500m", "cpu: [1]")))
                .extracting(problem -> problem.substring(0, problem.indexOf(' ')))
                .containsExactly("7:3", "24:15", "28:15");
    }

    private static List<String> deploymentProblems(String yaml) throws Exception {
        return problems(deploymentSchema(), yaml);
    }

    /** Compiled once for the class: the file is 650 KB. */
    private static synchronized CompiledSchema deploymentSchema() throws SchemaLoadException {
        if (deploymentSchema == null) {
            SchemaSource classpath = path -> {
                try (InputStream in = EveritProblemsTest.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new NoSuchFileException(path);
                    }
                    return in.readAllBytes();
                }
            };
            deploymentSchema = new SchemaValidator(classpath).load(DEPLOYMENT_SCHEMA);
        }
        return deploymentSchema;
    }

    private static List<String> problems(String schemaJson, String yaml) throws Exception {
        byte[] schema = schemaJson.getBytes(StandardCharsets.UTF_8);
        return problems(new SchemaValidator(path -> schema).load("schema.json"), yaml);
    }

    private static List<String> problems(CompiledSchema schema, String yaml) throws Exception {
        List<String> found = new ArrayList<>();
        for (YamlDocument document : new LocatedYamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml")) {
            for (SchemaProblem problem : schema.validate(document)) {
                found.add(problem.position() + " " + problem.message());
            }
        }
        return found;
    }
}
