package dev.stagegate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected paths follow kubeconform v0.7.0's registry_test.go and NOTES.md section 1. */
class SchemaLocationTemplateTest {

    private static final String EVERY_VARIABLE = "s/{{ .NormalizedKubernetesVersion }}|{{ .StrictSuffix }}|"
            + "{{ .ResourceKind }}|{{ .ResourceAPIVersion }}|{{ .Group }}|{{ .KindSuffix }}.json";

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "apps/v1; Deployment; s/v1.31.0||deployment|v1|apps|-apps-v1.json",
        "v1; Service; s/v1.31.0||service|v1|v1|-v1.json",
        "networking.k8s.io/v1; Ingress; s/v1.31.0||ingress|v1|networking.k8s.io|-networking-v1.json",
        "cert-manager.io/v1; Certificate; s/v1.31.0||certificate|v1|cert-manager.io|-cert-manager-v1.json",
        "rbac.authorization.k8s.io/v1; Role; s/v1.31.0||role|v1|rbac.authorization.k8s.io|-rbac-v1.json",
        "autoscaling/v2; HorizontalPodAutoscaler; s/v1.31.0||horizontalpodautoscaler|v2|autoscaling|-autoscaling-v2.json",
        "sagemaker.aws.amazon.com/v1; TrainingJob; s/v1.31.0||trainingjob|v1|sagemaker.aws.amazon.com|-sagemaker-v1.json",
        "Example.COM/V1Beta1; MyKind; s/v1.31.0||mykind|V1Beta1|Example.COM|-example-v1beta1.json",
    })
    void eachVariableTakesKubeconformsValue(String apiVersion, String kind, String expected) throws Exception {
        assertThat(render(EVERY_VARIABLE, apiVersion, kind, "1.31.0", false)).isEqualTo(expected);
    }

    @Test
    void strictSuffixIsDashStrictOnlyInStrictMode() throws Exception {
        String template = "k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/x.json";

        assertThat(render(template, "v1", "Service", "1.31.0", true)).isEqualTo("k8s/v1.31.0-standalone-strict/x.json");
        assertThat(render(template, "v1", "Service", "1.31.0", false)).isEqualTo("k8s/v1.31.0-standalone/x.json");
    }

    @Test
    void masterIsNotGivenAV() throws Exception {
        assertThat(render("{{ .NormalizedKubernetesVersion }}/{{ .ResourceKind }}{{ .KindSuffix }}.json", "v1",
                "Service", "master", false)).isEqualTo("master/service-v1.json");
    }

    @Test
    void spacesInsideTheBracesAreOptional() throws Exception {
        String spaced = "c/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json";
        String tight = "c/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json";

        assertThat(render(tight, "cert-manager.io/v1", "Certificate", "1.31.0", false))
                .isEqualTo(render(spaced, "cert-manager.io/v1", "Certificate", "1.31.0", false))
                .isEqualTo("c/cert-manager.io/certificate_v1.json");
    }

    @Test
    void aLocationNotEndingInJsonIsADirectoryInKubernetesJsonSchemasLayout() throws Exception {
        assertThat(render("schemas/k8s", "apps/v1", "Deployment", "1.31.0", true))
                .isEqualTo("schemas/k8s/v1.31.0-standalone-strict/deployment-apps-v1.json");
        assertThat(render("schemas/k8s/", "v1", "ConfigMap", "1.31.0", false))
                .isEqualTo("schemas/k8s/v1.31.0-standalone/configmap-v1.json");
        assertThat(render("/srv/mirror", "v1", "ConfigMap", "master", false))
                .isEqualTo("/srv/mirror/master-standalone/configmap-v1.json");
        assertThat(SchemaLocationTemplate.parse("schemas/k8s").expanded()).isEqualTo("schemas/k8s/"
                + SchemaLocationTemplate.DEFAULT_LAYOUT);
        assertThat(SchemaLocationTemplate.parse("schemas/k8s").text()).isEqualTo("schemas/k8s");
    }

    @Test
    void aLocationEndingInJsonIsUsedAsWrittenEvenWithoutVariables() throws Exception {
        assertThat(render("fixtures/grafanaalertrulegroup_v1beta1.json", "apps/v1", "Deployment", "1.31.0", true))
                .isEqualTo("fixtures/grafanaalertrulegroup_v1beta1.json");
    }

    @Test
    void kindsNamesAreCheckedBeforeTheyBecomePaths() throws Exception {
        SchemaLocationTemplate template = SchemaLocationTemplate.parse("schemas");

        for (String[] resource : new String[][] {
            {"v1", "../../etc/passwd"}, {"v1", ".."}, {"v1", "a/b"}, {"v1", "a\\..\\..\\b"}, {"v1", "Pod\0"},
            {"v1", "Pod\n"}, {"../v1", "Pod"}, {"..", "Pod"}, {"a..b/v1", "Pod"}, {"-a/v1", "Pod"},
            {"apps/..", "Deployment"}, {"apps/v1\t", "Deployment"}, {"apps/v1", ""}}) {
            GroupVersionKind gvk = GroupVersionKind.parse(resource[0], resource[1]).orElse(null);
            if (gvk == null) {
                continue; // not even a resource identity: nothing to render
            }
            assertThat(template.render(gvk, "1.31.0", false)).as(gvk.toString()).isEmpty();
            assertThat(SchemaLocationTemplate.unsafeName(gvk)).as(gvk.toString()).isPresent();
        }
    }

    @Test
    void sayWhichNameCannotBeAPath() {
        assertThat(SchemaLocationTemplate.unsafeName(new GroupVersionKind("", "v1", "../../etc/passwd")))
                .contains("kind '../../etc/passwd' cannot name a schema file: a kind is letters, digits, '-' and '_'");
        assertThat(SchemaLocationTemplate.unsafeName(new GroupVersionKind("..", "v1", "Pod")))
                .contains("group '..' cannot name a schema file: a group is DNS labels (letters, digits and '-')"
                        + " joined by '.'");
        assertThat(SchemaLocationTemplate.unsafeName(new GroupVersionKind("", "v1\0", "Pod")))
                .contains("version 'v1\\u0000' cannot name a schema file: a version is letters, digits and '-'");
        assertThat(SchemaLocationTemplate.unsafeName(new GroupVersionKind("argoproj.io", "v1alpha1", "Application")))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "foo {{ .Foo }}; 8; unknown variable .Foo at column 8; the variables are NormalizedKubernetesVersion,"
                + " StrictSuffix, ResourceKind, ResourceAPIVersion, Group, KindSuffix",
        "s/{{.resourceKind}}.json; 5; unknown variable .resourceKind at column 5 (did you mean .ResourceKind?)",
        "s/{{ .ResourceKindLowercase }}.json; 6; unknown variable .ResourceKindLowercase",
        "s/{{ .ResourceKind .json; 3; '{{' at column 3 is never closed with '}}'",
        "s/{{ }}/x.json; 3; '{{ }}' at column 3 is empty",
        "s/{{ .ResourceKind | lower }}.json; 3; '{{ .ResourceKind | lower }}' at column 3 is Go template syntax that"
                + " stagegate does not support",
        "s/{{ lower .ResourceKind }}.json; 3; is Go template syntax that stagegate does not support",
        "s/{{- .ResourceKind }}.json; 3; is Go template syntax that stagegate does not support",
        "s/{{/* kind */}}.json; 3; is Go template syntax that stagegate does not support",
        "s/{{ $x := 1 }}.json; 3; is Go template syntax that stagegate does not support",
        "s/{{ .Group.Name }}.json; 3; is Go template syntax that stagegate does not support",
        "s/{{ .Group }}/../../etc/passwd.json; 16; '..' at column 16 follows a variable",
        "s/{{ .Group }}/./x.json; 16; '.' at column 16 follows a variable",
        "s/{{ .Group; 3; never closed",
    })
    void aBadTemplateIsAProblemAtItsColumn(String template, int column, String message) {
        assertProblem(() -> SchemaLocationTemplate.parse(template), column, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}"
                + "-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json",
        "http://example.com/schemas",
        "file:///srv/schemas",
        "s3://bucket/schemas/{{ .ResourceKind }}.json",
        "HTTPS://example.com/x.json",
    })
    void aUrlIsRefusedAndNeverFetched(String template) {
        assertProblem(() -> SchemaLocationTemplate.parse(template), 1,
                "is a URL; stagegate never reads schemas over the network");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void anEmptyLocationIsAProblem(String template) {
        assertProblem(() -> SchemaLocationTemplate.parse(template), 1, "a schema location must not be empty");
    }

    @Test
    void climbingBeforeTheFirstVariableIsTheAuthorsChoice() throws Exception {
        assertThat(render("../shared/{{ .ResourceKind }}.json", "v1", "Pod", "1.31.0", false))
                .isEqualTo("../shared/pod.json");
    }

    @Test
    void theKubernetesVersionIsOneKubeconformAccepts() throws Exception {
        assertThat(SchemaLocationTemplate.isKubernetesVersion("1.31.0")).isTrue();
        assertThat(SchemaLocationTemplate.isKubernetesVersion("master")).isTrue();
        assertThat(SchemaLocationTemplate.isKubernetesVersion("v1.31.0")).isFalse();
        assertThat(SchemaLocationTemplate.isKubernetesVersion("1.31")).isFalse();
        assertThat(SchemaLocationTemplate.isKubernetesVersion("../1.31.0")).isFalse();
        assertThat(SchemaLocationTemplate.isKubernetesVersion(null)).isFalse();
        SchemaLocationTemplate template = SchemaLocationTemplate.parse("schemas");
        GroupVersionKind pod = new GroupVersionKind("", "v1", "Pod");
        assertThatThrownBy(() -> template.render(pod, "../1.31.0", false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String render(String template, String apiVersion, String kind, String version, boolean strict)
            throws InvalidSchemaLocationException {
        return SchemaLocationTemplate.parse(template)
                .render(GroupVersionKind.parse(apiVersion, kind).orElseThrow(), version, strict).orElseThrow();
    }

    private static void assertProblem(ThrowingCallable parse, int column, String message) {
        assertThatThrownBy(parse).isInstanceOfSatisfying(InvalidSchemaLocationException.class, problem -> {
            assertThat(problem.getMessage()).contains(message);
            assertThat(problem.column()).isEqualTo(column);
        });
    }
}
