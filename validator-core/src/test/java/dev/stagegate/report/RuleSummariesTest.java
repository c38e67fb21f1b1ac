package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.policy.RuleIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSummariesTest {

    @Test
    void coversEveryRuleIdAndTheRunErrorInPolicyOrder() {
        List<String> expected = new ArrayList<>(RuleIds.ALL);
        expected.add(Violation.RUN_ERROR);

        assertThat(RuleSummaries.ids()).containsExactlyElementsOf(expected);
    }

    @Test
    void summariesAreOneLineSentences() {
        for (String id : RuleSummaries.ids()) {
            assertThat(RuleSummaries.of(id)).as(id).doesNotContain("\n").endsWith(".").isNotEqualTo(id);
        }
        assertThat(RuleSummaries.of("no-such-rule")).isEqualTo("no-such-rule");
    }

    @Test
    void defaultSeveritiesFollowThePolicyDefaults() {
        for (String id : RuleIds.ALL) {
            boolean warns = RuleIds.DEFAULT_WARN.contains(id) || RuleIds.BYPASS_USED.equals(id);
            assertThat(RuleSummaries.defaultSeverity(id)).as(id).isEqualTo(warns ? Severity.WARNING : Severity.ERROR);
        }
    }
}
