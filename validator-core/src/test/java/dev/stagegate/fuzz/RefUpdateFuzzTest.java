package dev.stagegate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stagegate.git.RefUpdate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RefUpdate#parse} on what a hook's stdin may hold, split into lines the way the hook
 * reads them: an update or {@link IllegalArgumentException} with a message for the pusher,
 * nothing else; and a parsed update reads back from its own line.
 */
@Timeout(10)
class RefUpdateFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesHookInput(byte[] stdin) throws IOException {
        BufferedReader lines = new BufferedReader(new StringReader(new String(stdin, StandardCharsets.UTF_8)));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            RefUpdate update;
            try {
                update = RefUpdate.parse(line);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).startsWith("malformed ").hasSizeLessThan(300);
                continue;
            }
            assertThat(RefUpdate.parse(update.toString())).isEqualTo(update);
        }
    }
}
