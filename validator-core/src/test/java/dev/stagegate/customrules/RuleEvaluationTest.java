package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEvaluationTest {

    /** The default runtime limits with the compile-time ones lifted, to reach the runtime ones. */
    private static final RuleLimits RUNTIME_LIMITS_ONLY = new RuleLimits(100_000, 200, 100_000, 1,
            Long.MAX_VALUE / 2, RuleLimits.DEFAULT.maxRuntimeCost(), RuleLimits.DEFAULT.maxIterations());

    private static final String VALUES = """
            replicas: 3
            image: registry.example.com/shop/cart:1.4.2
            cpu: 0.5
            debug: false
            owner: null
            ports: [80, 443]
            labels: {team: shop, tier: web}
            """;

    @Test
    void eachVariableIsVisible() {
        RuleVariables variables = RuleVariables.of(document(VALUES), null, "apps/cart/values.yaml", "production", "main");

        assertThat(holds("object.replicas == 3", variables)).isTrue();
        assertThat(holds("oldObject == null", variables)).isTrue();
        assertThat(holds("path == 'apps/cart/values.yaml'", variables)).isTrue();
        assertThat(holds("environment == 'production'", variables)).isTrue();
        assertThat(holds("branch == 'main'", variables)).isTrue();
    }

    @Test
    void everyYamlTypeHasItsCelValue() {
        RuleVariables variables = RuleVariables.of(document(VALUES), null, "p", "e", "b");

        assertThat(holds("type(object.replicas) == int && object.replicas + 1 == 4", variables)).isTrue();
        assertThat(holds("type(object.cpu) == double && object.cpu * 2.0 == 1.0", variables)).isTrue();
        assertThat(holds("object.image.startsWith('registry.example.com/')", variables)).isTrue();
        assertThat(holds("object.debug == false", variables)).isTrue();
        assertThat(holds("object.owner == null", variables)).isTrue();
        assertThat(holds("object.ports == [80, 443] && object.ports.size() == 2 && 443 in object.ports", variables))
                .isTrue();
        assertThat(holds("object.labels == {'team': 'shop', 'tier': 'web'} && 'team' in object.labels", variables))
                .isTrue();
        assertThat(holds("object.labels.all(k, object.labels[k] != '')", variables)).isTrue();
    }

    @Test
    void aFalseResultDoesNotHold() {
        RuleEvaluation.Result result = evaluate("object.replicas >= 5", variablesOf(VALUES));

        assertThat(result.failed()).isFalse();
        assertThat(result.holds()).isFalse();
        assertThat(result.value()).isEqualTo(false);
    }

    @Test
    void aMissingKeyIsAnErrorThatNamesIt() {
        RuleEvaluation.Result result = evaluate("object.resources.limits.cpu != ''", variablesOf(VALUES));

        assertThat(result.failed()).isTrue();
        assertThat(result.holds()).isFalse();
        assertThat(result.error()).isEqualTo("no such key: resources");
    }

    @Test
    void hasGuardsAMissingKey() {
        RuleEvaluation.Result result = evaluate("!has(object.resources) || object.resources.limits.cpu != ''",
                variablesOf(VALUES));

        assertThat(result.failed()).isFalse();
        assertThat(result.holds()).isTrue();
    }

    @Test
    void aTypeMismatchSaysSo() {
        RuleEvaluation.Result result = evaluate("object.image > 2", variablesOf(VALUES));

        assertThat(result.error()).isEqualTo("type mismatch: no '_>_' for these operand types");
    }

    @Test
    void aDynamicResultThatIsNoBoolIsAnError() {
        RuleEvaluation.Result result = evaluate("object.replicas", variablesOf(VALUES));

        assertThat(result.error()).isEqualTo("the expression gave a int, not a bool");
        assertThat(result.holds()).isFalse();
    }

    @Test
    void numbersCompareAcrossIntAndDouble() {
        assertThat(holds("object.cpu < 1 && object.replicas > 2.5", variablesOf(VALUES))).isTrue();
    }

    @Test
    void aTransitionRuleSeesTheOldDocumentOrNull() {
        String rule = "oldObject == null || object.replicas * 2 >= oldObject.replicas";

        assertThat(holds(rule, RuleVariables.of(document("replicas: 1"), null, "p", "e", "b"))).isTrue();
        assertThat(holds(rule, RuleVariables.of(document("replicas: 3"), document("replicas: 4"), "p", "e", "b")))
                .isTrue();
        assertThat(holds(rule, RuleVariables.of(document("replicas: 1"), document("replicas: 4"), "p", "e", "b")))
                .isFalse();
    }

    @Test
    void theExtensionsKubernetesHasAreThere() {
        RuleVariables variables = variablesOf(VALUES);

        assertThat(holds("'a,b'.split(',') == ['a', 'b']", variables)).isTrue();
        assertThat(holds("object.image.matches('^registry\\\\.example\\\\.com/')", variables)).isTrue();
        assertThat(holds("object.image.lastIndexOf(':') > 0 && object.image.substring(0, 8) == 'registry'", variables))
                .isTrue();
        assertThat(holds("'Cart'.lowerAscii() == 'cart' && ' x '.trim() == 'x'", variables)).isTrue();
        assertThat(holds("regex.extract(object.image, ':(.*)$') == optional.of('1.4.2')", variables)).isTrue();
        assertThat(holds("math.greatest(object.ports) == 443", variables)).isTrue();
        assertThat(holds("sets.contains(object.ports, [443])", variables)).isTrue();
        assertThat(holds("[[1], [2, 3]].flatten() == [1, 2, 3]", variables)).isTrue();
        assertThat(holds("base64.encode(b'hi') == 'aGk='", variables)).isTrue();
        assertThat(holds("cel.bind(tag, object.image.split(':')[1], tag != 'latest')", variables)).isTrue();
        assertThat(holds("object.ports.exists_one(p, p == 80) && object.ports.filter(p, p > 100).size() == 1",
                variables)).isTrue();
    }

    @Test
    void aMessageExpressionGivesText() {
        RuleExpression message = compiled("'replicas is ' + string(object.replicas)", ResultType.STRING);

        RuleEvaluation.Result result = RuleEvaluation.evaluate(message, variablesOf(VALUES));

        assertThat(result.text()).isEqualTo("replicas is 3");
    }

    @Test
    void aFailingMessageExpressionReportsItsError() {
        RuleExpression message = compiled("'cpu is ' + object.resources.cpu", ResultType.STRING);

        RuleEvaluation.Result result = RuleEvaluation.evaluate(message, variablesOf(VALUES));

        assertThat(result.text()).isNull();
        assertThat(result.error()).isEqualTo("no such key: resources");
    }

    @Test
    void anIntegerBeyondInt64IsAnErrorNamingWhere() {
        RuleVariables variables = variablesOf("limits:\n  big: 123456789012345678901234567890\n  small: 1\n");

        assertThat(holds("object.limits.small == 1", variables)).isTrue();
        assertThat(evaluate("object.limits.big > 0", variables).error())
                .isEqualTo("the integer 123456789012345678901234567890 at /limits/big is beyond CEL's 64-bit int range");
    }

    @Test
    void aDocumentThatIsOneHugeIntegerErrsOnEveryRule() {
        RuleVariables variables = variablesOf("123456789012345678901234567890\n");

        assertThat(evaluate("true", variables).error()).contains("at the document's root is beyond");
    }

    @Test
    void anExpiredDeadlineStopsTheEvaluation() {
        RuleExpression rule = compiled("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
                + ".all(b, a * b > 0))", ResultType.BOOL);

        RuleEvaluation.Result result = RuleEvaluation.evaluate(rule, variablesOf(VALUES), System.nanoTime() - 1);

        assertThat(result.error()).startsWith("deadline reached");
    }

    @Test
    void aDeadlineAheadLetsTheEvaluationFinish() {
        RuleExpression rule = compiled("object.replicas >= 2", ResultType.BOOL);

        RuleEvaluation.Result result =
                RuleEvaluation.evaluate(rule, variablesOf(VALUES), System.nanoTime() + 5_000_000_000L);

        assertThat(result.holds()).isTrue();
    }

    // Hostile expressions: each stopped by a limit, with a message, well within a second.

    @Test
    void aStringDoubledByBindingsHitsTheSizeLimit() {
        StringBuilder expression = new StringBuilder("cel.bind(s0, 'xxxxxxxxxxxxxxxx', ");
        for (int i = 1; i <= 40; i++) {
            expression.append("cel.bind(s").append(i).append(", s").append(i - 1).append(" + s").append(i - 1).append(", ");
        }
        expression.append("s40.size() > 0").append(")".repeat(41));

        assertThat(timedError(expression.toString(), variablesOf(VALUES))).isEqualTo("string size limit exceeded:"
                + " the expression built a string of 1048576 characters; at most 1000000 are allowed");
    }

    @Test
    void aListDoubledByBindingsHitsTheSizeLimit() {
        StringBuilder expression = new StringBuilder("cel.bind(l0, [1, 2, 3, 4, 5, 6, 7, 8], ");
        for (int i = 1; i <= 40; i++) {
            expression.append("cel.bind(l").append(i).append(", l").append(i - 1).append(" + l").append(i - 1).append(", ");
        }
        expression.append("l40.size() > 0").append(")".repeat(41));

        assertThat(timedError(expression.toString(), variablesOf(VALUES))).isEqualTo("list size limit exceeded:"
                + " the expression built a list or map of 1048576 elements; at most 1000000 are allowed");
    }

    @Test
    void nestedMapsOverAListHitTheIterationOrCostLimit() {
        String hundred = "[" + String.join(", ", java.util.Collections.nCopies(100, "1")) + "]";
        String expression = hundred + ".map(a, " + hundred + ".map(b, " + hundred + ".map(c, c))).size() > 0";

        assertThat(RuleExpression.compile(expression, ResultType.BOOL).problems())
                .extracting(ExpressionProblem::message)
                .singleElement().asString().startsWith("the expression's estimated cost exceeds the limit");
        RuleExpression rule = RuleExpression.compile(expression, ResultType.BOOL, RUNTIME_LIMITS_ONLY).expression();

        long started = System.nanoTime();
        String error = RuleEvaluation.evaluate(rule, variablesOf(VALUES)).error();
        assertThat(error).containsAnyOf("cost limit exceeded", "iteration limit exceeded");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void aListOfTheDocumentIteratedInNestedLoopsHitsALimit() {
        StringBuilder yaml = new StringBuilder("items:\n");
        for (int i = 0; i < 2_000; i++) {
            yaml.append("  - ").append(i).append('\n');
        }
        String expression = "object.items.all(a, object.items.all(b, a + b >= 0))";

        assertThat(timedError(expression, variablesOf(yaml.toString())))
                .isEqualTo("iteration limit exceeded: the comprehensions (all, map, ...) ran more than 100000 times");
    }

    @Test
    void aBacktrackingRegexIsFastUnderRe2() {
        RuleEvaluation.Result result = evaluate(
                "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')", variablesOf(VALUES));

        assertThat(result.failed()).isFalse();
        assertThat(result.holds()).isFalse();
    }

    @Test
    void aReplaceWhoseResultWouldBeHugeIsRefusedBeforeItIsBuilt() {
        String expression = "cel.bind(s, '" + "a".repeat(1_800) + "', cel.bind(t, s.replace('', s),"
                + " t.replace('', t).size() > 0))";

        assertThat(RuleExpression.compile(expression, ResultType.BOOL).problems()).isEmpty();
        assertThat(quickError(expression, RuleLimits.DEFAULT, variablesOf(VALUES)))
                .startsWith("string size limit exceeded: replace would build a string of ")
                .endsWith("characters; at most 1000000 are allowed");
    }

    @Test
    void aRegexReplaceWhoseResultWouldBeHugeIsRefusedBeforeItIsBuilt() {
        String expression = "cel.bind(s, '" + "a".repeat(1_800) + "', regex.replace(s, '', s).size() > 0)";

        assertThat(quickError(expression, RuleLimits.DEFAULT, variablesOf(VALUES)))
                .startsWith("string size limit exceeded: regex.replace would build a string of ");
    }

    @Test
    void aJoinWhoseResultWouldBeHugeIsRefusedBeforeItIsBuilt() {
        String expression = "cel.bind(s, '" + "a".repeat(1_000) + "'.replace('', '" + "b".repeat(990)
                + "'), lists.range(2000).map(i, s).join().size() > 0)";

        assertThat(quickError(expression, RUNTIME_LIMITS_ONLY, variablesOf(VALUES)))
                .startsWith("string size limit exceeded: join would build a string of ");
    }

    @Test
    void aStringGrownStepByStepPastTheSizeLimitStopsThere() {
        StringBuilder expression = new StringBuilder("cel.bind(s0, '" + "x".repeat(1_000) + "', ");
        for (int i = 1; i <= 12; i++) {
            expression.append("cel.bind(s").append(i).append(", s").append(i - 1).append(".replace('x', 'xx')"
                    + " + s").append(i - 1).append(".replace('x', 'xx'), ");
        }
        expression.append("s12.size() > 0").append(")".repeat(13));
        RuleLimits unlimitedCost = new RuleLimits(100_000, 200, 100_000, 1, Long.MAX_VALUE / 2, Long.MAX_VALUE,
                RuleLimits.DEFAULT.maxIterations());

        assertThat(quickError(expression.toString(), unlimitedCost, variablesOf(VALUES)))
                .isEqualTo("string size limit exceeded: the expression built a string of 1024000 characters;"
                        + " at most 1000000 are allowed");
    }

    @Test
    void aPatternFromTheDocumentWithNestedRepeatsIsRefusedBeforeItIsCompiled() {
        RuleVariables variables = variablesOf("""
                s: aaaa
                p: "((((a{100}){100}){100}){100}){100}"
                """);

        assertThat(quickError("object.s.matches(object.p)", RuleLimits.DEFAULT, variables))
                .isEqualTo("regex limit exceeded: the pattern's nested repeat counts multiply to 10000000000;"
                        + " at most 1000 are allowed");
        assertThat(quickError("regex.extract(object.s, object.p) == optional.none()", RuleLimits.DEFAULT,
                variables)).startsWith("regex limit exceeded: the pattern's nested repeat counts multiply");
        assertThat(quickError("regex.extractAll(object.s, object.p).size() > 0", RuleLimits.DEFAULT, variables))
                .startsWith("regex limit exceeded");
        assertThat(quickError("regex.replace(object.s, object.p, 'b') != ''", RuleLimits.DEFAULT, variables))
                .startsWith("regex limit exceeded");
    }

    @Test
    void aPatternLongerThanTheLimitIsRefused() {
        RuleVariables variables = variablesOf("s: aaaa\np: \"" + "a".repeat(1_001) + "\"\n");

        assertThat(quickError("object.s.matches(object.p)", RuleLimits.DEFAULT, variables))
                .isEqualTo("regex limit exceeded: the pattern is 1001 characters long; at most 1000 are allowed");
    }

    @Test
    void ordinaryReplaceAndRegexCallsStillWork() {
        RuleVariables variables = variablesOf(VALUES);

        assertThat(holds("object.image.replace('cart', 'basket') == 'registry.example.com/shop/basket:1.4.2'",
                variables)).isTrue();
        assertThat(holds("'a.b.c'.replace('.', '/', 1) == 'a/b.c' && 'ab'.replace('', '-') == '-a-b-'", variables))
                .isTrue();
        assertThat(holds("['a', 'b'].join('-') == 'a-b' && ['a', 'b'].join() == 'ab'", variables)).isTrue();
        assertThat(holds("matches(object.image, ':[0-9]+\\\\.[0-9]+') && object.image.matches('^[a-z.]+/')",
                variables)).isTrue();
        assertThat(holds("object.labels.team.matches('^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')", variables)).isTrue();
        assertThat(holds("regex.replace(object.image, '([a-z]+):([0-9])', '\\\\2@\\\\1')"
                + " == 'registry.example.com/shop/1@cart.4.2'", variables)).isTrue();
        assertThat(holds("regex.replace('abc', '', '-') == '-a-b-c-'", variables)).isTrue();
        assertThat(holds("regex.extractAll('a1b22', '[0-9]+') == ['1', '22']", variables)).isTrue();
        assertThat(evaluate("object.image.matches('(')", variables).error()).contains("(");
    }

    @Test
    void aFailingFunctionsErrorDoesNotSpellOutItsArguments() {
        RuleVariables variables = variablesOf("s: " + "a".repeat(100_000) + "\n");

        String error = evaluate("regex.extract(object.s, '(a)(a)').hasValue()", variables).error();

        assertThat(error).contains("more than one capturing group").hasSizeLessThan(600);
    }

    @Test
    void aBacktrackingPronePatternOnALongInputStaysLinear() {
        RuleVariables variables = variablesOf("s: " + "a".repeat(100_000) + "!\n");

        long started = System.nanoTime();
        RuleEvaluation.Result result = evaluate("object.s.matches('^(a|aa)+$') || object.s.matches('(a*)*b')",
                variables);

        assertThat(result.error()).isNull();
        assertThat(result.holds()).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    @Test
    void theLargestAliasExpansionTheReaderAllowsStaysWithinTheCostLimit() {
        // 8,997 nodes from aliases, just under the reader's 10,000
        String yaml = """
                a: &a [x, x, x, x, x, x, x, x, x, x]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: [*c, *c, *c, *c, *c, *c, *c]
                """;

        RuleVariables variables = variablesOf(yaml);
        RuleEvaluation.Result walked = RuleEvaluation.evaluate(RuleExpression.compile(
                "object.d.all(c, c.all(b, b.all(a, a.all(leaf, leaf == 'x'))))", ResultType.BOOL, RUNTIME_LIMITS_ONLY).expression(),
                variables);
        RuleEvaluation.Result copied = RuleEvaluation.evaluate(RuleExpression.compile(
                "object.d.map(c, c.map(b, b.map(a, a.map(leaf, leaf + leaf))))"
                        + ".flatten().flatten().flatten().size() == 7000",
                ResultType.BOOL, RUNTIME_LIMITS_ONLY).expression(), variables);

        assertThat(walked.error()).isNull();
        assertThat(walked.holds()).isTrue();
        assertThat(copied.error()).isNull();
        assertThat(copied.holds()).isTrue();
    }

    /** Figures for planning the benchmark (bench/ measures whole processes); nothing asserted. */
    @Test
    void logsCompileAndEvaluationTimesOfATypicalRule() {
        RuleVariables variables = variablesOf(VALUES);
        int rounds = 2_000;
        long compileStarted = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            RuleExpression.compile("object.replicas >= " + i + " && !object.image.endsWith(':latest')",
                    ResultType.BOOL);
        }
        long compileNanos = (System.nanoTime() - compileStarted) / rounds;
        RuleExpression rule = compiled("object.replicas >= 2 && !object.image.endsWith(':latest')", ResultType.BOOL);
        for (int i = 0; i < 20_000; i++) {
            RuleEvaluation.evaluate(rule, variables, System.nanoTime() + 1_000_000_000L);
        }
        long evaluateStarted = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            RuleEvaluation.evaluate(rule, RuleVariables.of(document(VALUES), null, "p", "e", "b"),
                    System.nanoTime() + 1_000_000_000L);
        }
        long withDocumentNanos = (System.nanoTime() - evaluateStarted) / 20_000;
        evaluateStarted = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            RuleEvaluation.evaluate(rule, variables, System.nanoTime() + 1_000_000_000L);
        }
        long evaluateNanos = (System.nanoTime() - evaluateStarted) / 20_000;
        System.out.printf("customrules timings: compile %.1f us, evaluate %.1f us (%.1f us including reading the"
                + " 7-line document)%n", compileNanos / 1e3, evaluateNanos / 1e3, withDocumentNanos / 1e3);
    }

    private static String timedError(String expression, RuleVariables variables) {
        RuleExpression.Compilation compilation = RuleExpression.compile(expression, ResultType.BOOL, RUNTIME_LIMITS_ONLY);
        assertThat(compilation.problems()).isEmpty();
        long started = System.nanoTime();
        RuleEvaluation.Result result = RuleEvaluation.evaluate(compilation.expression(), variables);
        assertThat(System.nanoTime() - started).as("evaluation time (ns)").isLessThan(5_000_000_000L);
        assertThat(result.holds()).isFalse();
        return result.error();
    }

    /** The error of an expression that must fail fast: well under a second, whatever it tried to build. */
    private static String quickError(String expression, RuleLimits limits, RuleVariables variables) {
        RuleExpression.Compilation compilation = RuleExpression.compile(expression, ResultType.BOOL, limits);
        assertThat(compilation.problems()).as(expression).isEmpty();
        long started = System.nanoTime();
        RuleEvaluation.Result result = RuleEvaluation.evaluate(compilation.expression(), variables);
        assertThat(System.nanoTime() - started).as("evaluation time (ns)").isLessThan(500_000_000L);
        assertThat(result.holds()).isFalse();
        assertThat(result.error()).isNotNull();
        return result.error();
    }

    static boolean holds(String expression, RuleVariables variables) {
        RuleEvaluation.Result result = evaluate(expression, variables);
        assertThat(result.error()).as(expression).isNull();
        return result.holds();
    }

    static RuleEvaluation.Result evaluate(String expression, RuleVariables variables) {
        return RuleEvaluation.evaluate(compiled(expression, ResultType.BOOL), variables);
    }

    static RuleExpression compiled(String expression, ResultType type) {
        RuleExpression.Compilation compilation = RuleExpression.compile(expression, type);
        assertThat(compilation.problems()).as(expression).isEmpty();
        return compilation.expression();
    }

    static RuleVariables variablesOf(String yaml) {
        return RuleVariables.of(document(yaml), null, "apps/cart/values.yaml", "production", "main");
    }

    static Object document(String yaml) {
        try {
            List<YamlDocument> documents =
                    new LocatedYamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "values.yaml");
            return documents.get(0).root();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
