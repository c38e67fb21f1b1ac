package dev.stagegate.policy;

import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;

/**
 * What loading a policy gave: the policy when it is valid, and every problem found, each a
 * {@code policy-invalid} violation with file, line and column. Errors make the policy invalid
 * (and absent); warnings may come with a valid policy.
 */
public record PolicyLoadResult(Optional<Policy> policy, List<Violation> problems) {

    public PolicyLoadResult {
        problems = List.copyOf(problems);
        if (policy.isPresent() && problems.stream().anyMatch(Violation::isError)) {
            throw new IllegalArgumentException("a policy with errors is not valid");
        }
    }

    public boolean valid() {
        return policy.isPresent();
    }

    /** The problems at error severity: why the policy is invalid. */
    public List<Violation> errors() {
        return problems.stream().filter(Violation::isError).toList();
    }
}
