package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PolicyTestJsonRendererTest {

    @Test
    void writesTheStatusCountsProblemsAndEveryCase() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new PolicyTestJsonRenderer().render(SampleRuns.mixed()));

        assertThat(json.get("status").asInt()).isEqualTo(2);
        assertThat(json.get("passed").asInt()).isEqualTo(1);
        assertThat(json.get("failed").asInt()).isEqualTo(1);
        assertThat(json.get("invalid").asInt()).isEqualTo(1);
        assertThat(json.get("errors").asInt()).isZero();
        assertThat(json.get("problems").get(0).toString()).isEqualTo("{\"file\":\".stagegate/tests/broken.yaml\","
                + "\"line\":2,\"column\":1,\"message\":\"push: must have at least 1 item, found 0\"}");
        JsonNode failed = json.get("cases").get(1);
        assertThat(failed.get("result").asText()).isEqualTo("failed");
        assertThat(failed.get("line").asInt()).isEqualTo(9);
        assertThat(failed.get("differences").get(0).asText()).isEqualTo("decision: expected accept, actual reject");
        assertThat(failed.get("expected").toString())
                .isEqualTo("{\"decision\":\"accept\",\"errors\":[],\"messages\":[]}");
        JsonNode actual = failed.get("actual");
        assertThat(actual.get("errors").toString()).isEqualTo("[\"skipped-stage\"]");
        assertThat(actual.get("violations").get(0).get("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(json.get("cases").get(2).get("problems").get(0).get("line").asInt()).isEqualTo(7);
    }
}
