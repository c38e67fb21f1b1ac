package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CustomRuleTest {

    @Test
    void anOrdinaryIdIsAccepted() {
        assertThat(rule("team-replicas").id()).isEqualTo("team-replicas");
    }

    @Test
    void theIdOfABuiltInRuleIsRefused() {
        assertThatThrownBy(() -> rule(RuleIds.FORCE_PUSH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("built-in id");
    }

    @Test
    void thePseudoIdsOfRunAndUsageErrorsAreRefused() {
        for (String reserved : List.of(Violation.RUN_ERROR, Violation.USAGE_ERROR)) {
            assertThatThrownBy(() -> rule(reserved))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a custom rule cannot take the reserved id " + reserved);
        }
    }

    private static CustomRule rule(String id) {
        return new CustomRule(id, List.of(), List.of("apps/**"), List.of(), "true", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
