package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.Policy;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;

/**
 * The policy that governs an update (policy-v1.md, "Which policy governs an update"), where it
 * came from, and what went wrong finding it.
 *
 * @param policy   empty when no policy governs: the update is accepted, and a note says so,
 *                 or (with a non-zero status) when none could be loaded: fail closed
 * @param source   for messages: "the server policy", ".stagegate/policy.yaml at main (1a2b3c)"
 * @param problems {@code policy-invalid} violations when the policy found was invalid
 * @param status   {@link ExitStatus#USAGE_OR_POLICY} when no valid policy could govern
 */
public record GoverningPolicy(Optional<Policy> policy, String source, List<Violation> problems, ExitStatus status) {

    public GoverningPolicy {
        problems = List.copyOf(problems);
    }

    public static GoverningPolicy of(Policy policy, String source) {
        return new GoverningPolicy(Optional.of(policy), source, List.of(), ExitStatus.ACCEPTED);
    }

    public static GoverningPolicy none() {
        return new GoverningPolicy(Optional.empty(), "no policy", List.of(), ExitStatus.ACCEPTED);
    }

    public boolean unusable() {
        return status != ExitStatus.ACCEPTED;
    }
}
