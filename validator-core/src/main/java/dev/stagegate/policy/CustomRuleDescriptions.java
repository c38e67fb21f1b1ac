package dev.stagegate.policy;

import dev.stagegate.report.RuleDescription;
import dev.stagegate.report.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's custom rules as the reports describe them ({@link RuleDescription}): the engine
 * attaches these to each verdict, so that a SARIF run lists every custom rule of the policy
 * with its message, and reports need not read the policy themselves.
 */
public final class CustomRuleDescriptions {

    private CustomRuleDescriptions() {
    }

    /** One description per custom rule of {@code policy}, in policy order; empty for a policy without rules. */
    public static List<RuleDescription> of(Policy policy) {
        // a loop: every push under rules comes here
        List<RuleDescription> descriptions = new ArrayList<>(policy.customRules().size());
        for (CustomRule rule : policy.customRules()) {
            descriptions.add(describe(policy, rule));
        }
        return descriptions;
    }

    private static RuleDescription describe(Policy policy, CustomRule rule) {
        RuleMode mode = policy.modeOf(rule.id());
        // a rule turned off keeps the severity it would have, for the day it is turned back on
        RuleMode severityMode = mode == RuleMode.OFF ? rule.mode().orElse(policy.mode()) : mode;
        String summary = rule.message().isPresent() && !rule.message().get().isBlank() ? rule.message().get()
                : rule.expression();
        return new RuleDescription(rule.id(), summary,
                severityMode == RuleMode.WARN ? Severity.WARNING : Severity.ERROR, mode != RuleMode.OFF);
    }
}
