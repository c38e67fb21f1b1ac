package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Freeze;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Nothing lands on a frozen environment: promotions and environment-specific changes alike. */
public final class FreezeWindowRule implements Rule {

    @Override
    public String id() {
        return RuleIds.FREEZE_WINDOW;
    }

    @Override
    public String summary() {
        return "no update lands on an environment branch inside one of its freeze windows";
    }

    @Override
    public List<Violation> check(UpdateContext update) {
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (Freeze freeze : environment.get().freezes()) {
            if (freeze.covers(update.now())) {
                violations.add(Violation.error(id(), "environment " + environment.get().name()
                        + " is frozen by '" + freeze.name() + "' (" + freeze.describe() + ") at "
                        + update.now() + "; push after the window, or ask a bypass user for an audited bypass"));
            }
        }
        return violations;
    }
}
