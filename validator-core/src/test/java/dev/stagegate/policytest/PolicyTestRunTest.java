package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTestRunTest {

    @Test
    void theWorstOutcomeDecidesTheExitStatus() {
        assertThat(SampleRuns.allPassed().status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(run(List.of(SampleRuns.passed(), SampleRuns.failed()), List.of()).status())
                .isEqualTo(ExitStatus.REJECTED);
        assertThat(run(List.of(SampleRuns.failed(), SampleRuns.invalid()), List.of()).status())
                .isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(run(List.of(SampleRuns.passed()), List.of(SampleRuns.unreadable())).status())
                .isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(run(List.of(CaseResult.error(SampleRuns.passed().testCase(), "boom")), List.of()).status())
                .isEqualTo(ExitStatus.CANNOT_JUDGE);
        assertThat(PolicyTestRun.failed("boom").status()).isEqualTo(ExitStatus.CANNOT_JUDGE);
    }

    @Test
    void countsCasesByOutcome() {
        PolicyTestRun run = SampleRuns.mixed();

        assertThat(run.count(CaseResult.Status.PASSED)).isEqualTo(1);
        assertThat(run.count(CaseResult.Status.FAILED)).isEqualTo(1);
        assertThat(run.count(CaseResult.Status.INVALID)).isEqualTo(1);
        assertThat(run.count(CaseResult.Status.ERROR)).isZero();
    }

    private static PolicyTestRun run(List<CaseResult> cases, List<InputProblem> problems) {
        return new PolicyTestRun(cases, problems, Optional.empty());
    }
}
