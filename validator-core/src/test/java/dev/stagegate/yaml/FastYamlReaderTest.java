package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path must read every file it accepts exactly as SnakeYAML through Jackson does (the
 * same documents and values, of the same Java types, at the same positions), must accept the
 * styles it claims (the differential cases assert it took them), and must leave everything
 * else to the full reader.
 */
class FastYamlReaderTest {

    private static final LocatedYamlReader FULL = new LocatedYamlReader();

    static Stream<String> simpleDocuments() {
        return Stream.of(
                "",
                "# only a comment\n\n   # and another\n",
                "a: 1\n",
                "a: 1",
                "# yaml-language-server: $schema=../schema.json\nimage:\n  repository: registry.example.com/a/b\n"
                        + "  tag: \"1.2.3\"\nreplicas: 3\n",
                "a:\n  b:\n    c: deep\n  d: x\n",
                "a:\n    b: 1\n    c: 2\nd: 3\n",
                "  indented: root\n  other: 2\n",
                "empty:\nnext: 1\n",
                "empty:   # a comment\nnext: 1\n",
                "last:",
                "list:\n  - a\n  - b\n",
                "list:\n- a\n- b\nafter: 1\n",
                "- a\n- b\n",
                "- 1\n- name: x\n  port: 80\n- 'q'\n",
                "items:\n  - name: web\n    ports:\n      - 80\n      - 443\n  - name: api\n    env:\n    - A\n",
                "items:\n  -\n    name: on-next-line\n  -   spaced: item\n",
                "items:\n  -\n    - nested\n    - sequence\n",
                "- a: 1\n  b:\n- c\n",
                "- key:\n  - indentless\n  other: 1\n",
                "quoted: \"with: colon # and hash\"\nsingle: 'it''s'\nempty: ''\nempty2: \"\"\n",
                "\"quoted key\": 1\n'single key': 2\n\"a/b\": 3\n\"c~d\": 4\n",
                "url: http://example.com:8080/path?q=1#frag\nhash: a#b\ncolon: a:b\n",
                "comment: value # trailing\nspaces: value    \n",
                "ints: 1\nzero: 0\nneg: -42\nbig: 123456789\n",
                "f: 1.5\ng: -0.25\nh: 10.0\n",
                "t: true\nf: false\nT: True\nF: FALSE\n",
                "n1: null\nn2: ~\nn3: Null\nn4: NULL\n",
                "ts: 2001-12-14\nver: 1.2.3\ncpu: 400m\nmem: 1Gi\nneg: -foo\ndot: .hidden\n",
                "k8s.io/name: x\napp_name-1: y\n1: one\ntrue: yes-key\nnull: nk\n",
                "quote-inside: it's \"fine\"\nbackslash: a\\b\n",
                "a: 1\n# comment between\n  # indented comment\nb: 2\n",
                "a:\n  b: 1\n# dedented comment\n  c: 2\n",
                "a: x\n",
                "- a\n");
    }

