package dev.stagegate.policy;

import static dev.stagegate.policy.EnvironmentGraphTest.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTest {

    private static final List<Environment> CHAIN = List.of(
            environment("development"),
            environment("testing", "development"),
            environment("production", "testing"));

    @Test
    void underModeEnforceEveryRuleIsEnforcedButTheDefaultWarnings() {
        Policy policy = policy(RuleMode.ENFORCE, Map.of());

        for (String rule : RuleIds.ALL) {
            RuleMode expected = RuleIds.DEFAULT_WARN.contains(rule) || rule.equals(RuleIds.BYPASS_USED)
                    ? RuleMode.WARN
                    : RuleMode.ENFORCE;
            assertThat(policy.modeOf(rule)).as(rule).isEqualTo(expected);
        }
        assertThat(policy.modeOf(RuleIds.POLICY_LOOSENED)).isEqualTo(RuleMode.WARN);
        assertThat(policy.modeOf(RuleIds.ENVIRONMENT_LEAK)).isEqualTo(RuleMode.WARN);
    }

    @Test
    void underModeWarnEveryRuleWarnsButTheAlwaysEnforcedOnes() {
        Policy policy = policy(RuleMode.WARN, Map.of());

        for (String rule : RuleIds.ALL) {
            RuleMode expected = RuleIds.ALWAYS_ENFORCED.contains(rule) ? RuleMode.ENFORCE : RuleMode.WARN;
            assertThat(policy.modeOf(rule)).as(rule).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(RuleMode.class)
    void ruleModesOverrideModeAndTheDefaultWarnings(RuleMode mode) {
        Policy policy = policy(RuleMode.ENFORCE, Map.of(
                RuleIds.FREEZE_WINDOW, mode,
                RuleIds.POLICY_LOOSENED, mode));

        assertThat(policy.modeOf(RuleIds.FREEZE_WINDOW)).isEqualTo(mode);
        assertThat(policy.modeOf(RuleIds.POLICY_LOOSENED)).isEqualTo(mode);
        assertThat(policy.modeOf(RuleIds.SKIPPED_STAGE)).isEqualTo(RuleMode.ENFORCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {RuleIds.POLICY_INVALID, RuleIds.EVIDENCE_TAMPER, RuleIds.REF_SHADOWING})
    void nothingWeakensTheAlwaysEnforcedRules(String rule) {
        Policy policy = policy(RuleMode.WARN, Map.of(rule, RuleMode.OFF));

        assertThat(policy.modeOf(rule)).isEqualTo(RuleMode.ENFORCE);
    }

    @Test
    void bypassUsedIsAlwaysAWarning() {
        assertThat(policy(RuleMode.ENFORCE, Map.of(RuleIds.BYPASS_USED, RuleMode.OFF)).modeOf(RuleIds.BYPASS_USED))
                .isEqualTo(RuleMode.WARN);
        assertThat(policy(RuleMode.ENFORCE, Map.of(RuleIds.BYPASS_USED, RuleMode.ENFORCE))
                .modeOf(RuleIds.BYPASS_USED)).isEqualTo(RuleMode.WARN);
    }

    @Test
    void anUnknownRuleIdIsAProgrammingError() {
        Policy policy = policy(RuleMode.ENFORCE, Map.of());

        assertThatThrownBy(() -> policy.modeOf("skipped-stages"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("skipped-stages");
    }

    @Test
    void ruleIdsListEveryRuleOfPolicyV1Once() {
        assertThat(RuleIds.ALL).hasSize(13).doesNotHaveDuplicates();
        assertThat(RuleIds.ALL).containsAll(RuleIds.ALWAYS_ENFORCED).containsAll(RuleIds.DEFAULT_WARN);
    }

    @Test
    void findsEnvironmentsByNameAndByBranch() {
        Policy policy = new Policy("policy.yaml", List.of(
                new Environment("production", "main", List.of(), UpstreamMode.ALL, List.of(), Optional.empty(),
                        List.of(), Protections.DEFAULTS)),
                List.of(), List.of(), EvidenceSettings.DEFAULTS, Protections.DEFAULTS, PromotionSettings.DEFAULTS,
                Set.of(), RuleMode.ENFORCE, Map.of(), People.NONE);

        assertThat(policy.environmentOfBranch("main")).map(Environment::name).contains("production");
        assertThat(policy.environmentOfBranch("production")).isEmpty();
        assertThat(policy.environmentOfBranch("refs/heads/main")).isEmpty();
        assertThat(policy.environment("production")).map(Environment::branch).contains("main");
        assertThat(policy.environment("main")).isEmpty();
    }

    @Test
    void equalPoliciesAreEqual() {
        assertThat(policy(RuleMode.WARN, Map.of(RuleIds.FORCE_PUSH, RuleMode.OFF)))
                .isEqualTo(policy(RuleMode.WARN, Map.of(RuleIds.FORCE_PUSH, RuleMode.OFF)))
                .hasSameHashCodeAs(policy(RuleMode.WARN, Map.of(RuleIds.FORCE_PUSH, RuleMode.OFF)))
                .isNotEqualTo(policy(RuleMode.ENFORCE, Map.of(RuleIds.FORCE_PUSH, RuleMode.OFF)));
    }

    @Test
    void rejectsWhatTheEngineCouldNotWorkWith() {
        assertThatThrownBy(() -> policy(RuleMode.OFF, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy(RuleMode.ENFORCE, Map.of("no-such-rule", RuleMode.WARN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withEnvironments(List.of(environment("a"),
                new Environment("b", "a", List.of(), UpstreamMode.ALL, List.of(), Optional.empty(), List.of(),
                        Protections.DEFAULTS))))
                .hasMessageContaining("two environments use branch a");
        assertThatThrownBy(() -> withEnvironments(List.of(environment("a", "b"))))
                .hasMessageContaining("unknown environment b");
        assertThatThrownBy(() -> withEnvironments(List.of(new Environment("a", "a", List.of(), UpstreamMode.ALL,
                List.of(new EvidenceRequirement("smoke", "nowhere", null)), Optional.empty(), List.of(),
                Protections.DEFAULTS))))
                .hasMessageContaining("requires evidence from unknown environment nowhere");
    }

    @Test
    void ruleModesMayNameACustomRuleOnlyBesideIt() {
        CustomRule replicas = new CustomRule("replicas", List.of(), List.of("apps/**"), List.of(), "true",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(RuleMode.ENFORCE));
        Map<String, RuleMode> modes = Map.of("replicas", RuleMode.OFF, RuleIds.FORCE_PUSH, RuleMode.WARN);

        Policy policy = policy(RuleMode.ENFORCE, Map.of()).withCustomRules(List.of(replicas), modes);

        assertThat(policy.modeOf("replicas")).isEqualTo(RuleMode.OFF);
        assertThat(policy.modeOf(RuleIds.FORCE_PUSH)).isEqualTo(RuleMode.WARN);
        assertThat(policy.ruleModes()).isEqualTo(modes);
        assertThatThrownBy(() -> policy(RuleMode.ENFORCE, Map.of()).withCustomRules(List.of(), modes))
                .hasMessage("unknown rule id in ruleModes: replicas");
    }

    private static Policy policy(RuleMode mode, Map<String, RuleMode> ruleModes) {
        return new Policy("policy.yaml", CHAIN, List.of("env/**"), List.of(), EvidenceSettings.DEFAULTS,
                Protections.DEFAULTS, PromotionSettings.DEFAULTS, Set.of(), mode, ruleModes, People.NONE);
    }

    private static Policy withEnvironments(List<Environment> environments) {
        return new Policy("policy.yaml", environments, List.of(), List.of(), EvidenceSettings.DEFAULTS,
                Protections.DEFAULTS, PromotionSettings.DEFAULTS, Set.of(), RuleMode.ENFORCE, Map.of(), People.NONE);
    }
}
