package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast path must give cel-java's value whenever it gives one: every expression below is run
 * on every document both ways, and each decision is compared with cel-java's result.
 */
class FastPathProgramTest {

    private static final List<String> DOCUMENTS = List.of(
            """
            replicas: 3
            image: {repository: registry.example.com/shop/cart, tag: "1.4.2"}
            cpu: 0.5
            memory: 512
            debug: false
            owner: null
            ports: [80, 443]
            labels: {team: shop, tier: web}
            containers:
              - name: cart
                image: registry.example.com/shop/cart:1.4.2
                resources: {limits: {cpu: "1", memory: 1Gi}}
              - name: sidecar
                image: docker.io/envoy:latest
            """,
            """
            replicas: 1
            image: {repository: docker.io/nginx, tag: latest}
            cpu: 2
            memory: 512.0
            debug: true
            owner: shop-team
            ports: []
            labels: {}
            containers: []
            """,
            """
            replicas: "three"
            image: {repository: "", tag: 7}
            cpu: .nan
            memory: 9223372036854775807
            debug: "no"
            owner: {name: x}
            ports: [80, "http", null, 1.5]
            labels: {team: [a]}
            containers: [{name: only}]
            """,
            """
            replicas: -9223372036854775808
            image: null
            cpu: .inf
            memory: -0.0
            debug: null
            owner: "\\U0001F600 smile"
            ports: [443, 80]
            labels: {team: "\\uE000"}
            containers: [{}, {name: x, resources: null}]
            """,
            """
            replicas: 9007199254740993
            quota: 999999999999999999
            cpu: 9007199254740992.0
            memory: 0.0
            ports: [1.0, -0.0, 0.0]
            """,
            "[1, 2, 3]",
            "just text",
            "42",
            "{}");

