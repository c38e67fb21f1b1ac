package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The fast path may read a file only when it reads it exactly as the full reader does: on
 * arbitrary bytes, {@link PlainBlockYaml#read} either declines, or gives the documents the
 * full reader gives (values, Java types, positions) for a file the full reader accepts. A
 * difference would let a file pass the schema as something other than what Helm or kubectl
 * will read. The normal suite replays the seeds in {@code PlainBlockYamlFuzzTestInputs/}; the
 * slow profile fuzzes.
 */
@Timeout(10)
class PlainBlockYamlFuzzTest {

    private static final LocatedYamlReader FULL = new LocatedYamlReader(YamlLimits.DEFAULTS);

    @FuzzTest(maxDuration = "30s")
    void agreesWithTheFullReader(byte[] content) throws YamlReadException {
        List<YamlDocument> fast = PlainBlockYaml.read(content, YamlLimits.DEFAULTS.maxDepth());
        if (fast == null) {
            return;
        }
        assertThat(YamlDocuments.describe(fast)).isEqualTo(YamlDocuments.describe(FULL.readFully(content, "values.yaml")));
    }
}
