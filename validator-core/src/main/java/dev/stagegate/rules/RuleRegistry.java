package dev.stagegate.rules;

import dev.stagegate.yaml.YamlLimits;
import java.util.List;

/**
 * Every rule the engine runs, listed explicitly (no class-path scanning): a new rule is its
 * own class plus one line here; and the check that runs the policy's custom rules. {@code bypass-used} is not here: the engine reports it when
 * an audited bypass turns errors into warnings.
 */
public final class RuleRegistry {

    private final List<Rule> rules;
    private final CustomRuleCheck customRules;

    private RuleRegistry(List<Rule> rules, CustomRuleCheck customRules) {
        this.rules = List.copyOf(rules);
        this.customRules = customRules;
    }

    public static RuleRegistry standard(YamlLimits limits) {
        return new RuleRegistry(List.of(
                new RefShadowingRule(),
                new EvidenceTamperRule(),
                new PolicyInvalidRule(),
                new PolicyLoosenedRule(),
                new BranchDeletionRule(),
                new ForcePushRule(),
                new FreezeWindowRule(),
                new SkippedStageRule(),
                new MissingEvidenceRule(),
                new MissingApprovalRule(),
                new EnvironmentLeakRule(),
                new SchemaViolationRule(limits)), new CustomRuleCheck(limits));
    }

    /** These rules and one more, run last: for embedders with a rule of their own, and for tests. */
    public RuleRegistry plus(Rule rule) {
        List<Rule> more = new java.util.ArrayList<>(rules);
        more.add(rule);
        return new RuleRegistry(more, customRules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The policy's own rules (rules-cel.md), whose ids the policy gives. */
    public CustomRuleCheck customRules() {
        return customRules;
    }
}
