package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.SourcePosition;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class PolicyPatchTest {

    private static final JSONObject POLICY = new JSONObject("""
            {"promotion": {"searchDepth": 200, "fastForwardOnly": false},
             "bypass": {"users": ["release-manager"]},
             "mode": "enforce",
             "environmentSpecificPaths": ["env/**"]}
            """);

    @Test
    void mappingsMergeKeyByKey() {
        JSONObject patched = patch("{\"promotion\": {\"fastForwardOnly\": true}}").applyTo(POLICY);

        assertThat(patched.getJSONObject("promotion").toMap())
                .containsEntry("fastForwardOnly", true)
                .containsEntry("searchDepth", 200);
        assertThat(patched.getString("mode")).isEqualTo("enforce");
    }

    @Test
    void nullRemovesAKeyAndAListOrValueReplacesIt() {
        JSONObject patched = patch("{\"bypass\": null, \"mode\": \"warn\", \"environmentSpecificPaths\": [\"env\"]}")
                .applyTo(POLICY);

        assertThat(patched.has("bypass")).isFalse();
        assertThat(patched.getString("mode")).isEqualTo("warn");
        assertThat(patched.getJSONArray("environmentSpecificPaths").toList()).containsExactly("env");
    }

    @Test
    void aMappingWhereThePolicyHasNoneIsAddedWithoutItsNulls() {
        JSONObject patched = patch("{\"evidence\": {\"writers\": [\"ci-bot\"], \"notesRef\": null}}").applyTo(POLICY);

        assertThat(patched.getJSONObject("evidence").toMap()).containsOnlyKeys("writers");
    }

    @Test
    void thePolicyUnderTestIsLeftAsItIs() {
        String before = POLICY.toString();

        patch("{\"promotion\": {\"fastForwardOnly\": true}, \"mode\": null}").applyTo(POLICY);

        assertThat(POLICY.toString()).isEqualTo(before);
    }

    private static PolicyPatch patch(String json) {
        return new PolicyPatch(new JSONObject(json), SourcePosition.START);
    }
}
