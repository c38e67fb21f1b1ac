package dev.stagegate.policytest;

import dev.stagegate.Pusher;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs the renderer tests print: one case of each outcome, and a file that could not be read. */
final class SampleRuns {

    static final Violation SKIPPED = Violation.error("skipped-stage",
            "the content pushed to 'main' (production) is not in staging; promote through staging first")
            .inContext("refs/heads/main", "production", "0123456789abcdef0123456789abcdef01234567");

    private SampleRuns() {
    }

    static TestCase testCase(String name, String file, int line, Expectation expectation) {
        return new TestCase(name, file, new SourcePosition(line, 3), Optional.empty(), Optional.empty(), Optional.empty(),
                Pusher.ANONYMOUS, List.of(), "main", List.of(), List.of(), List.of(), expectation);
    }

    static CaseResult passed() {
        return CaseResult.judged(testCase("develop into test is accepted", ".stagegate/tests/promotion.yaml", 1,
                new Expectation("accept", Set.of(), Optional.empty(), List.of())), Verdict.accepted());
    }

    static CaseResult failed() {
        return CaseResult.judged(testCase("develop into main is accepted <sic>", ".stagegate/tests/promotion.yaml", 9,
                new Expectation("accept", Set.of(), Optional.empty(), List.of())), Verdict.of(List.of(SKIPPED)));
    }

    static CaseResult invalid() {
        TestCase testCase = testCase("a typo", ".stagegate/tests/typo.yaml", 1,
                new Expectation("accept", Set.of(), Optional.empty(), List.of()));
        return CaseResult.invalid(testCase, new InputProblem(testCase.file(), new SourcePosition(7, 24),
                "there is no branch 'stagign' at this point of the case, so 'stagign' names no commit"));
    }

    static InputProblem unreadable() {
        return new InputProblem(".stagegate/tests/broken.yaml", new SourcePosition(2, 1),
                "push: must have at least 1 item, found 0");
    }

    static PolicyTestRun mixed() {
        return new PolicyTestRun(List.of(passed(), failed(), invalid()), List.of(unreadable()), Optional.empty());
    }

    static PolicyTestRun allPassed() {
        return new PolicyTestRun(List.of(passed()), List.of(), Optional.empty());
    }
}
