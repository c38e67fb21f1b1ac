package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.kubernetes.KubernetesSettings;
import dev.stagegate.report.Violation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The policy's {@code kubernetes} section: its model, and the located checks its schema cannot make. */
class KubernetesPolicyTest {

    private static final String PATH = PolicyLoader.DEFAULT_PATH;

    /** Lines 1-6; the kubernetes section starts at line 6, its entries at line 7. */
    private static final String HEAD = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: production
                branch: main
            kubernetes:
            """;

    private final PolicyLoader loader = new PolicyLoader();

    private PolicyLoadResult load(String section) {
        return loader.load((HEAD + section).getBytes(StandardCharsets.UTF_8), PATH);
    }

    private Violation onlyProblem(String section) {
        PolicyLoadResult result = load(section);
        assertThat(result.valid()).as("valid").isFalse();
        assertThat(result.problems()).hasSize(1);
        Violation problem = result.problems().get(0);
        assertThat(problem.rule()).isEqualTo("policy-invalid");
        assertThat(problem.file()).isEqualTo(PATH);
        return problem;
    }

    @Test
    void theSpecExampleLoadsIntoTheModel() {
        PolicyLoadResult result = load("""
                  manifests: ["apps/**/*.yaml", "clusters/**/*.yaml"]
                  exclude: ["**/kustomization.yaml", "**/values*.yaml"]
                  version: "1.31.0"
                  strict: true
                  schemaLocations:
                    - "schemas/k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
                    - "schemas/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
                  crds: ["crds/**/*.yaml"]
                  missingSchema: warn
                  skipKinds: ["SealedSecret", "apps/v1/Deployment", "v1/ConfigMap"]
                """);

        assertThat(result.problems()).isEmpty();
        KubernetesSettings settings = result.policy().orElseThrow().kubernetes().orElseThrow();
        assertThat(settings.manifests()).containsExactly("apps/**/*.yaml", "clusters/**/*.yaml");
        assertThat(settings.exclude()).containsExactly("**/kustomization.yaml", "**/values*.yaml");
        assertThat(settings.version()).isEqualTo("1.31.0");
        assertThat(settings.strict()).isTrue();
        assertThat(settings.templates()).hasSize(2);
        assertThat(settings.crds()).containsExactly("crds/**/*.yaml");
        assertThat(settings.missingSchema()).isEqualTo(KubernetesSettings.MissingSchema.WARN);
        assertThat(settings.skipKinds()).containsExactly("SealedSecret", "apps/v1/Deployment", "v1/ConfigMap");
    }

    @Test
    void defaultsAreMasterNotStrictAndMissingSchemaError() {
        KubernetesSettings settings = load("  manifests: [\"apps/**\"]\n").policy().orElseThrow().kubernetes()
                .orElseThrow();

        assertThat(settings.version()).isEqualTo("master");
        assertThat(settings.strict()).isFalse();
        assertThat(settings.missingSchema()).isEqualTo(KubernetesSettings.MissingSchema.ERROR);
        assertThat(settings.schemaLocations()).isEmpty();
    }

    @Test
    void aPolicyWithoutTheSectionHasNone() {
        PolicyLoadResult result = loader.load(HEAD.replace("kubernetes:\n", "").getBytes(StandardCharsets.UTF_8), PATH);

        assertThat(result.policy().orElseThrow().kubernetes()).isEmpty();
    }

    @Test
    void aSchemaLocationThatIsAUrlIsInvalidAtItsLine() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  schemaLocations:
                    - "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master"
                """);

        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.column()).isEqualTo(8);
        assertThat(problem.message()).contains("is a URL; stagegate never reads schemas over the network");
    }

    @Test
    void anUnknownVariableIsInvalidAtItsColumnInsideTheString() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  schemaLocations:
                    - "schemas/{{ .ResourceKindLowercase }}.json"
                """);

        // the quote is at column 7, schemas/ fills 8-15, {{ 16-17, the space 18, the dot 19
        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.column()).isEqualTo(19);
        assertThat(problem.message()).contains("unknown variable .ResourceKindLowercase")
                .contains("NormalizedKubernetesVersion, StrictSuffix, ResourceKind, ResourceAPIVersion, Group,"
                        + " KindSuffix");
    }

    @Test
    void anUnknownVariableInAPlainScalarIsAtItsColumnToo() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  schemaLocations:
                    - schemas/{{ .Kind }}.json
                """);

        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.column()).isEqualTo(18);
    }

    @Test
    void aSchemaLocationThatLeavesTheRepositoryIsInvalidAtTheDots() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  schemaLocations: ["schemas/../../k8s"]
                """);

        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.column()).isEqualTo(30);
        assertThat(problem.message()).contains("climbs out with '..'");
    }

    @Test
    void anAbsoluteSchemaLocationBelongsToTheServerNotThePolicy() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  schemaLocations: ["/srv/schemas"]
                """);

        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.message()).contains("is not a path inside the repository").contains("--schema-location");
    }

    @Test
    void aVersionThatIsNotOneKubeconformRendersIsInvalid() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  version: "v1.31"
                """);

        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.message()).contains("kubernetes.version 'v1.31' is not a Kubernetes version");
    }

    @Test
    void aBadGlobIsInvalidAtItsEntry() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  crds: ["crds/[z-a].yaml"]
                """);

        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.message()).startsWith("kubernetes.crds entry 'crds/[z-a].yaml' is not a valid glob");
    }

    @Test
    void aSkipKindsEntryThatNamesNoKindIsInvalid() {
        Violation problem = onlyProblem("""
                  manifests: ["apps/**"]
                  skipKinds: [SealedSecret, "a/b/c/Kind"]
                """);

        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.message()).contains("kubernetes.skipKinds entry 'a/b/c/Kind' names no kind");
    }

    @Test
    void theSchemaRefusesAnUnknownFieldAndAnUnknownMissingSchemaMode() {
        PolicyLoadResult result = load("""
                  manifests: ["apps/**"]
                  missingSchema: skip
                  schemaLocation: ["schemas"]
                """);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(Violation::line).containsExactlyInAnyOrder(8, 9);
    }
}
