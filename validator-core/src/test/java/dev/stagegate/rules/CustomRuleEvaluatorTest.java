package dev.stagegate.rules;

import static dev.stagegate.testing.CustomRuleFixture.policyWith;
import static dev.stagegate.testing.CustomRuleFixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Policy;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.rules.CustomRuleEvaluator.PreviousVersion;
import dev.stagegate.rules.RuleOutcome.Status;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.yaml.YamlLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One file judged by custom rules, without a repository: the outcome of each rule on each document. */
class CustomRuleEvaluatorTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
            kubernetes:
              manifests: ["k8s/**/*.yaml"]
            """;

    private static final String VALUES = "apps/web/values.yaml";
    private static final String ANY_VALUES = "apps/**/values.yaml";

    private final CustomRuleEvaluator evaluator = new CustomRuleEvaluator(YamlLimits.DEFAULTS);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<RuleOutcome> evaluate(Policy policy, String path, String content, String oldContent,
            String environment) {
        return evaluator.evaluate(policy.customRules(), path, bytes(content),
                Optional.ofNullable(oldContent).map(c -> bytes(c)), Optional.empty(), Optional.ofNullable(environment),
                environment == null ? "" : "main");
    }

    private List<RuleOutcome> evaluate(CustomRuleFixture rule, String content) {
        return evaluate(policyWith(POLICY, rule), VALUES, content, null, "production");
    }

    private RuleOutcome only(CustomRuleFixture rule, String content) {
        List<RuleOutcome> outcomes = evaluate(rule, content);
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    /** The resident server's memory of files on which every rule held, known by content ids. */
    @Nested
    class RememberedPasses {

        private final Policy policy = policyWith(POLICY, rule("remembered-cut", ANY_VALUES,
                "oldObject == null || object.replicas * 2 >= oldObject.replicas"));
        private final Optional<String> production = Optional.of("production");

        @BeforeEach
        void remembering() {
            ProcessMemory.enable();
        }

        @AfterEach
        void forgetting() {
            ProcessMemory.disable();
        }

        private List<RuleOutcome> judgedAndRemembered(Policy judged, String content, String old, String id,
                String oldId) {
            List<RuleOutcome> outcomes = evaluate(judged, VALUES, content, old, "production");
            evaluator.memoKey(judged.customRules(), VALUES, id, oldId, production, "main")
                    .ifPresent(key -> evaluator.rememberIfPassed(key, outcomes));
            return outcomes;
        }

        private boolean known(CustomRuleEvaluator judge, Policy judged, String id, String oldId,
                Optional<String> environment, String branch) {
            return judge.memoKey(judged.customRules(), VALUES, id, oldId, environment, branch)
                    .filter(judge::passedBefore).isPresent();
        }

        @Test
        void aFileOnWhichEveryRuleHeldIsKnownByItsContentIds() {
            List<RuleOutcome> outcomes = judgedAndRemembered(policy, "replicas: 8\n", "replicas: 9\n", "b1", "b0");

            assertThat(outcomes).allMatch(RuleOutcome::holds);
            assertThat(known(evaluator, policy, "b1", "b0", production, "main")).isTrue();
        }

        @Test
        void anotherContentOldVersionPlaceOrRuleIsNotKnown() {
            judgedAndRemembered(policy, "replicas: 8\n", "replicas: 9\n", "b1", "b0");
            Policy changed = policyWith(POLICY, rule("remembered-cut", ANY_VALUES,
                    "oldObject == null || object.replicas * 3 >= oldObject.replicas"));

            assertThat(known(evaluator, policy, "b2", "b0", production, "main")).isFalse();
            assertThat(known(evaluator, policy, "b1", "b9", production, "main")).isFalse();
            assertThat(known(evaluator, policy, "b1", "b0", Optional.of("staging"), "main")).isFalse();
            assertThat(known(evaluator, policy, "b1", "b0", production, "staging")).isFalse();
            assertThat(known(evaluator, changed, "b1", "b0", production, "main")).isFalse();
            assertThat(known(new CustomRuleEvaluator(new YamlLimits(1_000, 10, 10)), policy, "b1", "b0", production,
                    "main")).isFalse();
        }

        @Test
        void aFailureIsNeverRemembered() {
            judgedAndRemembered(policy, "replicas: 1\n", "replicas: 9\n", "b3", "b0");

            assertThat(known(evaluator, policy, "b3", "b0", production, "main")).isFalse();
        }

        @Test
        void nothingIsRememberedOutsideTheResidentServer() {
            ProcessMemory.disable();
            judgedAndRemembered(policy, "replicas: 8\n", "replicas: 9\n", "b4", "b0");
            ProcessMemory.enable();

            assertThat(known(evaluator, policy, "b4", "b0", production, "main")).isFalse();
        }
    }

    @Test
    void aTrueExpressionHolds() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2"), "replicas: 3\n");

        assertThat(outcome).isEqualTo(new RuleOutcome("replicas", Status.HOLDS, "", new SourcePosition(1, 1), 0));
        assertThat(outcome.holds()).isTrue();
    }

    @Test
    void readWithoutPositionsAFileThatPassesHoldsAndOneThatFailsIsLocatedAsAlways() {
        Policy policy = policyWith(POLICY, rule("replicas", ANY_VALUES, "object.replicas >= 2").fieldPath("replicas"),
                rule("tag", ANY_VALUES, "object.image.tag != 'latest'").fieldPath("image.tag"),
                rule("kind", ANY_VALUES, "object.kind == 'x'"));
        List<CustomRule> rules = policy.customRules();
        String passing = "kind: x\nreplicas: 3\nimage:\n  tag: '1.0'\n";
        String failing = "kind: x\n---\nkind: x\nimage:\n  repository: web\n  tag: latest\nreplicas: 1\n";
        Optional<String> production = Optional.of("production");

        assertThat(evaluator.evaluateLocatingFailures(rules, VALUES, bytes(passing), PreviousVersion.NONE,
                production, "main")).extracting(RuleOutcome::status).containsOnly(Status.HOLDS).hasSize(3);
        List<RuleOutcome> located = evaluator.evaluateApplicable(rules, VALUES, bytes(failing), PreviousVersion.NONE,
                production, "main");
        assertThat(evaluator.evaluateLocatingFailures(rules, VALUES, bytes(failing), PreviousVersion.NONE,
                production, "main")).isEqualTo(located);
        assertThat(located).extracting(o -> o.ruleId() + " " + o.status() + " " + o.position()).contains(
                "replicas ERROR " + new SourcePosition(1, 1), "tag FAILS " + new SourcePosition(6, 3),
                "replicas FAILS " + new SourcePosition(7, 1));
    }

    @Test
    void aFalseExpressionFailsWithTheRulesMessage() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2")
                .message("production runs at least two replicas"), "replicas: 1\n");

        assertThat(outcome.status()).isEqualTo(Status.FAILS);
        assertThat(outcome.message()).isEqualTo("production runs at least two replicas");
    }

    @Test
    void aMissingKeyIsAnErrorThatSaysSoAndHintsAtHas() {
        RuleOutcome outcome = only(rule("replicas", ANY_VALUES, "object.replicas >= 2"), "image: web:1\n");

        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.message()).contains("no such key: replicas").contains("has(");
    }

    @Test
    void aFileThatIsNotYamlIsAnErrorForEveryRuleThatWouldJudgeIt() {
        List<RuleOutcome> outcomes = evaluate(policyWith(POLICY, rule("a", ANY_VALUES, "true"),
                rule("b", ANY_VALUES, "true"), rule("elsewhere", "other/**", "true")),
                VALUES, "replicas: [1\n", null, "production");

        assertThat(outcomes).extracting(RuleOutcome::ruleId).containsExactly("a", "b");
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.ERROR);
            assertThat(outcome.message()).startsWith("cannot be read as YAML");
        });
    }
    private static final String MANIFEST = "k8s/web.yaml";

    private static final String RESOURCES = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              replicas: 1
            ---
            apiVersion: v1
            kind: ConfigMap
            data: {}
            ---
            apiVersion: batch/v1
            kind: Job
            """;

    @Test
    void kindsSelectTheDocumentsOfTheKindsNamedAndNoOthers() {
        Policy policy = policyWith(POLICY,
                rule("deployments", "k8s/**", "object.kind == 'Deployment'").kinds("apps/v1/Deployment"),
                rule("config-maps", "k8s/**", "object.kind == 'ConfigMap'").kinds("v1/ConfigMap"),
                rule("everything", "k8s/**", "has(object.kind)"));

        List<RuleOutcome> outcomes = evaluate(policy, MANIFEST, RESOURCES, null, "production");

        assertThat(outcomes).extracting(o -> o.ruleId() + "@" + o.document() + ":" + o.status()).containsExactly(
                "deployments@0:HOLDS", "everything@0:HOLDS",
                "config-maps@1:HOLDS", "everything@1:HOLDS",
                "everything@2:HOLDS");
    }

    @Test
    void aRuleOnAKindJudgesTheItemsOfAListAtTheirOwnLines() {
        Policy policy = policyWith(POLICY, rule("no-host-network", "k8s/**",
                "!object.spec.template.spec.?hostNetwork.orValue(false)").kinds("apps/v1/Deployment")
                .fieldPath("spec.template.spec.hostNetwork"),
                rule("whole-documents", "k8s/**", "object.kind == 'List'"));
        String list = """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: settings}
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      template:
                        spec:
                          hostNetwork: true
                """;

        List<RuleOutcome> outcomes = evaluate(policy, MANIFEST, list, null, "production");

        assertThat(outcomes).extracting(RuleOutcome::ruleId, RuleOutcome::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("no-host-network", Status.FAILS),
                org.assertj.core.groups.Tuple.tuple("whole-documents", Status.HOLDS));
        assertThat(outcomes.get(0).position()).isEqualTo(new SourcePosition(13, 11));
    }

    @Test
    void aResourcesOldObjectIsTheResourceOfTheSameNameWhereverItWasInTheFile() {
        Policy policy = policyWith(POLICY, rule("no-big-cut", "k8s/**",
                "oldObject == null || object.spec.replicas * 2 >= oldObject.spec.replicas")
                .kinds("apps/v1/Deployment"));
        String before = """
                apiVersion: apps/v1beta2
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 10}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec: {replicas: 1}
                """;
        String reordered = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec: {replicas: 1}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 1}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: new}
                spec: {replicas: 1}
                """;

        List<RuleOutcome> outcomes = evaluate(policy, MANIFEST, reordered, before, "production");

        assertThat(outcomes).extracting(o -> o.document() + ":" + o.status())
                .containsExactly("1:HOLDS", "2:FAILS", "3:HOLDS");
    }

    @Test
    void kindsNeverSelectADocumentWithoutApiVersionAndKind() {
        Policy policy = policyWith(POLICY, rule("deployments", "k8s/**", "false").kinds("apps/v1/Deployment"),
                rule("core-spelt-with-group", "k8s/**", "false").kinds("core/v1/ConfigMap"));

        assertThat(evaluate(policy, MANIFEST, "replicas: 1\n---\napiVersion: v1\nkind: ConfigMap\n", null,
                "production")).isEmpty();
    }

    @Test
    void environmentsSelectTheRules() {
        Policy policy = policyWith(POLICY, rule("everywhere", ANY_VALUES, "true"),
                rule("production-only", ANY_VALUES, "true").environments("production"));

        assertThat(evaluate(policy, VALUES, "a: 1\n", null, "production")).extracting(RuleOutcome::ruleId)
                .containsExactly("everywhere", "production-only");
        assertThat(evaluate(policy, VALUES, "a: 1\n", null, "staging")).extracting(RuleOutcome::ruleId)
                .containsExactly("everywhere");
        assertThat(evaluate(policy, VALUES, "a: 1\n", null, null)).extracting(RuleOutcome::ruleId)
                .containsExactly("everywhere");
    }

    @Test
    void filesSelectThePaths() {
        Policy policy = policyWith(POLICY, rule("values", ANY_VALUES, "true"));

        assertThat(evaluate(policy, "apps/web/other.yaml", "a: 1\n", null, "production")).isEmpty();
        assertThat(evaluate(policy, VALUES, "a: 1\n", null, "production")).hasSize(1);
    }

    @Test
    void aFileThatIsNotYamlIsNotReadWhenNoRuleJudgesIt() {
        Policy policy = policyWith(POLICY, rule("values", ANY_VALUES, "true").environments("staging"));

        assertThat(evaluate(policy, VALUES, "a: [1\n", null, "production")).isEmpty();
    }

    @Test
    void oldObjectIsTheOldDocumentOfTheSameIndexOrNull() {
        Policy policy = policyWith(POLICY, rule("grows", ANY_VALUES, "oldObject == null || object.n > oldObject.n"));

        List<RuleOutcome> outcomes = evaluate(policy, VALUES, "n: 2\n---\nn: 1\n---\nn: 0\n", "n: 1\n---\nn: 1\n",
                "production");

        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.HOLDS, Status.FAILS, Status.HOLDS);
    }

    @Test
    void anOldFileThatIsNotYamlIsAnErrorOfTheRulesComparingWithItNeverANullOldObject() {
        Policy policy = policyWith(POLICY, rule("new", ANY_VALUES, "oldObject == null || object.n >= oldObject.n"),
                rule("plain", ANY_VALUES, "object.n > 0"));

        List<RuleOutcome> outcomes = evaluate(policy, VALUES, "n: 1\n", "n: [\n", "production");

        assertThat(outcomes).extracting(RuleOutcome::ruleId, RuleOutcome::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("new", Status.ERROR),
                        org.assertj.core.groups.Tuple.tuple("plain", Status.HOLDS));
        assertThat(outcomes.get(0).message()).startsWith("compares with the file's version before this change,"
                + " which cannot be read as YAML (").contains("oldObject is never taken as null");
    }

    @Test
    void anOldVersionKnownToBeUnreadableIsAnErrorOfTheRulesComparingWithIt() {
        Policy policy = policyWith(POLICY, rule("new", ANY_VALUES, "oldObject == null"),
                rule("plain", ANY_VALUES, "object.n > 0"));

        List<RuleOutcome> outcomes = evaluator.evaluate(policy.customRules(), VALUES, bytes("n: 1\n"),
                Optional.empty(), Optional.of("is a symbolic link, not a regular file"), Optional.of("production"),
                "main");

        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.ERROR, Status.HOLDS);
        assertThat(outcomes.get(0).message()).contains("which is a symbolic link, not a regular file");
    }

    @Test
    void aFieldPathReachesIntoListsByIndex() {
        RuleOutcome outcome = only(rule("image", ANY_VALUES, "false").fieldPath("containers.1.image"),
                "containers:\n  - image: a\n  - image: b\n");

        assertThat(outcome.position()).isEqualTo(new SourcePosition(3, 5));
    }

    @Test
    void aFieldPathPastTheEndOfAListPointsAtTheDocument() {
        RuleOutcome outcome = only(rule("image", ANY_VALUES, "false").fieldPath("containers.2.image"),
                "# values\ncontainers:\n  - image: a\n");

        assertThat(outcome.position()).isEqualTo(new SourcePosition(2, 1));
    }

    @Test
    void anEmptyFileHasNoDocumentsToJudge() {
        assertThat(evaluate(rule("any", ANY_VALUES, "false"), "# nothing yet\n")).isEmpty();
    }

    @Test
    void pastTheDeadlineEveryRuleIsAnErrorSayingSo() {
        CustomRuleEvaluator late = new CustomRuleEvaluator(YamlLimits.DEFAULTS, System.nanoTime() - 1);

        List<RuleOutcome> outcomes = late.evaluate(policyWith(POLICY, rule("a", ANY_VALUES, "true"),
                rule("b", ANY_VALUES, "true")).customRules(), VALUES, bytes("n: 1\n"), Optional.empty(),
                Optional.empty(), Optional.of("production"), "main");

        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.ERROR, Status.ERROR);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.message()).contains("deadline"));
    }

    @Test
    void anInterruptedJudgementStopsEvaluatingAsAtTheDeadline() {
        CustomRuleEvaluator ahead = new CustomRuleEvaluator(YamlLimits.DEFAULTS, System.nanoTime() + 60_000_000_000L);
        Thread.currentThread().interrupt();
        try {
            List<RuleOutcome> outcomes = ahead.evaluate(policyWith(POLICY, rule("a", ANY_VALUES, "true")).customRules(),
                    VALUES, bytes("n: 1\n"), Optional.empty(), Optional.empty(), Optional.of("production"), "main");

            assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.ERROR);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anExpressionThatDoesNotCompileIsInvalidOncePerFile() {
        List<RuleOutcome> outcomes = evaluate(rule("broken", ANY_VALUES, "object.n >"), "n: 1\n---\nn: 2\n");

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.INVALID);
            assertThat(outcome.message()).startsWith("the expression of custom rule broken does not compile");
        });
    }

    @Test
    void aMessageExpressionThatDoesNotCompileFallsBackToTheMessage() {
        RuleOutcome outcome = only(rule("r", ANY_VALUES, "false").message("no").messageExpression("1 +"), "n: 1\n");

        assertThat(outcome.status()).isEqualTo(Status.FAILS);
        assertThat(outcome.message()).startsWith("no (the messageExpression does not compile: ");
    }

    @Test
    void aMessageIsOneLine() {
        RuleOutcome outcome = only(rule("r", ANY_VALUES, "false").messageExpression("'first\\n  second'"), "n: 1\n");

        assertThat(outcome.message()).isEqualTo("first second");
    }
    @Test
    void emptyDocumentsBetweenSeparatorsAreNotJudged() {
        List<RuleOutcome> outcomes = evaluate(rule("replicas", ANY_VALUES, "object.replicas >= 2"),
                "---\nreplicas: 3\n---\n# nothing\n---\n");

        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.HOLDS);
    }
    @Test
    void theOldFileIsReadOnlyForRulesThatNameOldObject() {
        CustomRuleFixture transition = rule("t", ANY_VALUES, "oldObject == null");
        CustomRuleFixture inMessage = rule("m", ANY_VALUES, "true").messageExpression("string(oldObject)");
        CustomRuleFixture plain = rule("p", ANY_VALUES, "object.n == 1");

        assertThat(CustomRuleEvaluator.readsOldObject(List.of(plain.rule()))).isFalse();
        assertThat(CustomRuleEvaluator.readsOldObject(List.of(plain.rule(), transition.rule()))).isTrue();
        assertThat(CustomRuleEvaluator.readsOldObject(List.of(inMessage.rule()))).isTrue();
        assertThat(evaluate(policyWith(POLICY, transition), VALUES, "n: 1\n", "n: 0\n", "production"))
                .extracting(RuleOutcome::status).containsExactly(Status.FAILS);
    }
}
