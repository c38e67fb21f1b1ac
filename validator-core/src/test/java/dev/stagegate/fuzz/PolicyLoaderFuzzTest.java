package dev.stagegate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.Violation;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PolicyLoader#load} on arbitrary bytes: it never throws, and a policy is either valid
 * or has {@code policy-invalid} errors that say what is wrong. The loader turns an unexpected
 * exception into an "internal error" problem (fail closed); for the fuzzer that is a finding.
 */
@Timeout(10)
class PolicyLoaderFuzzTest {

    private static final PolicyLoader LOADER = new PolicyLoader();

    @FuzzTest(maxDuration = "30s")
    void loads(byte[] content) {
        PolicyLoadResult result = LOADER.load(content, PolicyLoader.DEFAULT_PATH);

        assertThat(result.valid()).isEqualTo(result.errors().isEmpty());
        for (Violation problem : result.problems()) {
            assertThat(problem.rule()).isEqualTo("policy-invalid");
            assertThat(problem.message()).isNotBlank()
                    .doesNotContain("internal error")
                    .doesNotContain("nested too deeply to check");
            assertThat(problem.line()).isPositive();
        }
    }
}