    private static final List<String> BOOL_EXPRESSIONS = List.of(
            "object.replicas >= 2",
            "object.replicas > 1 && object.replicas <= 10",
            "object.replicas == 3",
            "object.replicas != 3",
            "object.replicas < 2.5",
            "object.replicas == 3.0",
            "object.cpu > 0.5",
            "object.cpu <= 1",
            "object.cpu == 2",
            "object.memory == 512",
            "object.memory >= 9223372036854775807",
            "object.memory > 9.2e18",
            "object.memory + 1 > 0",
            "object.replicas - 1 >= 0",
            "object.replicas * 2 >= 4",
            "object.replicas / 2 == 1",
            "object.replicas % 2 == 1",
            "-object.replicas < 0",
            "object.cpu * 2.0 == 1.0",
            "object.cpu / 0.0 > 1.0",
            "object.cpu - 0.5 == 0.0",
            "-object.cpu < 0.0",
            "object.debug",
            "!object.debug",
            "object.debug == false",
            "object.owner == null",
            "object.owner != null",
            "null == object.owner",
            "object.image == null",
            "oldObject == null",
            "oldObject == null || object.replicas * 2 >= oldObject.replicas",
            "oldObject != null && oldObject.replicas == object.replicas",
            "has(object.replicas)",
            "has(object.resources)",
            "has(object.image.tag)",
            "!has(object.resources) || object.resources.limits.cpu != ''",
            "has(object.image) && object.image.tag != 'latest'",
            "!object.image.tag.endsWith('latest')",
            "object.image.repository.startsWith('registry.example.com/')",
            "object.image.repository.contains('shop')",
            "object.image.repository.matches('^registry[.]example[.]com/')",
            "object.image.repository.matches('shop')",
            "matches(object.owner, '^shop')",
            "object.owner.matches('(a+)+$')",
            "object.image.tag.matches('^[0-9]+[.][0-9]+[.][0-9]+$')",
            "size(object.ports) == 2",
            "object.ports.size() > 0",
            "object.owner.size() == 7",
            "size(object.labels) == 2",
            "443 in object.ports",
            "'http' in object.ports",
            "'team' in object.labels",
            "object.owner in ['shop-team', 'web-team']",
            "object.replicas in [1, 2, 3]",
            "object.ports == [80, 443]",
            "object.ports != [443, 80]",
            "object.ports + [8080] == [80, 443, 8080]",
            "object.ports[0] == 80",
            "object.ports[5] == 80",
            "object.labels['team'] == 'shop'",
            "object.labels.team == 'shop'",
            "object.labels == {'team': 'shop', 'tier': 'web'}",
            "object.containers.all(c, has(c.resources) && has(c.resources.limits))",
            "object.containers.all(c, c.image.startsWith('registry.example.com/'))",
            "object.containers.exists(c, c.name == 'sidecar')",
            "object.containers.exists_one(c, c.name == 'cart')",
            "object.containers.map(c, c.name).size() == 2",
            "object.containers.filter(c, has(c.image)).size() >= 1",
            "object.ports.all(p, p > 0 && p < 65536)",
            "object.ports.exists(p, p == 443) || object.ports.size() == 0",
            "object.labels.all(k, object.labels[k] != '')",
            "object.labels.exists(k, k == 'team')",
            "[1, 2, 3].map(x, x * 2) == [2, 4, 6]",
            "[1, 2, 3].all(x, [1, 2, 3].exists(y, y == x))",
            "object.replicas > 2 ? object.cpu > 1.0 : object.debug",
            "object.replicas == 3 ? true : object.missing",
            "object.missing || true",
            "true || object.missing",
            "false && object.missing",
            "object.missing && false",
            "object.replicas > 0 || object.replicas < 0",
            "string(object.replicas) == '3'",
            "string(object.cpu) == '0.5'",
            "string(object.debug) == 'false'",
            "int(object.image.tag) > 0",
            "int('12') == 12",
            "double(object.replicas) == 3.0",
            "double(object.memory) > 0.0",
            "object.owner < 'z'",
            "object.owner >= 'shop'",
            "object.labels.team < 'zzz'",
            "type(object.replicas) == int",
            "object.image.repository.lowerAscii() == object.image.repository",
            "environment == 'production' && branch == 'main'",
            "path.endsWith('values.yaml')",
            "object.size() > 0",
            "object[0] == 1",
            "object == 'just text'",
            "object == 42",
            "object + 1 == 43",
            "9223372036854775807 + object.replicas > 0",
            "object.replicas * 4611686018427387904 != 0",
            "object.replicas / 0 == 0",
            "cel.bind(r, object.replicas, r > 1 && r < 10)",
            "[object.replicas, object.cpu].exists(v, v == 3)",
            "1 == 1.0 && 1 < 1.5 && 2.0 > 1",
            "object.ports.exists(p, p == 'http')",
            "object.ports.all(p, p != null)",
            "object.quota < 1e18",
            "object.quota == 1e18",
            "object.replicas == 9007199254740992.0",
            "object.replicas > object.cpu",
            "object.replicas in [9007199254740992.0]",
            "[1] in [[1.0]]",
            "[0.0] in [[-0.0]]",
            "1 in [1.0]",
            "-0.0 in [0.0]",
            "0.0 in object.ports",
            "1 in object.ports",
            "[1] == [1.0]",
            "[0.0] == [-0.0]",
            "object.ports == [1.0, -0.0, 0.0]",
            "object.memory == -0.0",
            "object.memory < 0",
            "-object.memory == 0.0");

    private static final List<String> STRING_EXPRESSIONS = List.of(
            "'replicas is ' + string(object.replicas)",
            "object.owner + ' owns ' + path",
            "object.image.tag",
            "object.debug ? 'debug' : 'quiet'",
            "string(object.cpu)",
            "object.containers.map(c, c.name)[0]");

    @Test
    void everyDecisionIsCelJavasValue() {
        List<String> disagreements = new ArrayList<>();
        int decided = 0;
        int evaluations = 0;
        for (String document : DOCUMENTS) {
            for (Object oldObject : new Object[] {null, document(DOCUMENTS.get(0))}) {
                RuleVariables variables = RuleVariables.of(document(document), oldObject,
                        "apps/cart/values.yaml", "production", "main");
                decided += compare(BOOL_EXPRESSIONS, ResultType.BOOL, variables, document, disagreements);
                decided += compare(STRING_EXPRESSIONS, ResultType.STRING, variables, document, disagreements);
                evaluations += BOOL_EXPRESSIONS.size() + STRING_EXPRESSIONS.size();
            }
        }
        assertThat(disagreements).isEmpty();
        // most evaluations of this kind of rule must take the fast path, or it buys nothing
        assertThat(decided).isGreaterThan(evaluations / 3);
    }

