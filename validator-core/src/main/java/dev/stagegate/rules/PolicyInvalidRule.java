package dev.stagegate.rules;

import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A branch whose new tip carries an invalid policy would govern the next push with nothing
 * (or the last valid one); reject it where it is pushed, with the schema's complaint. The
 * engine runs it also where no policy governs yet ({@link UpdateContext#ungoverned}): a first
 * policy must be valid, or it would lock the repository.
 */
public final class PolicyInvalidRule implements Rule {

    @Override
    public String id() {
        return RuleIds.POLICY_INVALID;
    }

    @Override
    public String summary() {
        return "a policy pushed to any branch must be valid";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        if (!update.update().isBranch()) {
            return List.of();
        }
        Optional<PolicyLoadResult> pushed = update.pushedPolicy();
        if (pushed.isEmpty() || pushed.get().valid()) {
            return List.of();
        }
        return pushed.get().problems().stream().filter(Violation::isError).toList();
    }
}
