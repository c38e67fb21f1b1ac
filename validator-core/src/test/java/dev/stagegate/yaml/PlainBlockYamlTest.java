package dev.stagegate.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The fast path for simple YAML must read every file it accepts exactly as SnakeYAML through
 * Jackson does (the same values, of the same Java types, at the same positions) and leave
 * everything else to the full reader.
 */
class PlainBlockYamlTest {

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

    @ParameterizedTest
    @MethodSource("simpleDocuments")
    void readsSimpleYamlExactlyAsTheFullReader(String yaml) throws Exception {
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        List<YamlDocument> fast = PlainBlockYaml.read(content, YamlLimits.DEFAULTS.maxDepth());

        assertThat(fast).as("the fast path reads %s", yaml).isNotNull();
        assertThat(describe(fast)).isEqualTo(describe(FULL.readFully(content, "values.yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n",
        "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: [1, 2]\n", "a: {b: 1}\n", "a: |\n  text\n", "a: >\n  text\n",
        "a: multi\n  line\n", "a: \"multi\n  line\"\n", "a: \"esc\\n\"\n", "a:\ttab\n", "a: 1\r\nb: 2\r\n",
        "a: caf\u00e9\n", "\ufeffa: 1\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: yes\n", "a: off\n", "a: 0x1F\n",
        "a: 010\n", "a: 1_000\n", "a: +1\n", "a: 1e5\n", "a: .5\n", "a: .inf\n", "a: 1234567890\n",
        "a: b: c\n", "a: b:\n", "scalar\n", "- - a\n", "-\n- b\n", "a:\n  - b\n c: 1\n", "? a\n: b\n",
        "a : 1\n", "a: 'x' y\n", "a: \"x\"y\n", "a: @x\n", "a: `x`\n", "a: -\n", "a:\n  scalar-on-its-own-line\n",
        "a: 1\n  b: 2\n", "- a\n  b\n", "- a\nb: 1\n", "a: 1\n- b\n", "a: \u0000\n"})
    void leavesEverythingElseToTheFullReader(String yaml) {
        assertThat(PlainBlockYaml.read(yaml.getBytes(StandardCharsets.UTF_8), YamlLimits.DEFAULTS.maxDepth()))
                .as("the fast path declines %s", yaml).isNull();
    }

    /** The shortcut past SnakeYAML's resolver gives the resolver's answer. */
    @Test
    void typesScalarsAsSnakeYamlsResolver() {
        org.yaml.snakeyaml.resolver.Resolver resolver = new org.yaml.snakeyaml.resolver.Resolver();
        List<String> values = new ArrayList<>(List.of("0", "7", "-3", "-0", "+1", "123456789", "1234567890", "1.5",
                "-0.25", "01.5", "1.", ".5", "1e3", "1E-3", "0x1F", "0b101", "0o17", "017", "1_000", "1:30", "1:30.5",
                ".inf", "-.Inf", ".NaN", "2024-01-01", "2024-1-1T10:00:00Z", "2024-01-01 10:00:00 +02:00", "400m",
                "256Mi", "1Gi", "1.2.3", "v1", "true", "True", "TRUE", "tRUE", "yes", "No", "on", "OFF", "null", "Null",
                "~", "<<", "=", "nginx", "offline", "yesterday-and-more", "-foo", "registry.example.com/a"));
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
                assertThat(PlainBlockYaml.tagOf(value)).as(value)
                        .isEqualTo(resolver.resolve(org.yaml.snakeyaml.nodes.NodeId.scalar, value, true));
            }
        }
    }

    @Test
    void leavesDocumentsDeeperThanTheLimitToTheFullReader() {
        byte[] content = "a:\n  b:\n    c: 1\n".getBytes(StandardCharsets.UTF_8);

        assertThat(PlainBlockYaml.read(content, 2)).isNull();
        assertThat(PlainBlockYaml.read(content, 3)).isNotNull();
    }

    @Test
    void readsTheRepositoryExamplesAsTheFullReader() throws IOException {
        Path examples = Path.of("..", "examples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(examples)) {
            files = walk.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertSameAsFullReader(Files.readAllBytes(file), file.toString());
        }
    }

    /**
     * Random documents built from the pieces values files are made of, then randomly broken:
     * whatever the fast path accepts, the full reader reads the same way.
     */
    @Test
    void agreesWithTheFullReaderOnRandomDocuments() {
        Random random = new Random(20261127);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String yaml = randomDocument(random);
            if (i % 2 == 1) {
                yaml = mutate(yaml, random);
            }
            if (assertSameAsFullReader(yaml.getBytes(StandardCharsets.UTF_8), "values.yaml")) {
                accepted++;
            }
        }
        assertThat(accepted).as("documents the fast path read").isGreaterThan(4000);
    }

    private static boolean assertSameAsFullReader(byte[] content, String name) {
        List<YamlDocument> fast = PlainBlockYaml.read(content, YamlLimits.DEFAULTS.maxDepth());
        if (fast == null) {
            return false;
        }
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
        "\"quoted\"", "'single'", "null", "on"};
    private static final String[] SCALARS = {"web", "1", "0", "-3", "42", "1.5", "-0.5", "true", "False", "null", "~",
        "\"1.2\"", "'it''s'", "\"\"", "''", "2024-01-01", "400m", "http://x:80/y", "a#b", "a b  ", "v # note", "a:b",
        "-x", "<<", "=", "registry.example.com/team/app", "\"with: colon\"", "'#not a comment'", "256Mi", "1Gi",
        "1:30", "2024-01-01T10:00:00Z", "0.0", "infinity", "Nope", "nullable", "<<x"};
    private static final String[] ODD_SCALARS = {"yes", "off", "07", "1_0", "0x10", "1e3", ".5", "+2", "-", "[1]",
        "{}", "&a x", "*a", "!t x", "|", "12345678901", "#c", "", ".inf", "@x", "\"esc\\n\"", "a: b"};

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
                out.append(random.nextBoolean() ? "\n" : pad + "# comment\n");
            }
            out.append(pad);
            if (sequence) {
                out.append("-").append(" ".repeat(1 + random.nextInt(2)));
                int choice = random.nextInt(4);
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
                } else {
                    out.append(scalar(random)).append('\n');
                }
            } else {
                String key = KEYS[random.nextInt(KEYS.length)];
                if (!keys.add(key) && random.nextInt(10) != 0) {
                    key = "k" + keys.size() + "x" + i; // mostly distinct keys; now and then a duplicate
                }
                out.append(key).append(':');
                int choice = random.nextInt(5);
                if (choice == 0 && depth < 4) {
                    out.append(random.nextBoolean() ? "\n" : "  # c\n");
                    block(out, random, indent + 1 + random.nextInt(3), depth + 1, random.nextInt(3) == 0);
                } else if (choice == 1 && depth < 4) {
                    out.append('\n');
                    block(out, random, indent, depth + 1, true); // an indentless sequence
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

    private static String mutate(String yaml, Random random) {
        StringBuilder out = new StringBuilder(yaml);
        String alphabet = " \n-:#'\"a1.\t&*[]{}|>!?,%@`~\\";
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
