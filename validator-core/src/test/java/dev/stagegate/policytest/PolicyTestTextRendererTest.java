package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTestTextRendererTest {

    private final PolicyTestTextRenderer renderer = new PolicyTestTextRenderer();

    @Test
    void printsProblemsThenEveryCaseWithTheDifferenceOfFailedOnes() {
        assertThat(renderer.render(SampleRuns.mixed())).isEqualTo("""
                .stagegate/tests/broken.yaml:2:1: push: must have at least 1 item, found 0
                PASS    develop into test is accepted
                FAIL    develop into main is accepted <sic>  (.stagegate/tests/promotion.yaml:9:3)
                      decision: expected accept, actual reject
                      errors: expected [], actual [skipped-stage] (unexpected skipped-stage)
                      actual verdict:
                        error [skipped-stage] refs/heads/main (production) 0123456789ab: the content pushed to 'main' \
                (production) is not in staging; promote through staging first
                        stagegate: rejected (1 error, 0 warnings)
                INVALID a typo  (.stagegate/tests/typo.yaml:1:3)
                      .stagegate/tests/typo.yaml:7:24: there is no branch 'stagign' at this point of the case, so \
                'stagign' names no commit
                policy test: 1 passed, 1 failed, 1 invalid (3 cases); 1 problem in the test files or the policy
                """);
    }

    @Test
    void endsWithASummaryOfAPassingRun() {
        assertThat(renderer.render(SampleRuns.allPassed())).isEqualTo("""
                PASS    develop into test is accepted
                policy test: 1 passed, 0 failed (1 case)
                """);
    }

    @Test
    void saysWhenStagegateItselfFailed() {
        PolicyTestRun run = new PolicyTestRun(List.of(), List.of(), Optional.of("cannot run the policy tests (boom)"));

        assertThat(renderer.render(run)).isEqualTo("""
                error: cannot run the policy tests (boom)
                policy test: 0 passed, 0 failed (0 cases)
                """);
    }
}
