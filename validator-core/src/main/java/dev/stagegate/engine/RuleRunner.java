package dev.stagegate.engine;

import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.Rule;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.rules.UpdateContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every registered rule on one update and applies the governing policy's modes: a rule
 * set to {@code off} reports nothing, one set to {@code warn} reports warnings. Violations get
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
        List<Violation> violations = new ArrayList<>();
        for (Rule rule : registry.rules()) {
            RuleMode mode = policy.modeOf(rule.id());
            if (mode == RuleMode.OFF) {
                continue;
            }
            for (Violation violation : rule.check(update)) {
                Violation located = violation.inContext(update.update().refName(), environment, commit);
                violations.add(mode == RuleMode.WARN && located.isError()
                        ? located.withSeverity(Severity.WARNING) : located);
            }
        }
        return violations;
    }
}
