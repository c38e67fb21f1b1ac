package dev.stagegate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupVersionKindTest {

    @ParameterizedTest
    @CsvSource({
        "apps/v1, Deployment, apps, v1, apps/v1/Deployment",
        "v1, ConfigMap, '', v1, v1/ConfigMap",
        "networking.k8s.io/v1, Ingress, networking.k8s.io, v1, networking.k8s.io/v1/Ingress",
        "cert-manager.io/v1, Certificate, cert-manager.io, v1, cert-manager.io/v1/Certificate",
        "argoproj.io/v1alpha1, Application, argoproj.io, v1alpha1, argoproj.io/v1alpha1/Application",
    })
    void readsApiVersionAndKind(String apiVersion, String kind, String group, String version, String written) {
        GroupVersionKind gvk = GroupVersionKind.parse(apiVersion, kind).orElseThrow();

        assertThat(gvk).isEqualTo(new GroupVersionKind(group, version, kind));
        assertThat(gvk.apiVersion()).isEqualTo(apiVersion);
        assertThat(gvk).hasToString(written);
    }

    @Test
    void theCoreGroupIsEmpty() {
        assertThat(GroupVersionKind.parse("v1", "Service").orElseThrow().isCore()).isTrue();
        assertThat(GroupVersionKind.parse("apps/v1", "Deployment").orElseThrow().isCore()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "'', Deployment",
        "apps/v1, ''",
        "/v1, Deployment",
        "apps/, Deployment",
        "a/b/c, Deployment",
        "apps//v1, Deployment",
    })
    void refusesWhatIsNotVersionOrGroupSlashVersion(String apiVersion, String kind) {
        assertThat(GroupVersionKind.parse(apiVersion, kind)).isEmpty();
    }

    @Test
    void refusesAMissingApiVersionOrKind() {
        assertThat(GroupVersionKind.parse(null, "Deployment")).isEmpty();
        assertThat(GroupVersionKind.parse("v1", null)).isEmpty();
    }

    @Test
    void keepsAStrangeKindSoThatAMessageCanNameIt() {
        assertThat(GroupVersionKind.parse("v1", "../../etc/passwd").orElseThrow().kind()).isEqualTo("../../etc/passwd");
    }

    @ParameterizedTest
    @CsvSource({
        "apps/v1, Deployment, Deployment, true",
        "apps/v1, Deployment, apps/v1/Deployment, true",
        "apps/v1, Deployment, apps/v1beta1/Deployment, false",
        "apps/v1, Deployment, deployment, false",
        "apps/v1, Deployment, v1/Deployment, false",
        "apps/v1, Deployment, Deploy, false",
        "v1, ConfigMap, ConfigMap, true",
        "v1, ConfigMap, v1/ConfigMap, true",
        "v1, ConfigMap, core/v1/ConfigMap, false",
        "v1, ConfigMap, /v1/ConfigMap, false",
        "bitnami.com/v1alpha1, SealedSecret, SealedSecret, true",
        "bitnami.com/v1alpha1, SealedSecret, bitnami.com/v1alpha1/SealedSecret, true",
    })
    void aSkipEntryNamesTheKindOrApiVersionSlashKindAsKubeconformDoes(String apiVersion, String kind,
            String skipKind, boolean matches) {
        assertThat(GroupVersionKind.parse(apiVersion, kind).orElseThrow().matches(skipKind)).isEqualTo(matches);
    }
}