    /** The styles people write beyond plain block YAML, each read by the fast path too. */
    static Stream<String> documentsAsPeopleWriteThem() {
        return Stream.of(
                // flow mappings and sequences
                "resources: {limits: {cpu: 500m, memory: 256Mi}}\n",
                "args: [\"--port\", \"8080\"]\nnames: [a, b]\nplain: [--port, -1, -x, -.5x]\n",
                "args:\n  - --port\n  - -v\n  - ---\n",
                "empty: {}\nnone: []\nspaced: { }\nalso: [ ]\n",
                "trailing: [a, b, ]\nmap: {a: 1, b: 2,}\n",
                "nested: [1, [2, [3, {b: [4, {}]}]], {c: d}]\n",
                "key: {a: 1}  # comment\nnext: [x]   # another\n",
                "- {name: web, port: 80}\n- [1, 2]\n- key: {a: b}\n",
                "{a: 1, b: [x, y]}\n",
                "[a, {b: c}]\n",
                "typed: [1, -2, 1.5, true, False, null, ~, x, 400m, 2024-01-01, \"1\", '2']\n",
                "spaces: [ a b , c  d ,e]\nhash: [a#b, c]\nquote: [it's, a\"b]\n",
                "keys: {\"quoted key\": 1, 'single': 2, a/b: 3, \"c~d\": 4, k8s.io/x: 5, 1: one}\n",
                // flow collections over several lines, with comments
                "args: [\n  \"--port\", \"8080\",\n  # a comment line\n  \"--verbose\" # after an item\n]\nafter: 1\n",
                "resources: {\n  limits: {cpu: 1, memory: 1Gi},\n  requests: {cpu: 100m}\n}\n",
                "a:\n  b: [\n1,\n  ]\n  c: 2\n",
                "- [\n  x,\n  y]\n- z\n",
                // quoted scalars with escapes
                "a: \"a\\tb\"\nb: \"line\\nbreak\"\nc: \"\\u00e9t\\u00E9\"\nd: \"say \\\"hi\\\"\"\ne: \"back\\\\slash\"\n",
                "x: \"\\x41\\0\\a\\b\\v\\f\\r\\e\\ \\N\\_\\L\\P\\U0001F600\"\n",
                "s: 'it''s'\nt: '''quoted'''\nu: 'no \\escape'\n",
                "\"k\\\"ey\": 1\n'it''s': 2\n",
                "q: \"a # not a comment\"  # a comment\n",
                // block scalars
                "script: |\n  echo one\n    indented\n\n  echo two\nafter: 1\n",
                "text: >\n  folded\n  lines\n\n  paragraph\n    kept\n  end\n",
                "strip: |-\n  x\n\nkeep: |+\n  y\n\nclip: |\n  z\n\n\nlast: 1\n",
                "folded-strip: >-\n  a\n  b\nfolded-keep: >+\n  c\n\n",
                "keep-at-end: |+\n  x\n\n\n",
                "strip-at-end: |-\n  x\n\n",
                "clip-at-end-without-newline: |\n  x",
                "keep-without-newline: |+\n  x\n   ",
                "blank-first: |\n\n  after a blank line\n",
                "spaces-line: |\n  x\n     \n  y\n",
                "commented: |  # why\n  # not a comment\n  a: b\n# a comment\nnext: 1\n",
                "- |\n  item\n- >-\n  folded item\n",
                "items:\n  - name: a\n    script: |\n      echo 1\n      echo 2\n    after: 1\n",
                "indentless:\n- |\n  x\n- y\n",
                // several documents
                "---\na: 1\n---\nb: 2\n",
                "a: 1\n---\nb: 2\n",
                "# leading comment\n--- # a comment on the marker\na: 1\n# between\n---\n# only a comment\n---\n\n---\n- b\n",
                "---\n",
                "--- \na: 1\n---   \n",
                "---\nnull\n---\n\"\"\n---\n''\n---\nplain words\n---\n42\n",
                "---\n{a: 1}\n---\n[1, 2]\n",
                "a:\n---\nb: |+\n  kept\n\n---\nc: 1\n",
                // UTF-8 in values, quoted keys and comments
                "name: caf\u00e9 # na\u00efve comment\ntext: \"\u65e5\u672c\u8a9e\"\n\"cl\u00e9\": '\u00e9t\u00e9'\n",
                "map: {a: \u00e9, b: 2}\nlist: [\u00e9, 1, \"\u00fc\"]\n",
                "block: |\n  \u00e9t\u00e9\n  \u65e5\u672c\n",
                "nbsp: a\u00a0b\u00a0\n");
    }

    @ParameterizedTest
    @MethodSource("documentsAsPeopleWriteThem")
    void readsYamlAsPeopleWriteItExactlyAsTheFullReader(String yaml) throws Exception {
        assertReadByFastPathAsByFullReader(yaml);
    }

