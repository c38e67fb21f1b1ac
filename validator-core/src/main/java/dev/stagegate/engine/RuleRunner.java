package dev.stagegate.engine;

import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.CustomRuleCheck;
import dev.stagegate.rules.Rule;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.rules.UpdateContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every registered rule, and the policy's custom rules, on one update and applies the
 * governing policy's modes: a rule set to {@code off} reports nothing, one set to {@code warn}
 * reports warnings. Violations get
 * the update's ref, environment and new commit as their location.
 */
final class RuleRunner {

    private final RuleRegistry registry;

    RuleRunner(RuleRegistry registry) {
        this.registry = registry;
    }

    List<Violation> run(UpdateContext update) throws IOException {
        Policy policy = update.policy();
        String environment = update.environment().map(e -> e.name()).orElse(null);
        String commit = update.update().isDeletion() ? null : update.update().newId().name();
        // only a policy with rules reaches the check: it loads CEL. Started first: in the resident
        // server it runs beside the built-in rules (CustomRuleCheck#start)
        CustomRuleCheck.Pending custom = policy.customRules().isEmpty() ? null
                : registry.customRules().start(update);
        List<Violation> violations = new ArrayList<>();
        try {
            for (Rule rule : registry.rules()) {
                RuleMode mode = policy.modeOf(rule.id());
                if (mode == RuleMode.OFF) {
                    continue;
                }
                for (Violation violation : rule.check(update)) {
                    violations.add(inMode(violation.inContext(update.update().refName(), environment, commit),
                            mode));
                }
            }
            if (custom != null) {
                // each custom rule's violations carry its id, so its mode is its own (those off never ran)
                for (Violation violation : custom.violations()) {
                    violations.add(inMode(violation.inContext(update.update().refName(), environment, commit),
                            policy.modeOf(violation.rule())));
                }
            }
        } finally {
            if (custom != null) {
                custom.cancel();
            }
        }
        return violations;
    }

    /** {@code violation} as {@code mode} reports it: an error becomes a warning in warn mode. */
    static Violation inMode(Violation violation, RuleMode mode) {
        return mode == RuleMode.WARN && violation.isError() ? violation.withSeverity(Severity.WARNING) : violation;
    }
}
