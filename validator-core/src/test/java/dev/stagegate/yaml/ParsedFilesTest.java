package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedFilesTest {

    private static final LocatedYamlReader READER = new LocatedYamlReader();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<YamlDocument> parse(String text) {
        try {
            return READER.read(bytes(text), "a.yaml");
        } catch (YamlReadException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWantedFileIsHandedOverOnceThenForgotten() {
        ParsedFiles parsed = ParsedFiles.keeping(path -> path.startsWith("apps/"), 1_000);
        List<YamlDocument> documents = parse("replicas: 2\n");

        parsed.keep("apps/web/values.yaml", bytes("replicas: 2\n"), documents);

        assertThat(parsed.take("apps/web/values.yaml")).contains(documents);
        assertThat(parsed.take("apps/web/values.yaml")).isEmpty();
    }

    @Test
    void aFileNoLaterCheckWantsIsNotKept() {
        ParsedFiles parsed = ParsedFiles.keeping(path -> path.startsWith("apps/"), 1_000);

        parsed.keep("config/app.yaml", bytes("a: 1\n"), parse("a: 1\n"));

        assertThat(parsed.take("config/app.yaml")).isEmpty();
    }

    @Test
    void filesPastTheBudgetAreNotKeptAndTakingOneMakesRoomAgain() {
        ParsedFiles parsed = ParsedFiles.keeping(path -> true, 20);
        String twelve = "replicas: 2\n";

        parsed.keep("a.yaml", bytes(twelve), parse(twelve));
        parsed.keep("b.yaml", bytes(twelve), parse(twelve));
        assertThat(parsed.take("b.yaml")).as("24 bytes are over the 20 allowed").isEmpty();

        assertThat(parsed.take("a.yaml")).isPresent();
        parsed.keep("b.yaml", bytes(twelve), parse(twelve));
        assertThat(parsed.take("b.yaml")).isPresent();
    }

    @Test
    void keepingAPathAgainReplacesItWithinTheBudget() {
        ParsedFiles parsed = ParsedFiles.keeping(path -> true, 20);
        List<YamlDocument> second = parse("replicas: 3\n");

        parsed.keep("a.yaml", bytes("replicas: 2\n"), parse("replicas: 2\n"));
        parsed.take("a.yaml");
        parsed.keep("a.yaml", bytes("replicas: 2\n"), parse("replicas: 2\n"));
        parsed.keep("a.yaml", bytes("replicas: 3\n"), second);
        parsed.keep("b.yaml", bytes("b: 1\n"), parse("b: 1\n"));

        assertThat(parsed.take("a.yaml")).contains(second);
        assertThat(parsed.take("b.yaml")).as("the replaced file's bytes no longer count").isPresent();
    }

    @Test
    void noneKeepsNothing() {
        ParsedFiles.none().keep("a.yaml", bytes("a: 1\n"), parse("a: 1\n"));

        assertThat(ParsedFiles.none().take("a.yaml")).isEmpty();
    }
}
