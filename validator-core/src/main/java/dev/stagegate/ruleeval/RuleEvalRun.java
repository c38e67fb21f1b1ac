package dev.stagegate.ruleeval;

import dev.stagegate.ExitStatus;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one {@code rules eval} found: a result per rule and document when the policy could
 * be used, else the policy's located problems, a usage error, or why stagegate failed.
 *
 * @param path           the file's repository path, as the rules saw it
 * @param environment    the environment judged, if one was given
 * @param results        in policy order, each rule's results in document order
 * @param policyProblems the {@code policy-invalid} problems of a policy that cannot be used
 * @param usageError     a mistake in the request only the engine can see (an unknown environment)
 * @param failure        what went wrong inside stagegate
 */
public record RuleEvalRun(String path, Optional<String> environment, List<RuleEvalResult> results,
        List<Violation> policyProblems, Optional<String> usageError, Optional<String> failure) {

    public RuleEvalRun {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(environment, "environment");
        results = List.copyOf(results);
        policyProblems = List.copyOf(policyProblems);
        Objects.requireNonNull(usageError, "usageError");
        Objects.requireNonNull(failure, "failure");
    }

    static RuleEvalRun of(RuleEvalRequest request, List<RuleEvalResult> results) {
        return new RuleEvalRun(request.path(), request.environment(), results, List.of(), Optional.empty(),
                Optional.empty());
    }

    static RuleEvalRun invalidPolicy(RuleEvalRequest request, List<Violation> problems) {
        return new RuleEvalRun(request.path(), request.environment(), List.of(), problems, Optional.empty(),
                Optional.empty());
    }

    static RuleEvalRun usageError(RuleEvalRequest request, String message) {
        return new RuleEvalRun(request.path(), request.environment(), List.of(), List.of(), Optional.of(message),
                Optional.empty());
    }

    /** A run that failed inside stagegate (exit status 3). */
    public static RuleEvalRun failed(RuleEvalRequest request, String failure) {
        return new RuleEvalRun(request.path(), request.environment(), List.of(), List.of(), Optional.empty(),
                Optional.of(failure));
    }

    /** 0 every rule that applied holds, 1 one fails or errs, 2 usage error or invalid policy, 3 stagegate failed. */
    public ExitStatus status() {
        if (failure.isPresent()) {
            return ExitStatus.CANNOT_JUDGE;
        }
        if (usageError.isPresent() || !policyProblems.isEmpty()) {
            return ExitStatus.USAGE_OR_POLICY;
        }
        return results.stream().anyMatch(RuleEvalResult::failing) ? ExitStatus.REJECTED : ExitStatus.ACCEPTED;
    }

    public long count(RuleEvalResult.Result result) {
        return results.stream().filter(r -> r.result() == result).count();
    }
}
