package dev.stagegate.rules;

import static dev.stagegate.testing.CustomRuleFixture.policyWith;
import static dev.stagegate.testing.CustomRuleFixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.policy.Policy;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.rules.RuleOutcome.Status;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.yaml.YamlLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One file judged by custom rules, without a repository: the outcome of each rule on each document. */
class CustomRuleEvaluatorTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
            kubernetes:
              manifests: ["k8s/**/*.yaml"]
            """;

    private static final String VALUES = "apps/web/values.yaml";
    private static final String ANY_VALUES = "apps/**/values.yaml";

    private final CustomRuleEvaluator evaluator = new CustomRuleEvaluator(YamlLimits.DEFAULTS);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<RuleOutcome> evaluate(Policy policy, String path, String content, String oldContent,
            String environment) {
        return evaluator.evaluate(policy, path, bytes(content), Optional.ofNullable(oldContent).map(c -> bytes(c)),
                Optional.ofNullable(environment), environment == null ? "" : "main");
    }

    private List<RuleOutcome> evaluate(CustomRuleFixture rule, String content) {
        return evaluate(policyWith(POLICY, rule), VALUES, content, null, "production");
    }

    private RuleOutcome only(CustomRuleFixture rule, String content) {
        List<RuleOutcome> outcomes = evaluate(rule, content);
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    @Test
    void aTrueExpressionHolds() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2"), "replicas: 3\n");

        assertThat(outcome).isEqualTo(new RuleOutcome("replicas", Status.HOLDS, "", new SourcePosition(1, 1), 0));
        assertThat(outcome.holds()).isTrue();
    }

    @Test
    void aFalseExpressionFailsWithTheRulesMessage() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2")
                .message("production runs at least two replicas"), "replicas: 1\n");

        assertThat(outcome.status()).isEqualTo(Status.FAILS);
        assertThat(outcome.message()).isEqualTo("production runs at least two replicas");
    }

    @Test
    void aMissingKeyIsAnErrorThatSaysSoAndHintsAtHas() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2"), "image: web:1\n");

        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.message()).contains("no such key: replicas").contains("has(");
    }

    @Test
    void aFileThatIsNotYamlIsAnErrorForEveryRuleThatWouldJudgeIt() {
        List<RuleOutcome> outcomes = evaluate(policyWith(POLICY, rule("a", ANY_VALUES, "true"),
                rule("b", ANY_VALUES, "true"), rule("elsewhere", "other/**", "true")),
                VALUES, "replicas: [1\n", null, "production");

        assertThat(outcomes).extracting(RuleOutcome::ruleId).containsExactly("a", "b");
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.ERROR);
            assertThat(outcome.message()).startsWith("cannot be read as YAML");
        });
    }
}
