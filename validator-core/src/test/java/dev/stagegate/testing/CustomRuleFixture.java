package dev.stagegate.testing;

import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Custom rules (rules-cel.md) for tests, built as the policy's {@code rules} section would give
 * them: {@code rule("id", "files", "expression")}, then the {@code with*} methods for the rest.
 */
public record CustomRuleFixture(CustomRule rule) {

    public static CustomRuleFixture rule(String id, String files, String expression) {
        return new CustomRuleFixture(new CustomRule(id, List.of(), List.of(files), List.of(), expression,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    public CustomRuleFixture environments(String... environments) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), List.of(environments), r.files(), r.kinds(), r.expression(),
                r.fieldPath(), r.message(), r.messageExpression(), r.mode()));
    }

    public CustomRuleFixture kinds(String... kinds) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), r.environments(), r.files(), List.of(kinds), r.expression(),
                r.fieldPath(), r.message(), r.messageExpression(), r.mode()));
    }

    public CustomRuleFixture fieldPath(String fieldPath) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), r.environments(), r.files(), r.kinds(), r.expression(),
                Optional.of(fieldPath), r.message(), r.messageExpression(), r.mode()));
    }

    public CustomRuleFixture message(String message) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), r.environments(), r.files(), r.kinds(), r.expression(),
                r.fieldPath(), Optional.of(message), r.messageExpression(), r.mode()));
    }

    public CustomRuleFixture messageExpression(String messageExpression) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), r.environments(), r.files(), r.kinds(), r.expression(),
                r.fieldPath(), r.message(), Optional.of(messageExpression), r.mode()));
    }

    public CustomRuleFixture mode(RuleMode mode) {
        CustomRule r = rule;
        return new CustomRuleFixture(new CustomRule(r.id(), r.environments(), r.files(), r.kinds(), r.expression(),
                r.fieldPath(), r.message(), r.messageExpression(), Optional.of(mode)));
    }

    /** {@code policyYaml} loaded (it must be valid), with these custom rules. */
    public static Policy policyWith(String policyYaml, CustomRuleFixture... rules) {
        PolicyLoadResult result = new PolicyLoader().load(policyYaml.getBytes(StandardCharsets.UTF_8),
                PolicyLoader.DEFAULT_PATH);
        Policy policy = result.policy().orElseThrow(() -> new AssertionError("invalid policy: " + result.problems()));
        return policy.withCustomRules(List.of(rules).stream().map(CustomRuleFixture::rule).toList());
    }
}
