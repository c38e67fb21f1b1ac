package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The fast path must give cel-java's value whenever it gives one: on documents whose keys
 * {@code a}, {@code b} and {@code c} hold values picked by the fuzzer from the edges of each
 * kind (ints past 2^53, signed zeros, NaN, empty and Unicode strings, lists, maps, null), every
 * expression below is evaluated both ways and each decision compared. The normal suite replays
 * the seeds in {@code FastPathProgramFuzzTestInputs/}; the slow profile fuzzes.
 */
@Timeout(10)
class FastPathProgramFuzzTest {

    private static final List<String> VALUES = List.of(
            "0", "1", "-1", "2", "9007199254740992", "9007199254740993", "9223372036854775807",
            "-9223372036854775808", "0.0", "-0.0", "0.5", "1.0", "2.0", "1e18", "9007199254740992.0", ".nan", ".inf",
            "-.inf", "''", "a", "shop", "'1.2.3'", "\"\\u00e9t\\u00e9\"", "\"\\U0001F600\"", "true", "false", "null",
            "[]", "[1, 2]", "[1.0, 2]", "['a', 'b']", "[null]", "[[1]]", "[-0.0]", "{}", "{x: 1}", "{x: a, y: [1]}");

    private static final List<String> EXPRESSIONS = List.of(
            "object.a == object.b", "object.a != object.b", "object.a < object.b", "object.a <= object.b",
            "object.a > object.b", "object.a >= object.b", "object.a + object.b == object.c",
            "object.a - object.b < object.c", "object.a * object.b >= object.c", "object.a / object.b == object.c",
            "object.a % object.b == object.c", "-object.a < object.b", "object.a in object.b",
            "object.a in [object.b, object.c]", "size(object.a) == object.b", "object.a.startsWith(object.b)",
            "object.a.endsWith(object.b)", "object.a.contains(object.b)", "object.a.matches('^[a-z]+$')",
            "string(object.a) == object.b", "int(object.a) == object.b", "double(object.a) == object.b",
            "has(object.a.x) && object.a.x == object.b", "object.a[0] == object.b", "object.a['x'] == object.b",
            "object.a.all(v, v != object.b)", "object.a.exists(v, v == object.b)", "object.a.exists_one(v, v == object.c)",
            "object.a.map(v, v).size() == object.b", "object.a.filter(v, v == object.b) == object.c",
            "object.a ? object.b : object.c", "object.a && object.b || object.c", "!object.a",
            "cel.bind(x, object.a, x == object.b)", "[object.a, object.b] == [object.b, object.a]");

    @FuzzTest(maxDuration = "30s")
    void decidesAsCelJava(FuzzedDataProvider data) {
        String yaml = "a: " + pick(data) + "\nb: " + pick(data) + "\nc: " + pick(data) + "\n";
        RuleVariables variables = RuleVariables.of(RuleEvaluationTest.document(yaml), null, "p", "e", "b");
        for (String text : EXPRESSIONS) {
            RuleExpression expression = RuleExpression.compile(text, ResultType.BOOL).expression();
            Object value = expression.fastPath().evaluate(variables);
            if (value == FastPathProgram.UNDECIDED || !(value instanceof Boolean)) {
                continue;
            }
            RuleEvaluation.Result inCel = RuleEvaluation.runInCel(expression, variables, false, 0);
            assertThat(inCel.error()).as("%s on %s", text, yaml).isNull();
            assertThat(inCel.value()).as("%s on %s", text, yaml).isEqualTo(value);
        }
    }

    private static String pick(FuzzedDataProvider data) {
        return VALUES.get(data.consumeInt(0, VALUES.size() - 1));
    }
}
