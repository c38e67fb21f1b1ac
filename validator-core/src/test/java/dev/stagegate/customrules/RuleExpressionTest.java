package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleExpressionTest {

    @Test
    void aBoolExpressionCompiles() {
        RuleExpression.Compilation compilation = RuleExpression.compile("object.replicas >= 2", ResultType.BOOL);

        assertThat(compilation.succeeded()).isTrue();
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.expression().text()).isEqualTo("object.replicas >= 2");
        assertThat(compilation.expression().resultType()).isEqualTo(ResultType.BOOL);
    }

    @Test
    void everyVariableIsDeclared() {
        assertThat(problems("object != null && oldObject == null && path != '' && environment != '' && branch != ''"))
                .isEmpty();
        assertThat(problems("objekt.replicas > 1")).singleElement()
                .isEqualTo(new ExpressionProblem(0, "undeclared reference to 'objekt' (in container '')"));
    }

    @Test
    void aParseErrorCarriesItsOffset() {
        List<ExpressionProblem> problems = problems("object.replicas >= 2 &&");

        assertThat(problems).isNotEmpty();
        assertThat(problems.get(0).offset()).isEqualTo("object.replicas >= 2 &&".length());
        assertThat(problems.get(0).message()).contains("mismatched input '<EOF>'");
    }

    @Test
    void aTypeErrorCarriesTheOffsetOfItsOperator() {
        List<ExpressionProblem> problems = problems("object.replicas >= 2 && 'a' + 1 == 'a1'");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.offset()).isEqualTo("object.replicas >= 2 && 'a' ".length());
            assertThat(problem.message()).startsWith("found no matching overload for '_+_' applied to '(string, int)'");
        });
    }

    @Test
    void offsetsCountCharactersAfterCharactersOutsideTheBasicPlane() {
        String expression = "object.name == '\uD83D\uDE80' && 'a' + 1 == 'a1'";

        assertThat(problems(expression)).singleElement()
                .extracting(ExpressionProblem::offset).isEqualTo(expression.indexOf("+ 1"));
    }

    @Test
    void aResultThatIsNoBoolIsACompileProblem() {
        assertThat(problems("'replicas'")).singleElement()
                .isEqualTo(new ExpressionProblem(0, "the expression gives a string, it must give a bool"));
        assertThat(problems("[1, 2].map(x, x * 2)")).singleElement()
                .extracting(ExpressionProblem::message).isEqualTo("the expression gives a list, it must give a bool");
    }

    @Test
    void aMessageExpressionMustGiveAString() {
        assertThat(RuleExpression.compile("'replicas is ' + string(object.replicas)", ResultType.STRING).problems())
                .isEmpty();
        assertThat(RuleExpression.compile("object.replicas >= 2", ResultType.STRING).problems()).singleElement()
                .extracting(ExpressionProblem::message).isEqualTo("the expression gives a bool, it must give a string");
    }

    @Test
    void aDynamicResultCompilesAndIsCheckedWhenEvaluated() {
        assertThat(problems("object.enabled")).isEmpty();
    }

    @Test
    void anExpressionLongerThanTheLimitIsRefusedBeforeParsing() {
        String expression = "true && ".repeat(12_500) + "true"; // 100 KB

        long started = System.nanoTime();
        List<ExpressionProblem> problems = problems(expression);

        assertThat(problems).singleElement().isEqualTo(
                new ExpressionProblem(0, "the expression is 100004 characters long; at most 2000 are allowed"));
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    @Test
    void deepNestingStopsTheParser() {
        String parentheses = "(".repeat(500) + "true" + ")".repeat(500);

        assertThat(problems(parentheses)).isNotEmpty().first().extracting(ExpressionProblem::message).asString()
                .containsIgnoringCase("recursion");
    }

    @Test
    void deepRecursionThroughMacrosStopsTheParser() {
        String expression = "[1].all(x, ".repeat(150) + "true" + ")".repeat(150);

        assertThat(problems(expression)).isNotEmpty().first().extracting(ExpressionProblem::message)
                .asString().containsIgnoringCase("recursion");
    }

    @Test
    void tooManyNodesStopTheParser() {
        RuleLimits fewNodes = new RuleLimits(2_000, 50, 100, 1_000, 100_000_000L, 1_000_000L, 100_000);
        String expression = "size([" + "1, ".repeat(150) + "1]) > 0";

        assertThat(RuleExpression.compile(expression, ResultType.BOOL, fewNodes).problems()).isNotEmpty().first()
                .extracting(ExpressionProblem::message).asString().containsIgnoringCase("node");
    }

    @Test
    void twoNestedComprehensionsStayUnderTheEstimatedCostLimit() {
        RuleExpression.Compilation compilation = RuleExpression.compile(
                "object.spec.containers.all(c, c.ports.all(p, p.containerPort > 1024 && p.protocol == 'TCP'))",
                ResultType.BOOL);

        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.expression().estimatedCost()).isBetween(1_000_000L, 100_000_000L);
    }

    @Test
    void threeNestedComprehensionsExceedTheEstimatedCostLimit() {
        assertThat(problems("object.a.all(x, object.b.all(y, object.c.all(z, x + y + z > 0)))")).singleElement()
                .isEqualTo(new ExpressionProblem(0, "the expression's estimated cost exceeds the limit of 100000000"
                        + " (each comprehension such as all() or map() is assumed to run 1000 times, nested ones"
                        + " multiply): nest fewer"));
    }

    @Test
    void anEmptyExpressionIsAProblem() {
        assertThat(problems("  ")).singleElement().isEqualTo(new ExpressionProblem(0, "the expression is empty"));
    }

    private static List<ExpressionProblem> problems(String expression) {
        RuleExpression.Compilation compilation = RuleExpression.compile(expression, ResultType.BOOL);
        assertThat(compilation.succeeded()).isEqualTo(compilation.problems().isEmpty());
        return compilation.problems();
    }
    @Test
    void eachDistinctTextIsCompiledOncePerProcess() {
        RuleExpression.Compilation first = RuleExpression.compile("object.memoised == 1", ResultType.BOOL);

        assertThat(RuleExpression.compile("object.memoised == 1", ResultType.BOOL)).isSameAs(first);
        assertThat(RuleExpression.compile("object.memoised == 2", ResultType.BOOL)).isNotSameAs(first);
        assertThat(RuleExpression.compile("'memoised'", ResultType.STRING))
                .isNotSameAs(RuleExpression.compile("'memoised'", ResultType.BOOL));
    }
}
