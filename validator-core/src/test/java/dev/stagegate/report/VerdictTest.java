package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final RuleDescription REPLICAS =
            new RuleDescription("prod-replicas", "at least two replicas", Severity.ERROR, true);
    private static final RuleDescription LATEST =
            new RuleDescription("no-latest", "no :latest tag", Severity.WARNING, true);

    @Test
    void customRulesOfSeveralPoliciesAddUpAndAnIdKeepsItsFirstDescription() {
        Verdict first = Verdict.of(List.of()).withCustomRules(List.of(REPLICAS));
        Verdict second = Verdict.of(List.of()).withCustomRules(List.of(
                new RuleDescription("prod-replicas", "another policy's wording", Severity.WARNING, true), LATEST));

        Verdict both = first.plus(second);

        assertThat(both.customRules()).containsExactly(REPLICAS, LATEST);
        assertThat(both.customRule("no-latest")).contains(LATEST);
        assertThat(both.customRule("schema-violation")).isEmpty();
        assertThat(first.withCustomRules(second.customRules()).customRules()).containsExactly(REPLICAS, LATEST);
    }

    @Test
    void notesMappingsAndManifestsKeepTheCustomRules() {
        Verdict verdict = Verdict.accepted().withCustomRules(List.of(REPLICAS));

        assertThat(verdict.withNote("n").withMappings(List.of())
                .withManifests(new ManifestSummary(0, 0, 0, List.of())).customRules()).containsExactly(REPLICAS);
    }

    @Test
    void aSummaryIsOneLine() {
        assertThat(new RuleDescription("r", "  has(object.a) &&\n   object.a > 1\n", Severity.ERROR, true).summary())
                .isEqualTo("has(object.a) && object.a > 1");
    }
}
