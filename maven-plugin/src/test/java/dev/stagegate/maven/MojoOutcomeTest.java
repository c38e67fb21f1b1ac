package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class MojoOutcomeTest {

    private static final Violation SKIPPED = Violation.error("skipped-stage", "promote through staging first")
            .withRef("refs/heads/main").withEnvironment("production");
    private static final Violation LEAK = Violation.warning("environment-leak", "env/prod.yaml is staging's");

    @Test
    void acceptedPasses() {
        assertThatCode(() -> MojoOutcome.enforce("stagegate:validate", Outcome.of(Verdict.accepted()), true))
                .doesNotThrowAnyException();
    }

    @Test
    void warningsPassUnlessFailOnWarning() {
        Outcome outcome = Outcome.of(Verdict.of(List.of(LEAK)));

        assertThatCode(() -> MojoOutcome.enforce("stagegate:validate", outcome, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> MojoOutcome.enforce("stagegate:validate", outcome, true))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("stagegate:validate failed on 1 warning (failOnWarning):"
                        + " [environment-leak] env/prod.yaml is staging's");
    }

    @Test
    void aRejectionIsABuildFailure() {
        Outcome outcome = Outcome.of(Verdict.of(List.of(SKIPPED, LEAK, SKIPPED.withRef("refs/heads/test"))));

        assertThatThrownBy(() -> MojoOutcome.enforce("stagegate:check-promotion", outcome, false))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("stagegate:check-promotion rejected: [skipped-stage] refs/heads/main (production):"
                        + " promote through staging first (and 1 more above)");
    }

    @Test
    void aPolicyThatCannotBeLoadedIsAnExecutionError() {
        Outcome outcome = new Outcome(Verdict.of(List.of(Violation.error("policy-invalid", "no such file"))),
                ExitStatus.USAGE_OR_POLICY);

        assertThatThrownBy(() -> MojoOutcome.enforce("stagegate:validate", outcome, false))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("stagegate:validate cannot run: [policy-invalid] no such file");
    }

    @Test
    void aRepositoryThatCannotBeJudgedIsAnExecutionErrorWithItsCause() {
        IOException cause = new IOException("pack file truncated");
        Outcome outcome = new Outcome(Verdict.of(List.of(Violation.runError("this is a shallow clone"))),
                ExitStatus.CANNOT_JUDGE, Optional.of(cause));

        assertThatThrownBy(() -> MojoOutcome.enforce("stagegate:check-promotion", outcome, false))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("stagegate:check-promotion cannot judge the repository: [stagegate] this is a shallow clone")
                .hasCause(cause);
    }
}
