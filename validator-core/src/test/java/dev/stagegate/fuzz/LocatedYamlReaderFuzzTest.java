package dev.stagegate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LocatedYamlReader#read} on arbitrary bytes: it returns documents or throws
 * {@link YamlReadException} with a position, nothing else, and never hangs. The normal suite
 * replays the seeds in {@code LocatedYamlReaderFuzzTestInputs/}; the slow profile fuzzes.
 */
@Timeout(10)
class LocatedYamlReaderFuzzTest {

    private static final LocatedYamlReader CHECKED_FILES = new LocatedYamlReader(YamlLimits.DEFAULTS);
    private static final LocatedYamlReader OWN_FILES = new LocatedYamlReader(YamlLimits.DEFAULTS, true);

    @FuzzTest(maxDuration = "30s")
    void readsYaml(byte[] content) {
        read(CHECKED_FILES, content, "apps/web/values.yaml");
        read(OWN_FILES, content, ".stagegate/policy.yaml");
    }

    @FuzzTest(maxDuration = "30s")
    void readsJson(byte[] content) {
        read(CHECKED_FILES, content, "apps/web/values.json");
    }

    private static void read(LocatedYamlReader reader, byte[] content, String path) {
        List<YamlDocument> documents;
        try {
            documents = reader.read(content, path);
        } catch (YamlReadException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
            assertThat(expected.position()).isNotNull();
            return;
        }
        for (YamlDocument document : documents) {
            assertThat(document.positionOf("")).isNotNull();
        }
    }
}
