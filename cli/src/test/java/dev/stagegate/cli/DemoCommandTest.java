package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stagegate demo}'s options; the demo itself runs end to end in {@code DemoIT}. */
class DemoCommandTest {

    @TempDir
    Path dir;

    /** A second run of the README's {@code demo --dir} over the first's repositories would fail half-way. */
    @Test
    void aDirThatIsNotEmptyIsAUsageErrorThatNamesItAndTouchesNothing() throws IOException {
        Path earlier = Files.createDirectories(dir.resolve("stagegate-demo/server.git"));

        InProcessStagegate.Run run = new InProcessStagegate(ScriptedEngine.accepting()).in(dir)
                .run("demo", "--keep", "--dir", "stagegate-demo");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--dir " + dir.resolve("stagegate-demo") + " is not empty",
                "remove it or name another");
        assertThat(run.stdout()).isEmpty();
        try (var entries = Files.list(earlier.getParent())) {
            assertThat(entries).containsExactly(earlier);
        }
    }
}
