package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FastPathShapeTest {

    @Test
    void everyKindOfNodeReadsBackAsWritten() {
        for (String text : List.of(
                "object.replicas >= 2 && !has(object.hostNetwork)",
                "object.containers.all(c, c.image.startsWith('registry.example.com/'))",
                "oldObject == null || object.replicas * 2 >= oldObject.replicas",
                "object.owner in ['a:b', 'with\\nline break', '', '3 spaces   ']",
                "object.cpu > -0.5 && object.cpu != 1e300 && object.memory < 9223372036854775807",
                "object['key with spaces'] == null ? true : object.x.matches('^[0-9]+$')",
                "cel.bind(r, object.replicas, r > 1)",
                "'\\u00e9t\\u00e9 \\U0001F600'.size() == 6")) {
            RuleExpression expression = RuleExpression.compile(text, ResultType.BOOL).expression();
            FastPathShape shape = FastPathShape.of(expression.checkedForTests().getExpr());

            assertThat(shape).as(text).isNotNull();
            assertThat(FastPathShape.decode(FastPathShape.encode(shape))).as(text).isEqualTo(shape);
        }
    }

    @Test
    void aDoubleKeepsEveryBitIncludingTheSignOfZero() {
        FastPathShape negativeZero = new FastPathShape.Constant(-0.0);

        Object read = ((FastPathShape.Constant) FastPathShape.decode(FastPathShape.encode(negativeZero))).value();

        assertThat(Double.doubleToRawLongBits((Double) read)).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aDamagedTextFailsToReadInsteadOfReadingAsSomethingElse() {
        String good = FastPathShape.encode(FastPathShape.of(RuleExpression.compile("object.a == 'x'", ResultType.BOOL)
                .expression().checkedForTests().getExpr()));

        for (String damaged : List.of("", good.substring(0, good.length() - 1), good + "t", "q", "c3:_+_2 t",
                "s99:short", "l-1 ", "c5:_==_99999999999 ", "." + "h1:a".repeat(1_000) + "vobject")) {
            assertThatThrownBy(() -> FastPathShape.decode(damaged)).as(damaged)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void optionalsAndMapLiteralsHaveNoShape() {
        for (String text : List.of("object.labels == {'team': 'shop'}", "[?optional.none(), 1].size() == 1")) {
            RuleExpression expression = RuleExpression.compile(text, ResultType.BOOL).expression();

            assertThat(FastPathShape.of(expression.checkedForTests().getExpr())).as(text).isNull();
        }
    }
}
