package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.Policy;
import dev.stagegate.report.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The policies that decide who may update an evidence notes ref (policy-v1.md, "The evidence
 * notes ref is special"): each that names the ref and sets {@code evidence.writers} must admit
 * the pusher.
 *
 * @param policies the distinct policies that have a say
 * @param problems {@code policy-invalid} findings about those policies: warnings when an older
 *                 valid policy speaks for an invalid one, errors when none can
 * @param status   {@link ExitStatus#USAGE_OR_POLICY} when one of them has no valid policy, so
 *                 who may write evidence cannot be told (fail closed)
 */
public record NotesRefPolicies(List<Policy> policies, List<Violation> problems, ExitStatus status) {

    public NotesRefPolicies {
        policies = List.copyOf(policies);
        problems = List.copyOf(problems);
    }

    /** What the governing policies found, together: each distinct policy, every problem, the worst status. */
    static NotesRefPolicies of(Collection<GoverningPolicy> governing) {
        Set<Policy> policies = new LinkedHashSet<>();
        List<Violation> problems = new ArrayList<>();
        ExitStatus status = ExitStatus.ACCEPTED;
        for (GoverningPolicy one : governing) {
            one.policy().ifPresent(policies::add);
            problems.addAll(one.problems());
            status = status.worse(one.status());
        }
        return new NotesRefPolicies(List.copyOf(policies), problems, status);
    }
}
