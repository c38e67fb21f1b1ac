package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.SchemaSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** schemas/policy-test.schema.json, as the jar bundles it for the reader and editors read it. */
class PolicyTestSchemaTest {

    @Test
    void isDraft07WithADescriptionOnEveryProperty() throws Exception {
        JSONObject schema = schema();

        assertThat(schema.getString("$schema")).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.getString("$id")).startsWith("https://stagegate.dev/schemas/");
        List<String> undescribed = new ArrayList<>();
        collectUndescribed(schema, "", undescribed);
        assertThat(undescribed).isEmpty();
    }

    @Test
    void offersTheBuiltInIdsAndTheRunsOwnAndTakesACustomRulesId() throws Exception {
        JSONObject ruleId = schema().getJSONObject("definitions").getJSONObject("ruleId");
        JSONArray ids = ruleId.getJSONArray("examples");

        List<String> expected = new ArrayList<>(RuleIds.ALL);
        expected.add(Violation.RUN_ERROR);
        assertThat(ids.toList()).containsExactlyElementsOf(expected);
        assertThat(ruleId.getString("pattern")).isEqualTo("^" + CustomRule.ID.pattern() + "$");
    }

    private static JSONObject schema() throws Exception {
        return new JSONObject(new String(SchemaSource.bundled().read(TestCaseReader.SCHEMA_PATH), StandardCharsets.UTF_8));
    }

    private static void collectUndescribed(Object node, String pointer, List<String> undescribed) {
        if (node instanceof JSONObject object) {
            JSONObject properties = object.optJSONObject("properties");
            for (String name : properties == null ? List.<String>of() : properties.keySet()) {
                if (!properties.getJSONObject(name).has("description")) {
                    undescribed.add(pointer + "/properties/" + name);
                }
            }
            for (String key : object.keySet()) {
                collectUndescribed(object.get(key), pointer + "/" + key, undescribed);
            }
        } else if (node instanceof JSONArray array) {
            for (int i = 0; i < array.length(); i++) {
                collectUndescribed(array.get(i), pointer + "/" + i, undescribed);
            }
        }
    }
}
