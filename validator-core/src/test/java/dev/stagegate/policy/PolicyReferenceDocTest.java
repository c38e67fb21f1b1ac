package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/policy.md in step with the policy schema and the rule ids: every field of
 * {@code schemas/policy.schema.json} (nested ones as dotted paths, array items as {@code []},
 * such as {@code environments[].requiresEvidence[].maxAge}) must be documented as a heading or
 * in backticks, and every rule id must have a heading of its own.
 */
class PolicyReferenceDocTest {

    /** Surefire runs with the module directory as working directory. */
    private static final Path SCHEMA = Path.of("../schemas/policy.schema.json");
    private static final Path DOC = Path.of("../docs/policy.md");

    private static JsonNode schema;
    private static String doc;
    private static List<String> headings;

    @BeforeAll
    static void read() throws IOException {
        schema = new ObjectMapper().readTree(Files.readAllBytes(SCHEMA));
        doc = Files.readString(DOC, StandardCharsets.UTF_8);
        headings = doc.lines()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+", "").replace("`", "").strip())
                .toList();
    }

    @Test
    void collectsNestedFieldsThroughReferencesAndConditions() {
        Set<String> paths = propertyPaths();

        assertThat(paths).contains(
                "apiVersion",
                "environments[].name",
                "environments[].requiresEvidence[].maxAge",
                "environments[].freezes[].days",
                "environments[].freezes[].timezone",
                "schemas[].files",
                "evidence.notesRef",
                "ruleModes");
    }

    @Test
    void documentsEveryFieldOfThePolicySchema() {
        List<String> undocumented = propertyPaths().stream()
                .filter(path -> !doc.contains("`" + path + "`") && !headings.contains(path))
                .toList();

        assertThat(undocumented).as("fields of %s missing from %s", SCHEMA, DOC).isEmpty();
    }

    @Test
    void givesEveryRuleIdAHeading() {
        List<String> missing = RuleIds.ALL.stream()
                .filter(id -> headings.stream().noneMatch(heading -> heading.equals(id) || heading.startsWith(id + " ")))
                .toList();

        assertThat(missing).as("rule ids without a heading in %s", DOC).isEmpty();
    }

    private static Set<String> propertyPaths() {
        Set<String> paths = new LinkedHashSet<>();
        collect(schema, "", paths, new HashSet<>());
        return paths;
    }

    /** Walks properties, items, $refs and the combinators, which all describe the same instance. */
    private static void collect(JsonNode node, String path, Set<String> paths, Set<String> visiting) {
        if (node == null || !node.isObject()) {
            return;
        }
        JsonNode ref = node.get("$ref");
        if (ref != null) {
            String key = ref.asText() + " at " + path;
            if (visiting.add(key)) {
                collect(resolve(ref.asText()), path, paths, visiting);
                visiting.remove(key);
            }
        }
        JsonNode properties = node.get("properties");
        if (properties != null) {
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
                paths.add(child);
                collect(property.getValue(), child, paths, visiting);
            }
        }
        collect(node.get("items"), path + "[]", paths, visiting);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode branches = node.get(combinator);
            if (branches != null) {
                branches.forEach(branch -> collect(branch, path, paths, visiting));
            }
        }
        collect(node.get("then"), path, paths, visiting);
        collect(node.get("else"), path, paths, visiting);
    }

    private static JsonNode resolve(String ref) {
        assertThat(ref).as("only local references are expected in the policy schema").startsWith("#/");
        return schema.at(ref.substring(1));
    }
}
