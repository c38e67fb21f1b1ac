package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.testing.ClassLoaderWithoutCel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * CEL (and the Guava and protobuf it brings) costs start-up time on every push, so reading a
 * policy must not load it unless the policy has rules. Each case loads stagegate afresh in a class
 * loader that refuses CEL and {@code dev.stagegate.customrules}, and reads a policy with it.
 */
class CelLoadingTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
            kubernetes:
              manifests: ["apps/**/*.yaml"]
              schemaLocations: ["schemas/{{ .Kind }}.json"]
            ruleModes:
              skipped-stage: warn
            """;

    @Test
    void aPolicyWithoutRulesLoadsNoCelEvenWhenItIsInvalid() throws Exception {
        try (ClassLoaderWithoutCel loader = new ClassLoaderWithoutCel()) {
            assertThat(valid(loader, POLICY.replace("{{ .Kind }}", "{{ .ResourceKind }}"))).isTrue();
            assertThat(valid(loader, POLICY)).isFalse();
            assertThat(valid(loader, POLICY + "rules: []\n")).isFalse();

            assertThat(loader.refused()).isEmpty();
        }
    }

    @Test
    void aPolicyWithRulesDoesLoadIt() throws Exception {
        try (ClassLoaderWithoutCel loader = new ClassLoaderWithoutCel()) {
            String withRules = POLICY + "rules:\n  - id: r\n    files: apps/**\n    expression: \"true\"\n";

            assertThatThrownBy(() -> valid(loader, withRules)).hasRootCauseInstanceOf(ClassNotFoundException.class);
            assertThat(loader.refused()).isNotEmpty();
        }
    }

    /** Whether the policy loads as valid, read by a {@code PolicyLoader} of {@code loader}. */
    private static boolean valid(ClassLoader loader, String policy) throws Exception {
        Class<?> type = loader.loadClass(PolicyLoader.class.getName());
        Object policyLoader = type.getConstructor().newInstance();
        Method load = type.getMethod("load", byte[].class, String.class);
        try {
            Object result = load.invoke(policyLoader, policy.getBytes(StandardCharsets.UTF_8), PolicyLoader.DEFAULT_PATH);
            return (boolean) result.getClass().getMethod("valid").invoke(result);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
    }
}
