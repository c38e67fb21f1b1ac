package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The policy's {@code rules} section (rules-cel.md): the {@link CustomRule}s it gives, and each
 * problem that makes it invalid at its {@code line:column}, a CEL error at its column inside the
 * expression, whatever YAML style the expression is written in.
 */
class PolicyRulesSectionTest {

    private static final String PATH = PolicyLoader.DEFAULT_PATH;

    /** Lines 1-9; the first rule starts on line 10. */
    private static final String HEAD = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
            rules:
            """;

    /** {@link #HEAD} with a kubernetes section: lines 1-11, the first rule on line 12. */
    private static final String KUBERNETES_HEAD = HEAD.replace("rules:\n",
            "kubernetes:\n  manifests: [\"apps/**/*.yaml\"]\nrules:\n");

    private final PolicyLoader loader = new PolicyLoader();

    private PolicyLoadResult load(String policy) {
        return loader.load(policy.getBytes(StandardCharsets.UTF_8), PATH);
    }

    private Violation onlyError(String policy) {
        PolicyLoadResult result = load(policy);
        assertThat(result.valid()).as("valid").isFalse();
        assertThat(result.problems()).as("problems").hasSize(1);
        Violation problem = result.problems().get(0);
        assertThat(problem.rule()).isEqualTo(RuleIds.POLICY_INVALID);
        assertThat(problem.isError()).isTrue();
        return problem;
    }

    @Test
    void theSpecExampleGivesItsRules() {
        PolicyLoadResult result = load(KUBERNETES_HEAD + """
                  - id: prod-replicas
                    environments: [production]
                    files: "apps/**/values.yaml"
                    kinds: ["apps/v1/Deployment"]
                    expression: "object.replicas >= 2"
                    fieldPath: "replicas"
                    message: "production runs at least two replicas"
                    messageExpression: "'replicas is ' + string(object.replicas)"
                    mode: enforce
                  - id: no-latest-in-prod
                    environments: [staging, production]
                    files: ["apps/**/values.yaml", "charts/**/values.yaml"]
                    expression: "!object.image.tag.endsWith('latest')"
                    mode: warn
                  - id: no-big-replica-drop
                    files: "apps/**/values.yaml"
                    expression: "oldObject == null || object.replicas * 2 >= oldObject.replicas"
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.policy().orElseThrow().customRules()).containsExactly(
                new CustomRule("prod-replicas", List.of("production"), List.of("apps/**/values.yaml"),
                        List.of("apps/v1/Deployment"), "object.replicas >= 2", Optional.of("replicas"),
                        Optional.of("production runs at least two replicas"),
                        Optional.of("'replicas is ' + string(object.replicas)"), Optional.of(RuleMode.ENFORCE)),
                new CustomRule("no-latest-in-prod", List.of("staging", "production"),
                        List.of("apps/**/values.yaml", "charts/**/values.yaml"), List.of(),
                        "!object.image.tag.endsWith('latest')", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(RuleMode.WARN)),
                new CustomRule("no-big-replica-drop", List.of(), List.of("apps/**/values.yaml"), List.of(),
                        "oldObject == null || object.replicas * 2 >= oldObject.replicas", Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void aPolicyWithoutRulesOrWithAnEmptyListHasNone() {
        assertThat(load(HEAD.replace("rules:\n", "")).policy().orElseThrow().customRules()).isEmpty();
        assertThat(load(HEAD.replace("rules:\n", "rules: []\n")).policy().orElseThrow().customRules()).isEmpty();
    }

    @Test
    void ruleModesSetsACustomRulesModeAboveItsOwnAboveThePolicys() {
        PolicyLoadResult result = load(HEAD + """
                  - id: from-rule-modes
                    files: "apps/**"
                    expression: "true"
                    mode: enforce
                  - id: own-mode
                    files: "apps/**"
                    expression: "true"
                    mode: warn
                  - id: policy-mode
                    files: "apps/**"
                    expression: "true"
                  - id: switched-off
                    files: "apps/**"
                    expression: "true"
                mode: enforce
                ruleModes:
                  from-rule-modes: warn
                  switched-off: "off"
                  skipped-stage: warn
                """);

        assertThat(result.problems()).isEmpty();
        Policy policy = result.policy().orElseThrow();

        assertThat(policy.modeOf("from-rule-modes")).isEqualTo(RuleMode.WARN);
        assertThat(policy.modeOf("own-mode")).isEqualTo(RuleMode.WARN);
        assertThat(policy.modeOf("policy-mode")).isEqualTo(RuleMode.ENFORCE);
        assertThat(policy.modeOf("switched-off")).isEqualTo(RuleMode.OFF);
        assertThat(policy.modeOf("skipped-stage")).isEqualTo(RuleMode.WARN);
    }

    @Test
    void aRuleModesKeyThatIsNoRuleAtAllStaysInvalidAndNamesTheCustomIds() {
        Violation problem = onlyError(HEAD + """
                  - id: prod-replicas
                    files: "apps/**"
                    expression: "true"
                ruleModes:
                  prod-replica: warn
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":14:3");
        assertThat(problem.message()).isEqualTo("ruleModes names 'prod-replica', which is not a rule id"
                + " (did you mean prod-replicas?); rule ids are: " + String.join(", ", RuleIds.ALL)
                + "; the policy's rules are: prod-replicas");
    }

    @Test
    void anIdOfABuiltInRuleIsInvalidAtTheId() {
        Violation problem = onlyError(HEAD + """
                  - id: force-push
                    files: "apps/**"
                    expression: "true"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:5");
        assertThat(problem.message()).startsWith("rule id 'force-push' is the id of a built-in rule");
    }

    @Test
    void thePseudoIdsOfRunAndUsageErrorsAreInvalidAtTheId() {
        for (String reserved : List.of("stagegate", "usage")) {
            Violation problem = onlyError(HEAD + """
                      - id: %s
                        files: "apps/**"
                        expression: "true"
                    """.formatted(reserved));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:5");
            assertThat(problem.message()).isEqualTo("rule id '" + reserved + "' is reserved for stagegate's own"
                    + " errors, so this rule's violations would be reported as internal errors; give the rule an id"
                    + " of its own, such as team-" + reserved);
        }
    }

    @Test
    void anIdUsedTwiceIsInvalidAtTheSecondNamingTheFirst() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "true"
                  - id: other
                    files: "apps/**"
                    expression: "true"
                  - id: replicas
                    files: "charts/**"
                    expression: "false"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":16:5");
        assertThat(problem.message()).isEqualTo("rule id 'replicas' is already used by rules[0]; give every rule a"
                + " unique id");
    }

    @Test
    void anUnknownEnvironmentIsInvalidAtItsNameWithADidYouMean() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    environments: [staging, prodution]
                    files: "apps/**"
                    expression: "true"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:29");
        assertThat(problem.message()).isEqualTo("rule 'replicas' names environment 'prodution', which is not an"
                + " environment of this policy (did you mean production?); use one of: staging, production");
    }

    @Test
    void kindsWithoutAKubernetesSectionAreInvalid() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    kinds: ["apps/v1/Deployment"]
                    expression: "true"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:5");
        assertThat(problem.message()).startsWith("rule 'replicas' has kinds, but the policy has no kubernetes section");
    }

    @Test
    void aKindsEntryThatIsNoApiVersionAndKindIsInvalidAtTheEntry() {
        Violation problem = onlyError(KUBERNETES_HEAD + """
                  - id: replicas
                    files: "apps/**"
                    kinds: ["apps/v1/Deployment", "Deployment"]
                    expression: "true"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":14:35");
        assertThat(problem.message()).isEqualTo("rule 'replicas' has kinds entry 'Deployment', which is no"
                + " apiVersion/kind; write it as resources spell them, such as apps/v1/Deployment or v1/ConfigMap");
    }

    @Test
    void anInvalidGlobIsInvalidAtTheGlobWhetherAloneOrInAList() {
        Violation alone = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/[9-0].yaml"
                    expression: "true"
                """);
        Violation inList = onlyError(HEAD + """
                  - id: replicas
                    files:
                      - "apps/**"
                      - "apps/[9-0].yaml"
                    expression: "true"
                """);

        assertThat(alone.fileLocation()).isEqualTo(PATH + ":11:5");
        assertThat(alone.message()).startsWith("rules.files entry 'apps/[9-0].yaml' is not a valid glob");
        assertThat(inList.fileLocation()).isEqualTo(PATH + ":13:9");
    }

    @Test
    void aGlobStartingWithDotSlashOrSlashCouldNeverMatchAndIsInvalid() {
        Violation dotSlash = onlyError(HEAD + """
                  - id: replicas
                    files: "./apps/**/values.yaml"
                    expression: "true"
                """);
        Violation slash = onlyError(HEAD + """
                  - id: replicas
                    files: ["apps/**", "/apps/**"]
                    expression: "true"
                """);

        assertThat(dotSlash.fileLocation()).isEqualTo(PATH + ":11:5");
        assertThat(dotSlash.message()).isEqualTo("rules.files glob './apps/**/values.yaml' can never match: paths are"
                + " relative to the repository's root and start with neither ./ nor /; write 'apps/**/values.yaml'");
        assertThat(slash.message()).endsWith("write 'apps/**'");
    }

    @Test
    void aFieldPathThatIsNoDottedPathIsInvalid() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "true"
                    fieldPath: "spec..replicas"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":13:5");
        assertThat(problem.message()).startsWith("rule 'replicas' has fieldPath 'spec..replicas', which is not a"
                + " dotted path");
    }

    @Test
    void aRuleWithoutFilesIsInvalidBySchema() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    expression: "true"
                """);

        assertThat(problem.line()).isEqualTo(10);
        assertThat(problem.message()).contains("files");
    }

    @Test
    void aParseErrorInAPlainScalarIsAtItsColumn() {
        // the value starts at column 17; the second = is its 20th character
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: object.replicas >= = 2
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:36");
        assertThat(problem.message()).startsWith("rule 'replicas', expression: ").contains("token recognition error at: '= '");
    }

    @Test
    void aTypeErrorInADoubleQuotedScalarWithEscapesIsAtItsColumn() {
        // the escaped quotes take two characters each in the file, one in the expression
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "object.name == \\"web\\" && 'a' + 1 == 'a1'"
                """);

        int plus = "    expression: \"object.name == \\\"web\\\" && 'a' ".length() + 1;
        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:" + plus);
        assertThat(problem.message()).startsWith("rule 'replicas', expression: found no matching overload for '_+_'");
    }

    @Test
    void anErrorInAFoldedBlockIsOnItsLineAndColumn() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: >-
                      object.replicas >= 2 &&
                      'a' + 1 == 'a1'
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":14:11");
    }

    @Test
    void anErrorInALiteralBlockIsOnItsLineAndColumn() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: |
                      object.replicas >= 2
                        && object.image != ''
                        && 'a' + 1 == 'a1'
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":15:16");
    }

    @Test
    void anExpressionThatGivesNoBoolIsInvalidAtItsStart() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "[object.replicas]"
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:18");
        assertThat(problem.message()).isEqualTo("rule 'replicas', expression: the expression gives a list, it must"
                + " give a bool");
    }

    @Test
    void aMessageExpressionThatGivesNoStringIsInvalidAtItsStart() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "true"
                    messageExpression: object.replicas >= 2
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":13:24");
        assertThat(problem.message()).isEqualTo("rule 'replicas', messageExpression: the expression gives a bool,"
                + " it must give a string");
    }

    @Test
    void anExpressionLongerThanTheLimitIsInvalid() {
        String longExpression = "true" + " && true".repeat(250);
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: "%s"
                """.formatted(longExpression));

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:18");
        assertThat(problem.message()).isEqualTo("rule 'replicas', expression: the expression is 2004 characters long;"
                + " at most 2000 are allowed");
    }

    @Test
    void anExpressionWhoseEstimatedCostIsOverTheLimitIsInvalid() {
        Violation problem = onlyError(HEAD + """
                  - id: replicas
                    files: "apps/**"
                    expression: object.a.all(x, object.b.all(y, object.c.all(z, x + y + z > 0)))
                """);

        assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:17");
        assertThat(problem.message()).startsWith("rule 'replicas', expression: the expression's estimated cost exceeds"
                + " the limit");
    }

    @Test
    void everyProblemOfEveryRuleIsReportedInFileOrder() {
        PolicyLoadResult result = load(HEAD + """
                  - id: first
                    environments: [qa]
                    files: "apps/**"
                    expression: "object.replicas >="
                  - id: first
                    files: "apps/**"
                    expression: "true"
                    messageExpression: "1"
                """);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(Violation::line).containsExactly(11, 13, 14, 17);
    }
}
