package dev.stagegate.policytest;

import dev.stagegate.report.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * How one case went.
 *
 * @param verdict     what the push got (present when the case ran)
 * @param differences how the verdict differs from the expectation; empty when the case passed
 * @param problems    why the case could not be built as written ({@link Status#INVALID})
 * @param error       what went wrong inside stagegate ({@link Status#ERROR})
 */
public record CaseResult(
        TestCase testCase,
        Status status,
        Optional<Verdict> verdict,
        List<String> differences,
        List<InputProblem> problems,
        Optional<String> error) {

    /** The outcome of a case, in rising order of trouble. */
    public enum Status {
        /** The verdict is the expected one. */
        PASSED,
        /** The verdict differs from the expected one. */
        FAILED,
        /** The case cannot be built as written: a mistake in the test file. */
        INVALID,
        /** stagegate failed while running the case. */
        ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CaseResult {
        differences = List.copyOf(differences);
        problems = List.copyOf(problems);
    }

    static CaseResult judged(TestCase testCase, Verdict verdict) {
        List<String> differences = testCase.expectation().differences(verdict);
        return new CaseResult(testCase, differences.isEmpty() ? Status.PASSED : Status.FAILED, Optional.of(verdict),
                differences, List.of(), Optional.empty());
    }

    static CaseResult invalid(TestCase testCase, InputProblem problem) {
        return new CaseResult(testCase, Status.INVALID, Optional.empty(), List.of(), List.of(problem), Optional.empty());
    }

    static CaseResult error(TestCase testCase, String error) {
        return new CaseResult(testCase, Status.ERROR, Optional.empty(), List.of(), List.of(), Optional.of(error));
    }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
