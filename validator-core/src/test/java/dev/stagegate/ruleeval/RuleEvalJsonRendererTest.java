package dev.stagegate.ruleeval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.ruleeval.RuleEvalResult.Result;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleEvalJsonRendererTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eachResultWithItsRuleDocumentAndPlace() throws Exception {
        RuleEvalRun run = new RuleEvalRun("apps/web/values.yaml", Optional.of("production"), List.of(
                new RuleEvalResult("floor", Result.FAILS, "at least two replicas", 2, Optional.of(new SourcePosition(4, 3))),
                new RuleEvalResult("env-only", Result.NOT_APPLIED, "its files do not match", 0, Optional.empty())),
                List.of(), Optional.empty(), Optional.empty());

        JsonNode report = mapper.readTree(new RuleEvalJsonRenderer().render(run));

        assertThat(report.path("file").asText()).isEqualTo("apps/web/values.yaml");
        assertThat(report.path("environment").asText()).isEqualTo("production");
        assertThat(report.path("passed").asBoolean()).isFalse();
        JsonNode fails = report.path("results").get(0);
        assertThat(fails.path("rule").asText()).isEqualTo("floor");
        assertThat(fails.path("result").asText()).isEqualTo("fails");
        assertThat(fails.path("message").asText()).isEqualTo("at least two replicas");
        assertThat(fails.path("document").asInt()).isEqualTo(2);
        assertThat(fails.path("line").asInt()).isEqualTo(4);
        assertThat(fails.path("column").asInt()).isEqualTo(3);
        JsonNode notApplied = report.path("results").get(1);
        assertThat(notApplied.path("result").asText()).isEqualTo("not-applied");
        assertThat(notApplied.has("document")).isFalse();
        assertThat(notApplied.has("line")).isFalse();
        assertThat(report.has("policyProblems")).isFalse();
    }

    @Test
    void anInvalidPolicyCarriesItsProblemsAndDoesNotPass() throws Exception {
        RuleEvalRun run = new RuleEvalRun("a.yaml", Optional.empty(), List.of(), List.of(
                Violation.error("policy-invalid", "bad").at(".stagegate/policy.yaml", 3, 5)),
                Optional.empty(), Optional.empty());

        JsonNode report = mapper.readTree(new RuleEvalJsonRenderer().render(run));

        assertThat(report.path("passed").asBoolean()).isFalse();
        assertThat(report.has("environment")).isFalse();
        assertThat(report.path("policyProblems").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(report.path("policyProblems").get(0).path("rule").asText()).isEqualTo("policy-invalid");
    }
}
