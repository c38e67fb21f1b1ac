package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.stagegate.report.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class LocatedYamlReaderTest {

    private final LocatedYamlReader reader = new LocatedYamlReader();

    @Test
    void locatesEveryKeyAndItem() throws Exception {
        YamlDocument document = single("""
                # a comment first
                app:
                  name: web
                  ports:
                    - 80
                    - {name: https, port: 443}
                """);

        assertThat(document.positions()).containsOnly(
                entry("", new SourcePosition(2, 1)),
                entry("/app", new SourcePosition(2, 1)),
                entry("/app/name", new SourcePosition(3, 3)),
                entry("/app/ports", new SourcePosition(4, 3)),
                entry("/app/ports/0", new SourcePosition(5, 7)),
                entry("/app/ports/1", new SourcePosition(6, 7)),
                entry("/app/ports/1/name", new SourcePosition(6, 8)),
                entry("/app/ports/1/port", new SourcePosition(6, 21)));
        JSONObject expected = new JSONObject(
                "{\"app\": {\"name\": \"web\", \"ports\": [80, {\"name\": \"https\", \"port\": 443}]}}");
        assertThat(((JSONObject) document.root()).similar(expected)).isTrue();
    }

    @Test
    void readsValuesAloneWhenOnlyTheyAreWanted() throws Exception {
        byte[] simple = "app:\n  name: web\n  ports: [80, 443]\n---\nb: 2\n".getBytes(StandardCharsets.UTF_8);
        byte[] aliased = "base: &b {port: 80}\napp: *b\n".getBytes(StandardCharsets.UTF_8);

        List<YamlDocument> values = reader.readValues(simple, "values.yaml");

        assertThat(YamlDocuments.describeValues(values))
                .isEqualTo(YamlDocuments.describeValues(reader.read(simple, "values.yaml")));
        assertThat(values).allSatisfy(document -> assertThat(document.positions()).isEmpty());
        assertThat(values.get(0).positionOf("/app/name")).isEqualTo(SourcePosition.START);
        // what the fast path leaves to the full reader keeps its positions, and its limits
        assertThat(reader.readValues(aliased, "values.yaml").get(0).positions()).isNotEmpty();
        assertThatThrownBy(() -> new LocatedYamlReader(new YamlLimits(4, 1_000, 10_000)).readValues(simple,
                "values.yaml")).isInstanceOf(YamlReadException.class);
    }

    @Test
    void escapesKeysInPointersAsRfc6901Says() throws Exception {
        YamlDocument document = single("""
                "a/b": 1
                "c~d": {e: 2}
                """);

        assertThat(document.positionOf("/a~1b")).isEqualTo(new SourcePosition(1, 1));
        assertThat(document.positionOf("/c~0d/e")).isEqualTo(new SourcePosition(2, 9));
    }

    @Test
    void answersUnlocatedPointersWithTheNearestLocatedAncestor() throws Exception {
        YamlDocument document = single("""
                base: &base [1, 2]
                copy: *base
                """);

        assertThat(document.positionOf("/copy/1")).isEqualTo(new SourcePosition(2, 7));
        assertThat(document.positionOf("#/base/1")).isEqualTo(new SourcePosition(1, 17));
        assertThat(document.positionOf("/missing/deeper")).isEqualTo(new SourcePosition(1, 1));
    }

    @Test
    void expandsAliasesOfMappingsSequencesAndScalars() throws Exception {
        YamlDocument document = single("""
                defaults: &defaults {replicas: 2}
                tags: &tags [web, public]
                version: &version 1.25.3
                port: &port 80
                production:
                  settings: *defaults
                  tags: *tags
                  version: *version
                  ports: [*port, 443]
                """);

        JSONObject production = ((JSONObject) document.root()).getJSONObject("production");
        assertThat(production.getJSONObject("settings").getInt("replicas")).isEqualTo(2);
        assertThat(production.getJSONArray("tags").toList()).containsExactly("web", "public");
        assertThat(production.getString("version")).isEqualTo("1.25.3");
        assertThat(production.getJSONArray("ports").toList()).containsExactly(80, 443);
        assertThat(document.positionOf("/production/version")).isEqualTo(new SourcePosition(8, 12));
    }

    @Test
    void readsAnchorsBesideTags() throws Exception {
        YamlDocument document = single("""
                a: !!str &a 5
                b: &b !!str 6
                both: [*a, *b]
                """);

        assertThat(((JSONObject) document.root()).getJSONArray("both").toList()).containsExactly("5", "6");
    }

    @Test
    void mergesMappingsWithMergeKeysWhereExplicitKeysWin() throws Exception {
        YamlDocument document = single("""
                base: &base {image: nginx, replicas: 1}
                extra: &extra {replicas: 5, debug: true}
                one:
                  <<: *base
                  replicas: 3
                several:
                  replicas: 4
                  <<: [*extra, *base]
                """);

        JSONObject root = (JSONObject) document.root();
        assertThat(root.getJSONObject("one").toMap())
                .containsOnly(entry("image", "nginx"), entry("replicas", 3));
        assertThat(root.getJSONObject("several").toMap())
                .containsOnly(entry("image", "nginx"), entry("replicas", 4), entry("debug", true));
        assertThat(document.positionOf("/one/image")).isEqualTo(new SourcePosition(4, 3));
        assertThat(document.positionOf("/one/replicas")).isEqualTo(new SourcePosition(5, 3));
        assertThat(document.positions()).doesNotContainKey("/one/<<");
    }

    @Test
    void takesMergedKeysFromTheFirstMappingThatHasThem() throws Exception {
        YamlDocument document = single("""
                a: &a {x: from-a}
                b: &b {x: from-b, y: from-b}
                c:
                  <<: [*a, *b]
                """);

        assertThat(((JSONObject) document.root()).getJSONObject("c").toMap())
                .containsOnly(entry("x", "from-a"), entry("y", "from-b"));
    }

    @Test
    void rejectsAMergeOfSomethingOtherThanMappings() {
        assertFailsAt("a:\n  <<: [1, 2]\n", 2, 3, "a << merge key needs a mapping or a list of mappings");
    }

    @Test
    void rejectsADuplicateKeyAtTheSecondOne() {
        assertFailsAt("""
                app:
                  name: web
                  replicas: 2
                  name: api
                """, 4, 3, "duplicate key 'name' (first defined at line 2, column 3)");
    }

    /** Found by the fuzzer: the message is one line even when the key holds a line break. */
    @Test
    void namesADuplicateKeyWithALineBreakOnOneLine() {
        assertFailsAt("\"a\\nb\": 1\n\"a\\nb\": 2\n", 2, 1,
                "duplicate key 'a\\nb' (first defined at line 1, column 1)");
    }

    @Test
    void rejectsATwiceWrittenMergeKey() {
        assertFailsAt("""
                a: &a {x: 1}
                b:
                  <<: *a
                  <<: *a
                """, 4, 3, "duplicate key '<<' (first defined at line 3, column 3)");
    }

    @Test
    void readsEveryDocumentOfAStreamAndSkipsEmptyOnes() throws Exception {
        List<YamlDocument> documents = read("""
                ---
                kind: ConfigMap
                ---
                ---
                # only a comment
                ---
                kind: Secret
                ---
                """);

        assertThat(documents).extracting(document -> document.root().toString())
                .containsExactly("{\"kind\":\"ConfigMap\"}", "{\"kind\":\"Secret\"}");
        assertThat(documents.get(1).positionOf("/kind")).isEqualTo(new SourcePosition(7, 1));
    }

    @Test
    void keepsADocumentThatIsAnExplicitEmptyString() throws Exception {
        assertThat(read("--- ''\n")).extracting(YamlDocument::root).containsExactly("");
    }

    @Test
    void readsNoDocumentFromAnEmptyFile() throws Exception {
        assertThat(read("")).isEmpty();
        assertThat(read("# nothing but a comment\n")).isEmpty();
    }

    @Test
    void keepsAnchorsWithinTheirDocument() {
        assertFailsAt("a: &x 1\n---\nb: *x\n", 3, 4, "alias *x refers to no anchor defined before it");
    }

    @Test
    void rejectsAnAliasToAnUndefinedAnchor() {
        assertFailsAt("name: web\nport: *http\n", 2, 7, "alias *http refers to no anchor defined before it");
    }

    @Test
    void readsJsonWithPositions() throws Exception {
        YamlDocument document = reader.read(bytes("{\n  \"name\": \"web\",\n  \"ports\": [80, 443]\n}\n"),
                "values.json").get(0);

        assertThat(document.positionOf("/name")).isEqualTo(new SourcePosition(2, 3));
        assertThat(document.positionOf("/ports/1")).isEqualTo(new SourcePosition(3, 17));
        assertThat(((JSONObject) document.root()).getJSONArray("ports")).isInstanceOf(JSONArray.class);
    }

    @Test
    void rejectsADuplicateKeyInJson() {
        assertThatThrownBy(() -> reader.read(bytes("{\"a\": 1,\n \"a\": 2}"), "values.json"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e).hasMessage("duplicate key 'a' (first defined at line 1, column 2)");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 2));
                });
    }

    @Test
    void rejectsJsonWithMoreThanOneTopLevelValue() {
        assertThatThrownBy(() -> reader.read(bytes("{\"a\": 1}\n{\"b\": 2}"), "values.json"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e).hasMessage("not valid JSON: more than one top-level value");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 1));
                });
    }

    @Test
    void describesMalformedJsonOnOneLine() {
        assertThatThrownBy(() -> reader.read(bytes("{\n  \"a\": }\n"), "values.json"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e.getMessage()).startsWith("not valid JSON: Unexpected character ('}'")
                            .doesNotContain("\n");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 8));
                });
    }

    @Test
    void stopsAnAliasBombQuickly() {
        StringBuilder laughs = new StringBuilder("lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            laughs.append("lol").append(i).append(": &lol").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*lol" + (i - 1)))).append("]\n");
        }

        assertThatThrownBy(() -> read(laughs.toString()))
                .isInstanceOf(YamlReadException.class)
                .hasMessage("aliases and merge keys expand to more than 10000 nodes (an alias bomb?)");
    }

    @Test
    void countsMergedNodesAgainstTheAliasLimit() {
        LocatedYamlReader strict = new LocatedYamlReader(new YamlLimits(1024, 10, 3));
        String yaml = "a: &a {w: 1, x: 2, y: 3, z: 4}\nb:\n  <<: *a\n";

        assertThatThrownBy(() -> strict.read(bytes(yaml), "values.yaml"))
                .isInstanceOf(YamlReadException.class)
                .hasMessage("aliases and merge keys expand to more than 3 nodes (an alias bomb?)");
    }

    @Test
    void rejectsTenThousandLevelsOfFlowNesting() {
        assertFailsAt("a: " + "[".repeat(10_000) + "]".repeat(10_000), 1, 1003, "nested more than 1000 levels deep");
        assertFailsAt("{a: ".repeat(10_000) + "1" + "}".repeat(10_000), 1, 4001, "nested more than 1000 levels deep");
    }

    @Test
    void rejectsTenThousandLevelsOfBlockNesting() {
        // "- - - x" nests block sequences on one line, so the file stays small.
        assertFailsAt("- ".repeat(10_000) + "x\n", 1, 2001, "nested more than 1000 levels deep");
    }

    @Test
    void rejectsDeeplyNestedBlockMappings() {
        StringBuilder yaml = new StringBuilder();
        for (int depth = 0; depth < 1_500; depth++) {
            yaml.append(" ".repeat(depth)).append("a:\n");
        }

        assertFailsAt(yaml.toString(), 1001, 1001, "nested more than 1000 levels deep");
    }

    @Test
    void acceptsNestingUpToTheLimit() throws Exception {
        LocatedYamlReader shallow = new LocatedYamlReader(new YamlLimits(1024, 3, 0));

        assertThat(shallow.read(bytes("a: {b: [1]}"), "values.yaml")).hasSize(1);
        assertThatThrownBy(() -> shallow.read(bytes("a: {b: [[1]]}"), "values.yaml"))
                .hasMessage("nested more than 3 levels deep");
    }

    @Test
    void rejectsAFileOverTheSizeLimitBeforeParsingIt() {
        byte[] large = new byte[10 * 1024 * 1024 + 1];

        assertThatThrownBy(() -> reader.read(large, "values.yaml"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e).hasMessage("file is 10485761 bytes, more than the limit of 10485760 bytes");
                    assertThat(e.position()).isEqualTo(SourcePosition.START);
                });
    }

    @Test
    void rejectsInvalidUtf8AtTheFirstBadByte() {
        // a valid two-byte ü first, so the column counts characters, not bytes
        byte[] valid = bytes("name: web\ncity: Z\u00fcrich ");
        byte[] content = Arrays.copyOf(valid, valid.length + 2);
        content[valid.length] = (byte) 0xff;
        content[valid.length + 1] = '\n';

        assertThatThrownBy(() -> reader.read(content, "values.yaml"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e).hasMessage("not valid UTF-8");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 14));
                });
    }

    @Test
    void rejectsABinaryFileAtItsFirstNulByte() {
        assertFailsAt("name: web\nlogo: \u0000\u0001\u0002\n", 2, 7,
                "binary file (contains NUL bytes), not YAML or JSON");
    }

    @Test
    void describesMalformedYamlOnOneLineWithThePositionOfTheProblem() {
        assertFailsAt("name: web: api\n", 1, 10, "not valid YAML: mapping values are not allowed here");
        assertThatThrownBy(() -> read("ports: [80, 443\nname: web\n"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e.getMessage()).startsWith("not valid YAML: while parsing a flow sequence")
                            .doesNotContain("\n");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 5));
                });
    }

    @Test
    void rejectsTabsUsedForIndentation() {
        assertThatThrownBy(() -> read("app:\n\tname: web\n"))
                .isInstanceOfSatisfying(YamlReadException.class, e -> {
                    assertThat(e.getMessage()).startsWith("not valid YAML: ").contains("TAB").doesNotContain("\n");
                    assertThat(e.position()).isEqualTo(new SourcePosition(2, 1));
                });
    }

    @Test
    void readsYamlInfinityAndNanAsText() throws Exception {
        JSONObject root = (JSONObject) single("min: -.inf\nmax: .Inf\nunset: .nan\n").root();

        assertThat(root.toMap()).containsOnly(entry("min", "-.inf"), entry("max", ".Inf"), entry("unset", ".nan"));
    }

    @Test
    void skipsAByteOrderMark() throws Exception {
        assertThat(single("\uFEFFname: web\n").root().toString()).isEqualTo("{\"name\":\"web\"}");
    }

    private YamlDocument single(String yaml) throws YamlReadException {
        List<YamlDocument> documents = read(yaml);
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    private List<YamlDocument> read(String yaml) throws YamlReadException {
        return reader.read(bytes(yaml), "values.yaml");
    }

    private void assertFailsAt(String yaml, int line, int column, String message) {
        ThrowingCallable reading = () -> read(yaml);
        assertThatThrownBy(reading).isInstanceOfSatisfying(YamlReadException.class, e -> {
            assertThat(e).hasMessage(message);
            assertThat(e.position()).isEqualTo(new SourcePosition(line, column));
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
