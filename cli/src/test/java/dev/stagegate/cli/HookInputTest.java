package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.stagegate.PushRequest;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed lines on the hook's standard input (git never writes them, but a wrapper or a
 * host's hook chain might): the push is rejected with exit status 3 and the line, abbreviated,
 * before the engine is asked anything.
 */
class HookInputTest {

    private static final String OLD = "1111111111111111111111111111111111111111";
    private static final String NEW = "2222222222222222222222222222222222222222";
    private static final String FIELDS = "malformed hook input line (expected '<old> <new> <ref>'): ";
    private static final String ID = "malformed object id in hook input line: ";
    private static final String REF = "malformed ref name in hook input line: ";

    @TempDir
    Path repository;

    @BeforeEach
    void bareRepository() throws Exception {
        Git.init().setBare(true).setDirectory(repository.toFile()).call().close();
    }

    static Stream<Arguments> malformedLines() {
        String sha256 = "1".repeat(64);
        String huge = OLD + " " + NEW + " refs/heads/" + "x".repeat(100_000);
        return Stream.of(
                arguments("an empty line", "", FIELDS),
                arguments("two fields", OLD + " refs/heads/main", FIELDS + OLD + " refs/heads/main"),
                arguments("tabs between the fields (quoted with spaces: output is plain ASCII)",
                        OLD + "\t" + NEW + "\trefs/heads/main", FIELDS + OLD + " " + NEW + " refs/heads/main"),
                arguments("a short object id", "111 " + NEW + " refs/heads/main", ID + "111 " + NEW + " refs/heads/main"),
                arguments("a SHA-256 id", sha256 + " " + NEW + " refs/heads/main", ID + sha256 + " " + NEW
                        + " refs/heads/main"),
                arguments("two spaces", OLD + "  " + NEW + " refs/heads/main", ID + OLD + "  " + NEW + " refs/heads/main"),
                arguments("no ref name", OLD + " " + NEW + " ", REF + OLD + " " + NEW + " "),
                arguments("a ref outside refs/", OLD + " " + NEW + " heads/main", REF + OLD + " " + NEW + " heads/main"),
                arguments("a ref name git refuses", OLD + " " + NEW + " refs/heads/a..b", REF + OLD + " " + NEW
                        + " refs/heads/a..b"),
                arguments("a NUL in the ref name", OLD + " " + NEW + " refs/heads/main\u0000x",
                        REF + OLD + " " + NEW + " refs/heads/main\\u0000x"),
                arguments("a huge line", huge + "\u0000", REF + huge.substring(0, 200) + "..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLines")
    void aMalformedLineRejectsThePush(String name, String line, String message) {
        ScriptedEngine engine = ScriptedEngine.accepting();

        InProcessStagegate.Run run = new InProcessStagegate(engine).in(repository)
                .stdin(OLD + " " + NEW + " refs/heads/feature\n" + line + "\n").run("pre-receive");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("stagegate: cannot judge this push: " + message
                + "; push rejected (fail closed)" + System.lineSeparator());
        assertThat(engine.lastRequest(PushRequest.class)).isNull();
    }

    @Test
    void aCarriageReturnEndsALineAsANewlineDoes() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        InProcessStagegate.Run run = new InProcessStagegate(engine).in(repository)
                .stdin(OLD + " " + NEW + " refs/heads/main\r\n").run("pre-receive");

        assertThat(run.status()).isZero();
        assertThat(engine.lastRequest(PushRequest.class).updates()).singleElement()
                .satisfies(update -> assertThat(update.refName()).isEqualTo("refs/heads/main"));
    }
}
