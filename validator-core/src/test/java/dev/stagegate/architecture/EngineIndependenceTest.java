package dev.stagegate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine knows nothing of its adapters (quality.md): no picocli, no Maven, no stdin, no
 * exiting the JVM, no printing. The command line, the hook and the Maven plugin are thin
 * layers over {@code dev.stagegate.Validator}.
 */
class EngineIndependenceTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final List<String> FORBIDDEN = List.of(
            "import picocli.", "import org.apache.maven.", "System.in", "System.exit(", "System.out.", "System.err.",
            "printStackTrace(");

    @Test
    void theEngineUsesNoAdapterConcern() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<String> offences = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(EngineIndependenceTest::offences)
                    .toList();
            assertThat(offences).isEmpty();
        }
    }

    @Test
    void everyRuleIsOneClassListedInTheRegistry() throws IOException {
        String registry = Files.readString(SOURCES.resolve("dev/stagegate/rules/RuleRegistry.java"));
        try (Stream<Path> files = Files.list(SOURCES.resolve("dev/stagegate/rules"))) {
            List<String> rules = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("Rule.java") && !name.equals("Rule.java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()))
                    .toList();
            assertThat(rules).isNotEmpty().allSatisfy(rule -> {
                assertThat(registry).contains("new " + rule + "(");
                assertThat(Path.of("src/test/java/dev/stagegate/rules/" + rule + "Test.java")).exists();
            });
        }
    }

    private static Stream<String> offences(Path file) {
        try {
            String source = Files.readString(file);
            return FORBIDDEN.stream().filter(source::contains).map(word -> SOURCES.relativize(file) + ": " + word);
        } catch (IOException e) {
            return Stream.of(file + ": unreadable");
        }
    }
}