    /** Every operator on every pair of a set of operands, boundaries and mismatched kinds included. */
    @Test
    void everyOperatorOnEveryPairOfOperandsIsCelJavasValue() {
        List<String> operands = List.of("object.replicas", "object.cpu", "object.memory", "object.owner",
                "object.image.tag", "object.debug", "object.ports", "object.labels", "oldObject", "3", "3.0", "0.5",
                "512", "-1", "'shop-team'", "''", "null", "true", "[80, 443]", "[]");
        List<String> expressions = new ArrayList<>();
        for (String left : operands) {
            for (String right : operands) {
                for (String comparison : List.of("==", "!=", "<", "<=", ">", ">=")) {
                    expressions.add(left + " " + comparison + " " + right);
                }
                for (String arithmetic : List.of("+", "-", "*", "/", "%")) {
                    expressions.add("(" + left + " " + arithmetic + " " + right + ") == 6");
                    expressions.add("(" + left + " " + arithmetic + " " + right + ") < 1000");
                }
                expressions.add(left + " in [" + right + "]");
                expressions.add(left + " in " + right);
                expressions.add(left + " && " + right);
                expressions.add(left + " || " + right);
                expressions.add(left + " ? " + right + " : false");
            }
            expressions.add("size(" + left + ") == 2");
            expressions.add("!" + left);
            expressions.add("-" + left + " < 0");
            expressions.add("string(" + left + ") == '3'");
            expressions.add("int(" + left + ") == 3");
            expressions.add("double(" + left + ") == 3.0");
            for (String call : List.of("startsWith", "endsWith", "contains", "matches")) {
                expressions.add(left + "." + call + "('shop')");
                expressions.add(left + "." + call + "('')");
                expressions.add(left + "." + call + "('^[0-9.]+$')");
            }
        }
        List<String> disagreements = new ArrayList<>();
        int decided = 0;
        for (String document : DOCUMENTS.subList(0, 5)) {
            RuleVariables variables = RuleVariables.of(document(document), document(DOCUMENTS.get(1)),
                    "apps/cart/values.yaml", "production", "main");
            decided += compare(expressions, ResultType.BOOL, variables, document, disagreements);
        }
        assertThat(disagreements).isEmpty();
        assertThat(decided).isGreaterThan(1_000);
    }

    private static int compare(List<String> expressions, ResultType type, RuleVariables variables,
            String document, List<String> disagreements) {
        int decided = 0;
        for (String text : expressions) {
            RuleExpression.Compilation compilation = RuleExpression.compile(text, type);
            if (!compilation.succeeded()) {
                continue;
            }
            RuleExpression expression = compilation.expression();
            RuleEvaluation.Result inCel = RuleEvaluation.runInCel(expression, variables, false, 0);
            FastPathProgram fastPath = expression.fastPath();
            if (fastPath == null) {
                continue;
            }
            Object value = fastPath.evaluate(variables);
            if (value == FastPathProgram.UNDECIDED || !type.celName().equals(CelValues.typeName(value))) {
                continue;
            }
            decided++;
            if (inCel.failed() || !value.equals(inCel.value())) {
                disagreements.add(text + " on " + document.lines().findFirst().orElse("") + ": fast path " + value
                        + ", cel-java " + (inCel.failed() ? "error " + inCel.error() : inCel.value()));
            }
        }
        return decided;
    }

    @Test
    void theRulesPlatformTeamsWriteTakeTheFastPath() {
        RuleVariables variables = RuleVariables.of(document(DOCUMENTS.get(0)), document(DOCUMENTS.get(1)),
                "apps/cart/values.yaml", "production", "main");
        for (String text : List.of(
                "object.replicas >= 2",
                "has(object.image) && !object.image.tag.endsWith('latest')",
                "object.containers.all(c, c.image.startsWith('registry.example.com/'))",
                "!has(object.hostNetwork) || object.hostNetwork == false",
                "oldObject == null || object.replicas * 2 >= oldObject.replicas",
                "object.containers.exists(c, has(c.resources) && has(c.resources.limits))",
                "object.image.tag.matches('^[0-9]+[.][0-9]+[.][0-9]+$')")) {
            FastPathProgram fastPath = RuleExpression.compile(text, ResultType.BOOL).expression().fastPath();
            assertThat(fastPath).as(text).isNotNull();
            assertThat(fastPath.evaluate(variables)).as(text).isIn(true, false);
        }
    }