    @ParameterizedTest
    @MethodSource("simpleDocuments")
    void readsSimpleYamlExactlyAsTheFullReader(String yaml) throws Exception {
        assertReadByFastPathAsByFullReader(yaml);
    }

    /** The fast path takes {@code yaml} (does not decline it) and reads it as the full reader does. */
    private static void assertReadByFastPathAsByFullReader(String yaml) throws YamlReadException {
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        List<YamlDocument> fast = FastYamlReader.read(content, YamlLimits.DEFAULTS.maxDepth());

        assertThat(fast).as("the fast path reads %s", yaml).isNotNull();
        assertThat(describe(fast)).as(yaml).isEqualTo(describe(FULL.readFully(content, "values.yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n", "--- a: 1\n", "--- {a: 1}\n", "--- |\n  x\n", "---x\n",
        "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: &x [1]\n", "a: [*x]\n", "a: {b: !t 1}\n",
        "a: multi\n  line\n", "a: \"multi\n  line\"\n", "a: 'multi\n  line'\n", "a: \"escaped \\\n  break\"\n",
        "a:\ttab\n", "a: \"lit\teral tab\"\n", "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "a: \u0085\n", "a: x\u2028y\n",
        "a: \ud83d\ude00\n", "a: \u0000\n", "a: \u007f\n",
        "a: \"\\/\"\n", "a: \"\\'\"\n", "a: \"\\uD800\"\n", "a: \"\\U00110000\"\n", "a: \"\\xZZ\"\n",
        "a: 1\na: 2\n", "<<: {a: 1}\n", "a: {<<: {b: 1}}\n", "a: {\"<<\": 1}\n", "a: {b: 1, b: 2}\n",
        "a: yes\n", "a: off\n", "a: 0x1F\n", "a: 010\n", "a: 1_000\n", "a: +1\n", "a: 1e5\n", "a: .5\n", "a: .inf\n",
        "a: 1234567890\n", "a: [yes]\n", "a: [1_0]\n",
        "a: b: c\n", "a: b:\n", "- - a\n", "-\n- b\n", "a:\n  - b\n c: 1\n", "? a\n: b\n",
        "a : 1\n", "a: 'x' y\n", "a: \"x\"y\n", "a: @x\n", "a: `x`\n", "a: -\n", "a:\n  scalar-on-its-own-line\n",
        "a: 1\n  b: 2\n", "- a\n  b\n", "- a\nb: 1\n", "a: 1\n- b\n", "scalar\nover lines\n",
        // flow collections the fast path does not read
        "a: {b, c: 1}\n", "a: {b: }\n", "a: {b:1}\n", "a: {\"b\":1}\n", "a: {b:\n  1}\n", "a: [b: 1]\n", "a: [a:b]\n",
        "a: [a?b]\n", "a: [? a]\n", "a: [,]\n", "a: [a,,b]\n", "a: [a\n  b]\n", "a: [a,#c\n  b]\n", "a: [a]#c\n",
        "a: [a] b\n", "[a]: b\n", "{a: 1}: b\n", "a: [a\n", "a: [a\n---\n]\n", "a: {b: 1\n", "a: [- a]\n",
        "a: [\"x\" : 1]\n", "a: {'k' : 1}\n", "a: [\"a\"b]\n", "a: [1]\n  b: 2\n",
        // block scalars the fast path does not read
        "a: |2\n   x\n", "a: |-1\n  x\n", "a: |x\n  x\n", "a: |#c\n  x\n", "a: |\n", "a: |\nb: 1\n", "a: |\n\n",
        "a: |\n    \n  x\n", "|\n  root\n", "a: |\n  x\n   y\n z\n"})
    void leavesEverythingElseToTheFullReader(String yaml) {
        assertThat(FastYamlReader.read(yaml.getBytes(StandardCharsets.UTF_8), YamlLimits.DEFAULTS.maxDepth()))
                .as("the fast path declines %s", yaml).isNull();
    }

    /** The shortcut past SnakeYAML's resolver gives the resolver's answer. */
    /** Past a double's range the full reader keeps a decimal's text; the fast path must read it so, or decline. */
    @ParameterizedTest
    @ValueSource(strings = {"1%s.5", "-1%s.5", "0.%s1"})
    void readsDecimalsBeyondADoublesRangeOrPrecisionAsTheFullReader(String pattern) throws YamlReadException {
        byte[] content = ("replicas: " + pattern.formatted("0".repeat(400)) + "\n").getBytes(StandardCharsets.UTF_8);

        List<YamlDocument> fast = FastYamlReader.read(content, YamlLimits.DEFAULTS.maxDepth());
        List<YamlDocument> full = new LocatedYamlReader().readFully(content, "values.yaml");

        if (fast != null) {
            assertThat(YamlDocuments.describe(fast)).isEqualTo(YamlDocuments.describe(full));
        }
    }

    @Test
    void typesScalarsAsSnakeYamlsResolver() {
        org.yaml.snakeyaml.resolver.Resolver resolver = new org.yaml.snakeyaml.resolver.Resolver();
        List<String> values = new ArrayList<>(List.of("0", "7", "-3", "-0", "+1", "123456789", "1234567890", "1.5",
                "-0.25", "01.5", "1.", ".5", "1e3", "1E-3", "0x1F", "0b101", "0o17", "017", "1_000", "1:30", "1:30.5",
                ".inf", "-.Inf", ".NaN", "2024-01-01", "2024-1-1T10:00:00Z", "2024-01-01 10:00:00 +02:00", "400m",
                "256Mi", "1Gi", "1.2.3", "v1", "true", "True", "TRUE", "tRUE", "yes", "No", "on", "OFF", "null", "Null",
                "~", "<<", "=", "nginx", "offline", "yesterday-and-more", "-foo", "registry.example.com/a",
                "0." + "1".repeat(1022), "0." + "1".repeat(1023), "12".repeat(600), "-" + "9".repeat(1100) + ".5"));
        Random random = new Random(7);
        String alphabet = "0123456789+-_.:xXabeEfinINFtTZmoO ~";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (value.charAt(0) != ' ') {
                values.add(value.toString().strip());
            }
        }
        for (String value : values) {
            if (!value.isEmpty()) {
                assertThat(FastYamlReader.tagOf(value)).as(value)
                        .isEqualTo(resolver.resolve(org.yaml.snakeyaml.nodes.NodeId.scalar, value, true));
            }
        }
    }

    @Test
    void leavesDocumentsDeeperThanTheLimitToTheFullReader() {
        byte[] content = "a:\n  b:\n    c: 1\n".getBytes(StandardCharsets.UTF_8);

        assertThat(FastYamlReader.read(content, 2)).isNull();
        assertThat(FastYamlReader.read(content, 3)).isNotNull();
    }

    @Test
    void readsTheRepositoryExamplesAsTheFullReader() throws IOException {
        List<Path> files = yamlFiles(Path.of("..", "examples"));
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertSameAsFullReader(Files.readAllBytes(file), file.toString());
        }
    }

