package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
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
        try (WithoutCel loader = new WithoutCel()) {
            assertThat(valid(loader, POLICY.replace("{{ .Kind }}", "{{ .ResourceKind }}"))).isTrue();
            assertThat(valid(loader, POLICY)).isFalse();
            assertThat(valid(loader, POLICY + "rules: []\n")).isFalse();

            assertThat(loader.refused).isEmpty();
        }
    }

    @Test
    void aPolicyWithRulesDoesLoadIt() throws Exception {
        try (WithoutCel loader = new WithoutCel()) {
            String withRules = POLICY + "rules:\n  - id: r\n    files: apps/**\n    expression: \"true\"\n";

            assertThatThrownBy(() -> valid(loader, withRules)).hasRootCauseInstanceOf(ClassNotFoundException.class);
            assertThat(loader.refused).isNotEmpty();
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

    /** The test class path without the JDK's application loader, refusing (and noting) CEL's classes. */
    private static final class WithoutCel extends URLClassLoader {

        final Set<String> refused = new ConcurrentSkipListSet<>();

        WithoutCel() throws MalformedURLException {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.cel.") || name.startsWith("dev.stagegate.customrules.")) {
                refused.add(name);
                throw new ClassNotFoundException(name + " must not load for a policy without rules");
            }
            return super.loadClass(name, resolve);
        }

        private static URL[] classPath() throws MalformedURLException {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        }
    }
}
