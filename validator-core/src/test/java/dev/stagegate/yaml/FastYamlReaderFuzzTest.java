package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The fast path may read a file only when it reads it exactly as the full reader does: on
 * arbitrary bytes, {@link FastYamlReader#read} either declines, or gives the documents the
 * full reader gives (values, Java types, positions) for a file the full reader accepts. A
 * difference would let a file pass the schema as something other than what Helm or kubectl
 * will read. The normal suite replays the seeds in {@code FastYamlReaderFuzzTestInputs/} (one
 * per style the fast path reads); the slow profile fuzzes, with the dictionary below steering
 * mutations towards the syntax the fast path reads or must decline.
 */
@Timeout(10)
class FastYamlReaderFuzzTest {

    private static final LocatedYamlReader FULL = new LocatedYamlReader(YamlLimits.DEFAULTS);

    @FuzzTest(maxDuration = "30s")
    // one token a line in libFuzzer's dictionary, which Jazzer writes without escaping line breaks or tabs
    @DictionaryEntries({
        ": ", "- ", "# ", " #", "---", "--- ", "...", "{", "}", "[", "]", ", ", ",", "{}", "[]", "\"", "'", "''",
        "\\\"", "\\\\", "\\t", "\\n", "\\u00e9", "\\x41", "\\U0001F600", "\\/", "\\N", "\\_", "|", ">", "|-",
        "|+", ">-", ">+", "|2", "&a ", "*a", "!!str ", "? ", "<<", "~", "null", "true", "yes", "0x1F", "1_000", "1.5",
        "\u00e9", "\u65e5", "\u00a0", "\u2028", "\u0085", "\ufeff", "\ud83d\ude00"})
    void agreesWithTheFullReader(byte[] content) throws YamlReadException {
        List<YamlDocument> fast = FastYamlReader.read(content, YamlLimits.DEFAULTS.maxDepth());
        if (fast == null) {
            return;
        }
        assertThat(YamlDocuments.describe(fast)).isEqualTo(YamlDocuments.describe(FULL.readFully(content, "values.yaml")));
    }
}
