package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentGraphTest {

    /** development -> testing -> staging -> production. */
    private static final EnvironmentGraph CHAIN = new EnvironmentGraph(List.of(
            environment("development"),
            environment("testing", "development"),
            environment("staging", "testing"),
            environment("production", "staging")));

    /**
     * integration fans out to gpu and load; staging fans in from both; production takes
     * staging, or hotfix (a second entry) directly.
     */
    private static final EnvironmentGraph DIAMOND = new EnvironmentGraph(List.of(
            environment("production", "staging", "hotfix"),
            environment("staging", "gpu", "load"),
            environment("gpu", "integration"),
            environment("load", "integration"),
            environment("integration"),
            environment("hotfix")));

    @Test
    void aChain() {
        assertThat(names(CHAIN.entries())).containsExactly("development");
        assertThat(names(CHAIN.upstreamsOf("staging"))).containsExactly("testing");
        assertThat(names(CHAIN.downstreamsOf("staging"))).containsExactly("production");
        assertThat(names(CHAIN.upstreamsOf("development"))).isEmpty();
        assertThat(names(CHAIN.downstreamsOf("production"))).isEmpty();
        assertThat(names(CHAIN.chainAbove("production"))).containsExactly("staging", "testing", "development");
        assertThat(names(CHAIN.chainAbove("development"))).isEmpty();
        assertThat(names(CHAIN.topologicalOrder())).containsExactly("development", "testing", "staging", "production");
    }

    @Test
    void fanOutAndFanIn() {
        assertThat(names(DIAMOND.entries())).containsExactly("integration", "hotfix");
        assertThat(names(DIAMOND.downstreamsOf("integration"))).containsExactly("gpu", "load");
        assertThat(names(DIAMOND.upstreamsOf("staging"))).containsExactly("gpu", "load");
        assertThat(names(DIAMOND.upstreamsOf("production"))).containsExactly("staging", "hotfix");
    }

    @Test
    void chainAboveIsBreadthFirstWithoutDuplicates() {
        assertThat(names(DIAMOND.chainAbove("production")))
                .containsExactly("staging", "hotfix", "gpu", "load", "integration");
        assertThat(names(DIAMOND.chainAbove("staging"))).containsExactly("gpu", "load", "integration");
    }

    @Test
    void topologicalOrderStartsWithTheEntriesAndPutsEveryEnvironmentAfterItsUpstreams() {
        assertThat(names(DIAMOND.topologicalOrder()))
                .containsExactly("integration", "hotfix", "gpu", "load", "staging", "production");
    }

    @Test
    void anUnknownEnvironmentNameIsAProgrammingError() {
        assertThatThrownBy(() -> CHAIN.upstreamsOf("qa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qa");
    }

    @Test
    void rejectsWhatIsNoGraph() {
        assertThatThrownBy(() -> new EnvironmentGraph(List.of(environment("a"), environment("a"))))
                .hasMessageContaining("two environments are named a");
        assertThatThrownBy(() -> new EnvironmentGraph(List.of(environment("a", "b"))))
                .hasMessageContaining("unknown environment b");
        assertThatThrownBy(() -> new EnvironmentGraph(List.of(environment("a", "a"))))
                .hasMessageContaining("a promotes from itself");
        assertThatThrownBy(() -> new EnvironmentGraph(List.of(environment("a", "b"), environment("b", "a"))))
                .hasMessageContaining("promotion cycle");
    }

    @Test
    void cyclesAreNamedInPromotionOrder() {
        Map<String, List<String>> promotesFrom = new LinkedHashMap<>();
        promotesFrom.put("entry", List.of());
        promotesFrom.put("a", List.of("entry", "c"));
        promotesFrom.put("b", List.of("a"));
        promotesFrom.put("c", List.of("b"));

        assertThat(EnvironmentGraph.cycles(promotesFrom)).containsExactly(List.of("a", "b", "c", "a"));
    }

    @Test
    void everyCycleIsFoundOnceAndSelfReferencesAndUnknownNamesAreLeftToTheLoader() {
        Map<String, List<String>> promotesFrom = new LinkedHashMap<>();
        promotesFrom.put("a", List.of("b", "a", "nowhere"));
        promotesFrom.put("b", List.of("a"));
        promotesFrom.put("c", List.of("d"));
        promotesFrom.put("d", List.of("c"));

        assertThat(EnvironmentGraph.cycles(promotesFrom))
                .containsExactly(List.of("a", "b", "a"), List.of("c", "d", "c"));
    }

    @Test
    void anAcyclicGraphHasNoCycles() {
        Map<String, List<String>> promotesFrom = new LinkedHashMap<>();
        promotesFrom.put("a", List.of());
        promotesFrom.put("b", List.of("a"));
        promotesFrom.put("c", List.of("a", "b"));

        assertThat(EnvironmentGraph.cycles(promotesFrom)).isEmpty();
    }

    static Environment environment(String name, String... promotesFrom) {
        return new Environment(name, name, List.of(promotesFrom), UpstreamMode.ALL, List.of(), Optional.empty(),
                List.of(), Protections.DEFAULTS);
    }

    private static List<String> names(List<Environment> environments) {
        return environments.stream().map(Environment::name).toList();
    }
}
