package dev.stagegate.policy;

import static dev.stagegate.policy.EnvironmentGraphTest.environment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.RuleDescription;
import dev.stagegate.report.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomRuleDescriptionsTest {

    @Test
    void describesEachRuleByItsMessageInPolicyOrder() {
        Policy policy = policy(RuleMode.ENFORCE, Map.of(),
                rule("prod-replicas", Optional.of("production runs at least two replicas"), Optional.empty()),
                rule("no-latest", Optional.of("no :latest tag"), Optional.empty()));

        assertThat(CustomRuleDescriptions.of(policy)).containsExactly(
                new RuleDescription("prod-replicas", "production runs at least two replicas", Severity.ERROR, true),
                new RuleDescription("no-latest", "no :latest tag", Severity.ERROR, true));
    }

    @Test
    void aRuleWithoutMessageIsDescribedByItsExpressionOnOneLine() {
        CustomRule rule = new CustomRule("replicas", List.of(), List.of("**/values.yaml"), List.of(),
                "has(object.replicas) &&\n  object.replicas >= 2\n", Optional.empty(), Optional.empty(),
                Optional.of("'replicas is ' + string(object.replicas)"), Optional.empty());

        assertThat(CustomRuleDescriptions.of(policy(RuleMode.ENFORCE, Map.of(), rule)).get(0).summary())
                .isEqualTo("has(object.replicas) && object.replicas >= 2");
    }

    @Test
    void theSeverityFollowsTheRulesModeThenThePolicysMode() {
        Policy policy = policy(RuleMode.WARN, Map.of(),
                rule("own-enforce", Optional.of("b"), Optional.of(RuleMode.ENFORCE)),
                rule("policy-warn", Optional.of("c"), Optional.empty()));

        assertThat(CustomRuleDescriptions.of(policy)).containsExactly(
                new RuleDescription("own-enforce", "b", Severity.ERROR, true),
                new RuleDescription("policy-warn", "c", Severity.WARNING, true));
    }

    @Test
    void ruleModesWinOverTheRulesOwnModeAndARuleTurnedOffIsDescribedAsDisabled() {
        PolicyLoadResult loaded = new PolicyLoader().load("""
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: development
                    branch: develop
                mode: warn
                ruleModes:
                  made-enforced: enforce
                  turned-off: "off"
                rules:
                  - id: made-enforced
                    files: "**/values.yaml"
                    expression: "true"
                    message: "a"
                    mode: warn
                  - id: turned-off
                    files: "**/values.yaml"
                    expression: "true"
                    message: "d"
                    mode: enforce
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), PolicyLoader.DEFAULT_PATH);

        assertThat(loaded.problems()).isEmpty();
        assertThat(CustomRuleDescriptions.of(loaded.policy().orElseThrow())).containsExactly(
                new RuleDescription("made-enforced", "a", Severity.ERROR, true),
                new RuleDescription("turned-off", "d", Severity.ERROR, false));
    }

    @Test
    void aPolicyWithoutRulesHasNoDescriptions() {
        assertThat(CustomRuleDescriptions.of(policy(RuleMode.ENFORCE, Map.of()))).isEmpty();
    }

    static CustomRule rule(String id, Optional<String> message, Optional<RuleMode> mode) {
        return new CustomRule(id, List.of(), List.of("apps/**/values.yaml"), List.of(), "object.replicas >= 2",
                Optional.empty(), message, Optional.empty(), mode);
    }

    private static Policy policy(RuleMode mode, Map<String, RuleMode> ruleModes, CustomRule... rules) {
        return new Policy("policy.yaml", List.of(environment("development"), environment("production", "development")),
                List.of(), List.of(), EvidenceSettings.DEFAULTS, Protections.DEFAULTS, PromotionSettings.DEFAULTS,
                Set.of(), mode, ruleModes, People.NONE).withCustomRules(List.of(rules));
    }
}
