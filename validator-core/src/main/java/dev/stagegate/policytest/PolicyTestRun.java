package dev.stagegate.policytest;

import dev.stagegate.ExitStatus;
import java.util.List;
import java.util.Optional;

/**
 * Everything one run of a policy's tests found: the result of every case that could be read,
 * and the problems of the test files and the policy that kept cases from running.
 *
 * @param failure what went wrong inside stagegate when the run as a whole failed
 */
public record PolicyTestRun(List<CaseResult> cases, List<InputProblem> problems, Optional<String> failure) {

    public PolicyTestRun {
        cases = List.copyOf(cases);
        problems = List.copyOf(problems);
    }

    static PolicyTestRun failed(String failure) {
        return new PolicyTestRun(List.of(), List.of(), Optional.of(failure));
    }

    /**
     * 0 when every case passed, 1 when one failed, 2 for a problem in a test file or the
     * policy, 3 when stagegate failed; the worst applies.
     */
    public ExitStatus status() {
        ExitStatus status = failure.isPresent() ? ExitStatus.CANNOT_JUDGE
                : problems.isEmpty() ? ExitStatus.ACCEPTED : ExitStatus.USAGE_OR_POLICY;
        for (CaseResult result : cases) {
            status = status.worse(switch (result.status()) {
                case PASSED -> ExitStatus.ACCEPTED;
                case FAILED -> ExitStatus.REJECTED;
                case INVALID -> ExitStatus.USAGE_OR_POLICY;
                case ERROR -> ExitStatus.CANNOT_JUDGE;
            });
        }
        return status;
    }

    public long count(CaseResult.Status status) {
        return cases.stream().filter(result -> result.status() == status).count();
    }
}