    @Test
    void errorsAndUnfamiliarOperandsAreLeftToCelJava() {
        RuleVariables variables = RuleVariables.of(document(DOCUMENTS.get(0)), null, "p", "e", "b");

        assertThat(fastPath("object.resources.limits.cpu != ''").evaluate(variables))
                .isSameAs(FastPathProgram.UNDECIDED);
        assertThat(fastPath("object.replicas == 'three'").evaluate(variables)).isSameAs(FastPathProgram.UNDECIDED);
        assertThat(fastPath("object.missing || true").evaluate(variables)).isSameAs(FastPathProgram.UNDECIDED);
        assertThat(fastPath("object.labels == {'team': 'shop'}")).isNull();
        assertThat(fastPath("object.image.repository.lowerAscii() != ''")).isNull();
    }

    @Test
    void aLongEvaluationIsLeftToCelJavaAndItsLimits() {
        RuleVariables variables = RuleVariables.of(document(DOCUMENTS.get(0)), null, "p", "e", "b");
        String list = "[" + "1, ".repeat(119) + "1]";
        String text = list + ".all(a, " + list + ".all(b, a + b == 2))";

        // 14,400 iterations: past the fast path's budget, well within CEL's cost limit
        assertThat(fastPath(text).evaluate(variables)).isSameAs(FastPathProgram.UNDECIDED);
        assertThat(RuleEvaluation.evaluate(RuleExpression.compile(text, ResultType.BOOL).expression(), variables)
                .holds()).isTrue();
    }

    @Test
    void theFastPathsRegexSettingsAreCelsOwn() {
        // spelt out so that a file read back needs no CelOptions: they must be what CEL runs with
        assertThat(RuleLanguage.regexPartialMatch())
                .isEqualTo(RuleLanguage.options(RuleLimits.DEFAULT).enableRegexPartialMatch());
        assertThat(RuleLanguage.maxRegexProgramSize())
                .isEqualTo(RuleLanguage.options(RuleLimits.DEFAULT).maxRegexProgramSize());
    }

    @Test
    void aLargeValueAnOperatorGivesIsLeftToCelJavasSizeAndCostLimits() {
        RuleVariables variables = RuleVariables.of(RuleEvaluationTest.document("s: " + "x".repeat(1_500_000) + "\n"
                + "desc: " + "d".repeat(200_000) + "\nitems: [" + "1, ".repeat(59) + "1]\n"), null, "p", "e", "b");

        // a ternary that gives a string past CEL's size limit: an error in cel-java
        assertThat(fastPath("(has(object.s) ? object.s : '').startsWith('x')").evaluate(variables))
                .isSameAs(FastPathProgram.UNDECIDED);
        assertThat(RuleEvaluation.evaluate(compiled("(has(object.s) ? object.s : '').startsWith('x')"), variables)
                .error()).startsWith("string size limit exceeded");
        // string() of a long text in a loop: over CEL's cost limit in cel-java
        assertThat(fastPath("object.items.all(i, string(object.desc) != '')").evaluate(variables))
                .isSameAs(FastPathProgram.UNDECIDED);
        assertThat(RuleEvaluation.evaluate(compiled("object.items.all(i, string(object.desc) != '')"), variables)
                .error()).startsWith("cost limit exceeded");
    }

    @Test
    void scanningALongTextIsChargedSoTheFastPathStaysShort() {
        RuleVariables variables = RuleVariables.of(RuleEvaluationTest.document("desc: " + "d".repeat(200_000) + "\n"),
                null, "p", "e", "b");

        for (String text : List.of("object.desc.contains('x')", "object.desc.matches('x')", "size(object.desc) > 0",
                "object.desc == object.desc")) {
            assertThat(fastPath(text).evaluate(variables)).as(text).isSameAs(FastPathProgram.UNDECIDED);
            assertThat(RuleEvaluation.evaluate(compiled(text), variables).failed()).as(text).isFalse();
        }
    }

    private static RuleExpression compiled(String text) {
        return RuleExpression.compile(text, ResultType.BOOL).expression();
    }

    private static FastPathProgram fastPath(String text) {
        return RuleExpression.compile(text, ResultType.BOOL).expression().fastPath();
    }

    private static Object document(String yaml) {
        return RuleEvaluationTest.document(yaml);
    }
}
