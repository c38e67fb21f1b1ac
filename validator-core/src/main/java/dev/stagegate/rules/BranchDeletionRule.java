package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;

/** An environment's branch is what gets deployed; deleting it is denied by default. */
public final class BranchDeletionRule implements Rule {

    @Override
    public String id() {
        return RuleIds.BRANCH_DELETION;
    }

    @Override
    public String summary() {
        return "an environment branch may not be deleted (protections.deletion)";
    }

    @Override
    public List<Violation> check(UpdateContext update) {
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty() || !update.update().isDeletion()
                || environment.get().protections().deletionAllowed()) {
            return List.of();
        }
        return List.of(Violation.error(id(), "deleting branch '" + environment.get().branch()
                + "' of environment " + environment.get().name()
                + " is denied (protections.deletion: deny); restore it with git push origin <commit>:refs/heads/"
                + environment.get().branch()));
    }
}
