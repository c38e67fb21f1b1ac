package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.ast.CelExpr;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    private static final long CEILING = 100_000_000L;

    @Test
    void anExpressionWithoutComprehensionsCostsItsNodes() {
        // object, .replicas, 2, >=
        assertThat(estimate("object.replicas >= 2")).isEqualTo(4);
    }

    @Test
    void aComprehensionPaysForEachAssumedIteration() {
        long one = estimate("object.ports.all(p, p > 1024)");
        long two = estimate("object.ports.all(p, object.ports.all(q, p != q))");

        assertThat(one).isBetween(1_000L, 10_000L);
        assertThat(two).isGreaterThan(one * 500);
    }

    @Test
    void deepNestingSaturatesInsteadOfOverflowing() {
        String nested = "[1].all(x, ".repeat(20) + "true" + ")".repeat(20);

        assertThat(estimate(nested)).isEqualTo(CEILING + 1);
    }

    private static long estimate(String expression) {
        try {
            CelExpr ast = RuleLanguage.compiler(RuleLimits.DEFAULT).compile(expression).getAst().getExpr();
            return CostEstimate.of(ast, 1_000, CEILING);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
