package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationTest {

    private static final Violation SKIPPED = Violation.error("skipped-stage",
            "the content pushed to 'main' (production) is not in staging; it was found further up the chain, so it is"
                    + " not yet in testing, staging").inContext("refs/heads/main", "production", null);
    private static final Violation LEAK = Violation.warning("environment-leak", "env/values.yaml is develop's")
            .inContext("refs/heads/test", "testing", null);

    @Test
    void matchesTheVerdictItDescribes() {
        Expectation expectation = new Expectation("reject", Set.of("skipped-stage"), Optional.of(Set.of()),
                List.of("not yet in testing", "refs/heads/main (production)"));

        assertThat(expectation.differences(Verdict.of(List.of(SKIPPED)))).isEmpty();
    }

    @Test
    void comparesRuleIdsAsSets() {
        Expectation expectation = new Expectation("reject", Set.of("skipped-stage"), Optional.empty(), List.of());

        assertThat(expectation.differences(Verdict.of(List.of(SKIPPED, SKIPPED, LEAK)))).isEmpty();
    }

    @Test
    void namesEveryDifference() {
        Expectation expectation = new Expectation("accept", Set.of(), Optional.of(Set.of("bypass-used")),
                List.of("bypassed"));

        assertThat(expectation.differences(Verdict.of(List.of(SKIPPED, LEAK)))).containsExactly(
                "decision: expected accept, actual reject",
                "errors: expected [], actual [skipped-stage] (unexpected skipped-stage)",
                "warnings: expected [bypass-used], actual [environment-leak] (missing bypass-used; unexpected"
                        + " environment-leak)",
                "messages: no violation or note contains \"bypassed\"");
    }

    @Test
    void findsMessagesInNotesToo() {
        Expectation expectation = new Expectation("accept", Set.of(), Optional.empty(), List.of("bypass ignored"));

        assertThat(expectation.differences(new Verdict(List.of(), List.of("bypass ignored: give a reason")))).isEmpty();
    }
}
