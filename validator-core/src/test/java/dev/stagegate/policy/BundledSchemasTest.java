package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON Schemas in schemas/, as the jar bundles them. */
class BundledSchemasTest {

    private static final String EVIDENCE_EXAMPLE = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\","
            + "\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"testing\","
            + "\"suite\":\"integration\",\"result\":\"passed\",\"recordedAt\":\"2026-11-27T10:00:00Z\","
            + "\"producer\":\"ci-bot\"}";

    @ParameterizedTest
    @ValueSource(strings = {"policy.schema.json", "evidence.schema.json"})
    void everyPropertyHasADescriptionForEditors(String schemaName) throws Exception {
        JSONObject schema = raw(schemaName);

        assertThat(schema.getString("$schema")).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.getString("$id")).startsWith("https://stagegate.dev/schemas/");
        List<String> undescribed = new ArrayList<>();
        collectUndescribedProperties(schema, "", undescribed);
        assertThat(undescribed).isEmpty();
    }

    @Test
    void ruleModesOffersExactlyTheBuiltInRuleIdsAndAcceptsCustomRuleIds() throws Exception {
        JSONObject schema = raw("policy.schema.json");
        JSONArray names = schema.getJSONObject("properties").getJSONObject("ruleModes")
                .getJSONObject("propertyNames").getJSONArray("anyOf");
        String customId = schema.getJSONObject("properties").getJSONObject("rules").getJSONObject("items")
                .getJSONObject("properties").getJSONObject("id").getString("pattern");

        assertThat(names.getJSONObject(0).getJSONArray("enum").toList()).containsExactlyElementsOf(RuleIds.ALL);
        assertThat(names.getJSONObject(1).getString("pattern")).isEqualTo(customId)
                .isEqualTo("^" + CustomRule.ID.pattern() + "$");
    }

    @Test
    void theEvidenceExampleOfEvidenceV1IsValid() throws Exception {
        assertThat(evidenceProblems(EVIDENCE_EXAMPLE)).isEmpty();
    }

    @Test
    void evidenceWithEveryOptionalFieldIsValid() throws Exception {
        String full = EVIDENCE_EXAMPLE.replace("}", ",\"tests\":12,\"failures\":0,\"errors\":0,\"skipped\":1,"
                + "\"runUrl\":\"https://ci.example.com/runs/42\",\"reports\":[{\"path\":\"TEST-a.xml\","
                + "\"sha256\":\"" + "ab".repeat(32) + "\"}]}");

        assertThat(evidenceProblems(full)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"producer\":\"ci-bot\"           | \"other\":\"x\"",
        "\"result\":\"passed\"             | \"result\":\"ok\"",
        "0123456789abcdef0123456789abcdef01234567 | 0123456789ABCDEF0123456789ABCDEF01234567",
        "0123456789abcdef0123456789abcdef01234567 | 0123456",
        "2026-11-27T10:00:00Z              | yesterday",
        "\"kind\":\"TestEvidence\"         | \"kind\":\"Evidence\"",
        "\"producer\":\"ci-bot\"           | \"producer\":\"ci-bot\",\"tests\":-1",
        "\"producer\":\"ci-bot\"           | \"producer\":\"ci-bot\",\"reports\":[{\"path\":\"a.xml\"}]",
        "\"producer\":\"ci-bot\"           | \"producer\":\"ci-bot\",\"surprise\":true"})
    void invalidEvidenceIsRejected(String original, String replacement) throws Exception {
        assertThat(evidenceProblems(EVIDENCE_EXAMPLE.replace(original, replacement))).isNotEmpty();
    }

    private static List<SchemaProblem> evidenceProblems(String line) throws Exception {
        CompiledSchema schema = new SchemaValidator(SchemaSource.bundled()).load("evidence.schema.json");
        return schema.validate(new LocatedYamlReader()
                .read(line.getBytes(StandardCharsets.UTF_8), "evidence.json").get(0));
    }

    private static JSONObject raw(String schemaName) throws Exception {
        return new JSONObject(new String(SchemaSource.bundled().read(schemaName), StandardCharsets.UTF_8));
    }

    private static void collectUndescribedProperties(Object node, String pointer, List<String> undescribed) {
        if (node instanceof JSONObject object) {
            JSONObject properties = object.optJSONObject("properties");
            if (properties != null) {
                for (String name : properties.keySet()) {
                    if (!properties.getJSONObject(name).has("description")) {
                        undescribed.add(pointer + "/properties/" + name);
                    }
                }
            }
            for (String key : object.keySet()) {
                collectUndescribedProperties(object.get(key), pointer + "/" + key, undescribed);
            }
        } else if (node instanceof JSONArray array) {
            for (int i = 0; i < array.length(); i++) {
                collectUndescribedProperties(array.get(i), pointer + "/" + i, undescribed);
            }
        }
    }
}
