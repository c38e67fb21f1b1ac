package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.SourcePosition;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Each test writes a rule's expression in one YAML style, with the word {@code oops} where a CEL
 * error would point, reads the policy as the engine does, and checks that the offset of
 * {@code oops} in the value maps to where {@code oops} stands in the file.
 */
class ExpressionSourceTest {

    @Test
    void aPlainSingleLineScalar() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: object.replicas >= oops
                """, "object.replicas >= oops");
    }

    @Test
    void aPlainScalarOnTheLineAfterItsKeyWithAComment() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: # the floor
                      object.replicas >= oops
                """, "object.replicas >= oops");
    }

    @Test
    void aMultiLinePlainScalar() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: object.replicas >= 2
                      &&   object.image !=
                      oops
                    message: m
                """, "object.replicas >= 2 &&   object.image != oops");
    }

    @Test
    void aDoubleQuotedScalarWithEscapes() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: "object.name == \\"a\\\\b\\" && \\u0041 == oops"
                """, "object.name == \"a\\b\" && A == oops");
    }

    @Test
    void aDoubleQuotedScalarOverSeveralLines() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: "object.replicas >= 2 &&\s\s
                      object.image.startsWith('r')

                      && oops"
                """, "object.replicas >= 2 && object.image.startsWith('r')\n&& oops");
    }

    @Test
    void aDoubleQuotedScalarWithAnEscapedLineBreak() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: "object.replicas >= 2 && obj\\
                      ect.oops"
                """, "object.replicas >= 2 && object.oops");
    }

    @Test
    void aSingleQuotedScalarWithDoubledQuotes() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: 'object.tag != ''latest'' && ''x'' == oops'
                """, "object.tag != 'latest' && 'x' == oops");
    }

    @Test
    void aSingleQuotedScalarOverSeveralLines() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: 'object.tag != ''latest''
                      && oops'
                """, "object.tag != 'latest' && oops");
    }

    @Test
    void aLiteralBlockScalar() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: |
                      object.replicas >= 2 &&

                        object.image != oops
                    message: m
                """, "object.replicas >= 2 &&\n\n  object.image != oops\n");
    }

    @Test
    void aLiteralBlockScalarKeepingTrailingLines() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: |+
                      object.replicas >= 2 &&
                      oops

                    message: m
                """, "object.replicas >= 2 &&\noops\n\n");
    }

    @Test
    void aFoldedBlockScalarStrippingTheFinalBreak() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: >-
                      object.replicas >= 2
                      && object.image.startsWith('r')

                      && oops
                    message: m
                """, "object.replicas >= 2 && object.image.startsWith('r')\n&& oops");
    }

    @Test
    void aFoldedBlockScalarWithAMoreIndentedLine() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: >
                      object.replicas >= 2
                        && object.debug == false
                      && oops
                """, "object.replicas >= 2\n  && object.debug == false\n&& oops\n");
    }

    @Test
    void aBlockScalarWithAnExplicitIndentation() {
        assertMapsTheMarker("""
                rules:
                  - id: r
                    expression: |2-
                         object.replicas >= 2 &&
                        oops
                """, "   object.replicas >= 2 &&\n  oops");
    }

    @Test
    void aFileWithCrLfLineBreaks() {
        assertMapsTheMarker("rules:\r\n  - id: r\r\n    expression: >-\r\n      object.replicas >= 2\r\n      && oops\r\n",
                "object.replicas >= 2 && oops");
    }

    @Test
    void anOffsetAtTheEndMapsJustAfterTheLastCharacter() {
        String policy = "rules:\n  - id: r\n    expression: object.replicas >=\n";
        ExpressionSource source = sourceOf(policy);

        assertThat(source.positionOf("object.replicas >=".length())).isEqualTo(new SourcePosition(3, 35));
    }

    @Test
    void aStyleItCannotFollowMapsEveryOffsetToTheScalarsStart() {
        String policy = "rules:\n  - id: r\n    expression: !!str object.replicas >= oops\n";
        ExpressionSource source = sourceOf(policy);

        assertThat(source.exact()).isFalse();
        assertThat(source.positionOf(19)).isEqualTo(new SourcePosition(3, 17));
    }

    @Test
    void aCompileErrorOnTheSecondLineOfAFoldedExpressionIsLocatedThere() {
        String policy = """
                rules:
                  - id: r
                    expression: >-
                      object.replicas >= 2 &&
                      object.image.startsWith('r') + 1
                """;
        String expression = expressionOf(policy);
        ExpressionProblem problem = RuleExpression.compile(expression, ResultType.BOOL).problems().get(0);

        SourcePosition position = sourceOf(policy).positionOf(problem.offset());

        assertThat(position.line()).isEqualTo(5);
        assertThat(position.column()).isEqualTo(7 + "object.image.startsWith('r') ".length());
    }

    @Test
    void theScalarsStartAlsoLocatesASequenceItem() {
        String policy = "expressions:\n  - >-\n    a &&\n    oops\n";
        ExpressionSource source = ExpressionSource.ofScalar(policy, new SourcePosition(2, 5), "a && oops");

        assertThat(source.exact()).isTrue();
        assertThat(source.positionOf(5)).isEqualTo(new SourcePosition(4, 5));
    }

    private static void assertMapsTheMarker(String policy, String expectedValue) {
        String expression = expressionOf(policy);
        assertThat(expression).as("what the YAML reader reads").isEqualTo(expectedValue);
        ExpressionSource source = sourceOf(policy);

        assertThat(source.exact()).as("mapped character by character").isTrue();
        assertThat(source.positionOf(expression.indexOf("oops"))).isEqualTo(positionInText(policy, "oops"));
    }

    private static ExpressionSource sourceOf(String policy) {
        YamlDocument document = read(policy);
        return ExpressionSource.ofEntry(policy, document.positionOf("/rules/0/expression"), expressionOf(policy));
    }

    private static String expressionOf(String policy) {
        return ((JSONObject) read(policy).root()).getJSONArray("rules").getJSONObject(0).getString("expression");
    }

    private static YamlDocument read(String policy) {
        try {
            return new LocatedYamlReader().read(policy.getBytes(StandardCharsets.UTF_8), "policy.yaml").get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SourcePosition positionInText(String text, String marker) {
        int index = text.indexOf(marker);
        assertThat(text.indexOf(marker, index + 1)).as("the marker is unique").isNegative();
        int lineStart = Math.max(text.lastIndexOf('\n', index - 1) + 1, 0);
        int line = (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
        return new SourcePosition(line, index - lineStart + 1);
    }
}