    /** Every YAML fixture of the engine's tests (policies, manifests, CRDs, broken files) that the fast path takes. */
    @Test
    void readsTheTestFixturesAsTheFullReader() throws IOException {
        List<Path> files = yamlFiles(Path.of("src", "test", "resources"));
        int read = 0;
        for (Path file : files) {
            if (assertSameAsFullReader(Files.readAllBytes(file), file.toString())) {
                read++;
            }
        }
        assertThat(read).as("fixtures the fast path read, of %d", files.size()).isPositive();
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    /**
     * Random documents built from the pieces values files and manifests are made of, then
     * randomly broken: whatever the fast path accepts, the full reader reads the same way.
     */
    @Test
    void agreesWithTheFullReaderOnRandomDocuments() {
        Random random = new Random(20261127);
        int accepted = 0;
        int acceptedWithNewerStyles = 0;
        for (int i = 0; i < 40_000; i++) {
            String yaml = randomFile(random);
            if (i % 2 == 1) {
                yaml = mutate(yaml, random);
            }
            if (assertSameAsFullReader(yaml.getBytes(StandardCharsets.UTF_8), "values.yaml")) {
                accepted++;
                if (yaml.contains("[") || yaml.contains("{") || yaml.contains("|") || yaml.contains(">")
                        || yaml.contains("---") || yaml.contains("\\") || !StandardCharsets.US_ASCII.newEncoder()
                        .canEncode(yaml)) {
                    acceptedWithNewerStyles++;
                }
            }
        }
        assertThat(accepted).as("documents the fast path read").isGreaterThan(8000);
        assertThat(acceptedWithNewerStyles).as("documents with flow, block scalars, escapes, --- or UTF-8")
                .isGreaterThan(4000);
    }

    private static boolean assertSameAsFullReader(byte[] content, String name) {
        List<YamlDocument> fast = FastYamlReader.read(content, YamlLimits.DEFAULTS.maxDepth());
        List<YamlDocument> values = FastYamlReader.readValues(content, YamlLimits.DEFAULTS.maxDepth());
        if (fast == null) {
            assertThat(values).as("read without positions:\n%s", name).isNull();
            return false;
        }
        // without positions: the same values, no position at all
        assertThat(values).as(name).isNotNull();
        assertThat(YamlDocuments.describeValues(values)).as(name).isEqualTo(YamlDocuments.describeValues(fast));
        assertThat(values).as(name).allSatisfy(document -> assertThat(document.positions()).isEmpty());
        String text = new String(content, StandardCharsets.UTF_8);
        List<YamlDocument> full;
        try {
            full = FULL.readFully(content, "values.yaml");
        } catch (YamlReadException e) {
            throw new AssertionError("the fast path read " + name + " but the full reader rejects it ("
                    + e.getMessage() + " at " + e.position() + "):\n" + text, e);
        }
        assertThat(describe(fast)).as("%s:\n%s", name, text).isEqualTo(describe(full));
        return true;
    }

    private static final String[] KEYS = {"a", "image", "tag", "app.kubernetes.io/name", "x_1", "8080", "true",
        "\"quoted\"", "'single'", "null", "on", "\"cl\u00e9\"", "'\u65e5\u672c'", "\"t\\tab\"", "\"a b\""};
    private static final String[] SCALARS = {"web", "1", "0", "-3", "42", "1.5", "-0.5", "true", "False", "null", "~",
        "\"1.2\"", "'it''s'", "\"\"", "''", "2024-01-01", "400m", "http://x:80/y", "a#b", "a b  ", "v # note", "a:b",
        "-x", "<<", "=", "registry.example.com/team/app", "\"with: colon\"", "'#not a comment'", "256Mi", "1Gi",
        "1:30", "2024-01-01T10:00:00Z", "0.0", "infinity", "Nope", "nullable", "<<x", "caf\u00e9", "\u00e9t\u00e9 x",
        "\"\\u00e9t\\u00E9\"", "\"a\\tb\\nc\"", "\"say \\\"hi\\\"\"", "\"\\\\\"", "'\u65e5\u672c\u8a9e'", "a\u00a0b",
        "\"\\x41\\U0001F600\""};
    private static final String[] ODD_SCALARS = {"yes", "off", "07", "1_0", "0x10", "1e3", ".5", "+2", "-", "[1]",
        "{}", "&a x", "*a", "!t x", "|", "12345678901", "#c", "", ".inf", "@x", "\"esc\\n\"", "a: b", "\"\\/\"",
        "\"\\x4\"", "\"\\uD800\"", "\u00e9: x", "--- x", "[a]: b", "|2", ">x"};
    private static final String[] FLOW_SCALARS = {"a", "1", "-2", "1.5", "true", "null", "~", "x y", "\"q\"", "'s'",
        "\"a, b\"", "400m", "caf\u00e9", "a#b", "\"\\u00e9\"", "''", "\"\"", "it's", "--port", "\"8080\"", "256Mi",
        "registry.example.com/app", "\"[x]\""};
    private static final String[] ODD_FLOW_SCALARS = {"a:b", "a?b", "", "-", "*a", "&a b", "!t x", "yes", "a b:",
        "? x", "a\n  b", "[", "}", ":x", "a #c", "#c", "x,", "\"a\":1", "0x1"};

    /** One to three documents, separated by --- lines as manifests are (sometimes empty). */
    private static String randomFile(Random random) {
        StringBuilder out = new StringBuilder();
        int documents = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1;
        for (int d = 0; d < documents; d++) {
            if (d > 0 || random.nextInt(6) == 0) {
                out.append(switch (random.nextInt(4)) {
                    case 0 -> "--- # next\n";
                    case 1 -> "---\n\n";
                    default -> "---\n";
                });
            }
            switch (random.nextInt(12)) {
                case 0 -> out.append(random.nextBoolean() ? "" : "# nothing here\n");
                case 1 -> out.append(scalar(random)).append('\n');
                case 2 -> {
                    flow(out, random, 0, random.nextBoolean(), 0);
                    out.append('\n');
                }
                default -> out.append(randomDocument(random));
            }
        }
        return out.toString();
    }

    private static String randomDocument(Random random) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(4) == 0) {
            out.append("# yaml-language-server: $schema=x.json\n");
        }
        block(out, random, random.nextInt(3) == 0 ? 2 : 0, 0, random.nextInt(5) == 0);
        return out.toString();
    }

    private static void block(StringBuilder out, Random random, int indent, int depth, boolean sequence) {
        int entries = 1 + random.nextInt(4);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < entries; i++) {
            String pad = " ".repeat(indent);
            if (random.nextInt(10) == 0) {
                out.append(random.nextBoolean() ? "\n" : pad + "# comment \u00e9\n");
            }
            out.append(pad);
            if (sequence) {
                out.append("-").append(" ".repeat(1 + random.nextInt(2)));
                int choice = random.nextInt(6);
                if (choice == 0 && depth < 4) {
                    // a compact mapping: its keys line up after the dash
                    int column = out.length() - out.lastIndexOf("\n") - 1;
                    StringBuilder inner = new StringBuilder();
                    block(inner, random, column, depth + 1, false);
                    out.append(inner.substring(column));
                } else if (choice == 1 && depth < 4) {
                    out.setLength(out.length() - 1);
                    out.append('\n');
                    block(out, random, indent + 2, depth + 1, random.nextBoolean());
                } else if (choice == 2 && depth < 4) {
                    flow(out, random, depth + 1, random.nextInt(3) == 0, indent);
                    out.append(random.nextInt(4) == 0 ? "  # c\n" : "\n");
                } else if (choice == 3) {
                    blockScalar(out, random, indent);
                } else {
                    out.append(scalar(random)).append('\n');
                }
            } else {
                String key = KEYS[random.nextInt(KEYS.length)];
                if (!keys.add(key) && random.nextInt(10) != 0) {
                    key = "k" + keys.size() + "x" + i; // mostly distinct keys; now and then a duplicate
                }
                out.append(key).append(':');
                int choice = random.nextInt(7);
                if (choice == 0 && depth < 4) {
                    out.append(random.nextBoolean() ? "\n" : "  # c\n");
                    block(out, random, indent + 1 + random.nextInt(3), depth + 1, random.nextInt(3) == 0);
                } else if (choice == 1 && depth < 4) {
                    out.append('\n');
                    block(out, random, indent, depth + 1, true); // an indentless sequence
                } else if (choice == 2 && depth < 4) {
                    out.append(' ');
                    flow(out, random, depth + 1, random.nextInt(3) == 0, indent);
                    out.append(random.nextInt(4) == 0 ? "  # c\n" : "\n");
                } else if (choice == 3) {
                    out.append(' ');
                    blockScalar(out, random, indent);
                } else {
                    out.append(' ').append(scalar(random)).append('\n');
                }
            }
        }
    }

    private static String scalar(Random random) {
        String value = random.nextInt(5) == 0 ? ODD_SCALARS[random.nextInt(ODD_SCALARS.length)]
                : SCALARS[random.nextInt(SCALARS.length)];
        return random.nextInt(8) == 0 ? value + " # trailing comment" : value;
    }

    /** A flow mapping or sequence, on one line or spread over several with comments. */
    private static void flow(StringBuilder out, Random random, int depth, boolean lines, int indent) {
        boolean mapping = random.nextBoolean();
        out.append(mapping ? '{' : '[');
        int entries = random.nextInt(4);
        String separator = lines ? ",\n" + " ".repeat(indent + random.nextInt(4)) : ", ";
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < entries; i++) {
            if (i > 0) {
                out.append(lines && random.nextInt(4) == 0 ? ", # c\n" + " ".repeat(indent + 2) : separator);
            } else if (lines) {
                out.append('\n').append(" ".repeat(indent + 2));
            }
            if (mapping) {
                String key = KEYS[random.nextInt(KEYS.length)];
                if (!keys.add(key) && random.nextInt(10) != 0) {
                    key = "f" + i;
                }
                out.append(key).append(": ");
            }
            if (random.nextInt(4) == 0 && depth < 5) {
                flow(out, random, depth + 1, false, indent);
            } else {
                out.append(random.nextInt(8) == 0 ? ODD_FLOW_SCALARS[random.nextInt(ODD_FLOW_SCALARS.length)]
                        : FLOW_SCALARS[random.nextInt(FLOW_SCALARS.length)]);
            }
        }
        if (entries > 0 && random.nextInt(5) == 0) {
            out.append(',');
        }
        if (lines) {
            out.append('\n').append(" ".repeat(indent));
        }
        out.append(mapping ? '}' : ']');
    }

    /** A literal or folded block scalar after its key or dash at {@code parentIndent}. */
    private static void blockScalar(StringBuilder out, Random random, int parentIndent) {
        out.append(random.nextBoolean() ? '|' : '>').append(new String[] {"", "-", "+"}[random.nextInt(3)]);
        out.append(random.nextInt(5) == 0 ? "  # c\n" : "\n");
        int indent = parentIndent + 1 + random.nextInt(3);
        String pad = " ".repeat(indent);
        int contentLines = 1 + random.nextInt(4);
        for (int i = 0; i < contentLines; i++) {
            switch (random.nextInt(8)) {
                case 0 -> out.append('\n');
                case 1 -> out.append(" ".repeat(random.nextInt(indent + 3))).append('\n');
                default -> { }
            }
            out.append(pad).append(random.nextInt(4) == 0 ? "  " : "")
                    .append(new String[] {"echo \u00e9t\u00e9", "# not a comment", "a: b", "text  ", "x"}[
                            random.nextInt(5)]).append('\n');
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            out.append(random.nextBoolean() ? "\n" : " ".repeat(random.nextInt(indent + 1)) + "\n");
        }
    }

    private static String mutate(String yaml, Random random) {
        StringBuilder out = new StringBuilder(yaml);
        String alphabet = " \n-:#'\"a1.\t&*[]{}|>!?,%@`~\\+u\u00e9\u2028";
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes && out.length() > 0; i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> out.deleteCharAt(at);
                default -> out.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return out.toString();
    }

    private static String describe(List<YamlDocument> documents) {
        return YamlDocuments.describe(documents);
    }
}
