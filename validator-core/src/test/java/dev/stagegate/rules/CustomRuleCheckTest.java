package dev.stagegate.rules;

import static dev.stagegate.testing.CustomRuleFixture.policyWith;
import static dev.stagegate.testing.CustomRuleFixture.rule;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.yaml.YamlLimits;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom rules in the hook: pushes to the fixture's environment branches (develop is
 * development, main is production) judged under a policy with rules. The rules judge
 * {@code config/**}, which no schema maps, so their violations are the only ones.
 */
class CustomRuleCheckTest {

    private static final String CONFIG = "config/**/*.yaml";
    private static final String APP = "config/app.yaml";
    private static final String AUDIT_LOG = "stagegate-audit.log";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private static CustomRuleFixture minReplicas() {
        return rule("min-replicas", CONFIG, "object.replicas >= 2").message("run at least two replicas");
    }

    private Outcome push(String branch, String path, String content, CustomRuleFixture... rules) {
        return push(policyWith(GitOpsFixture.POLICY, rules), branch, path, content);
    }

    private Outcome push(Policy policy, String branch, String path, String content) {
        RevCommit change = gitops.change(branch, path, content);
        return gitops.withPolicy(policy).push(gitops.update(branch, change));
    }

    private static Violation only(Outcome outcome, String rule) {
        assertThat(violations(outcome, rule)).as(render(outcome)).hasSize(1);
        return violations(outcome, rule).get(0);
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aFailingRuleIsAnErrorWithItsOwnIdAtItsFieldPath() {
        Outcome outcome = push("develop", APP, "image: web:1\nreplicas: 1\n", minReplicas().fieldPath("replicas"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly("min-replicas");
        Violation violation = only(outcome, "min-replicas");
        assertThat(violation.message()).isEqualTo("run at least two replicas");
        assertThat(violation.ref()).isEqualTo("refs/heads/develop");
        assertThat(violation.environment()).isEqualTo("development");
        assertThat(violation.file()).isEqualTo(APP);
        assertThat(violation.line()).isEqualTo(2);
        assertThat(violation.column()).isEqualTo(1);
        assertThat(render(outcome)).contains(APP + ":2:1");
    }

    @Test
    void aNestedFieldPathPointsAtItsKey() {
        Outcome outcome = push("develop", APP, "spec:\n  image: web:1\n  replicas: 1\n",
                rule("min-replicas", CONFIG, "object.spec.replicas >= 2").fieldPath("spec.replicas"));

        Violation violation = only(outcome, "min-replicas");
        assertThat(violation.line()).isEqualTo(3);
        assertThat(violation.column()).isEqualTo(3);
    }

    @Test
    void aFieldPathTheDocumentLacksPointsAtTheDocumentsFirstLine() {
        Outcome outcome = push("develop", APP, "replicas: 3\n---\n# the second document\nreplicas: 1\n",
                minReplicas().fieldPath("spec.replicas"));

        Violation violation = only(outcome, "min-replicas");
        assertThat(violation.line()).isEqualTo(4);
        assertThat(violation.column()).isEqualTo(1);
    }

    @Test
    void aHoldingRuleLetsThePushThrough() {
        assertAccepted(push("develop", APP, "replicas: 2\n", minReplicas()));
    }

    @Test
    void oldObjectIsTheDocumentAtTheTargetsTipBeforeThePush() {
        gitops.changeOnDevelop(APP, "replicas: 4\n");
        CustomRuleFixture noBigDrop = rule("no-big-drop", CONFIG,
                "oldObject == null || object.replicas * 2 >= oldObject.replicas")
                .messageExpression("'replicas drop from ' + string(oldObject.replicas) + ' to ' + string(object.replicas)");

        Outcome halved = push("develop", APP, "replicas: 2\n", noBigDrop);
        Outcome quartered = push("develop", APP, "replicas: 1\n", noBigDrop);

        assertAccepted(halved);
        assertThat(only(quartered, "no-big-drop").message()).isEqualTo("replicas drop from 4 to 1");
    }

    @Test
    void oldObjectIsNullForANewFileAndTheOldDocumentForAChangedOne() {
        gitops.changeOnDevelop(APP, "replicas: 4\n");
        RevCommit change = gitops.repo().commitOn("develop").file(APP, "replicas: 3\n")
                .file("config/new.yaml", "replicas: 3\n").message("change one file, add another").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY,
                rule("only-new", CONFIG, "oldObject == null"))).push(gitops.update("develop", change));

        assertThat(only(outcome, "only-new").file()).isEqualTo(APP);
    }

    @Test
    void oldObjectIsTheDocumentOfTheSameIndex() {
        gitops.changeOnDevelop(APP, "name: first\n---\nname: second\n");

        Outcome outcome = push("develop", APP, "name: first\n---\nname: second\n---\nname: third\n",
                rule("same-name", CONFIG, "oldObject == null ? object.name == 'third' : object.name == oldObject.name"));

        assertAccepted(outcome);
    }

    @Test
    void pathEnvironmentAndBranchAreThoseOfTheUpdate() {
        CustomRuleFixture where = rule("where", CONFIG, "false")
                .messageExpression("path + ' in ' + environment + ' on ' + branch");

        Outcome outcome = push("develop", APP, "replicas: 2\n", where);

        assertThat(only(outcome, "where").message()).isEqualTo("config/app.yaml in development on develop");
    }

    @Test
    void aRuleNamingOtherEnvironmentsDoesNotJudgeThisOne() {
        assertAccepted(push("develop", APP, "replicas: 1\n", minReplicas().environments("production", "staging")));
    }

    @Test
    void aRuleNamingThisEnvironmentJudgesIt() {
        Outcome outcome = push("develop", APP, "replicas: 1\n", minReplicas().environments("production", "development"));

        assertThat(errors(outcome)).containsExactly("min-replicas");
    }

    @Test
    void aFileOutsideTheRulesFilesIsNotJudged() {
        assertAccepted(push("develop", "other/app.yaml", "replicas: 1\n", minReplicas()));
    }

    @Test
    void aFileThePushDoesNotChangeIsNotJudged() {
        gitops.changeOnDevelop("config/legacy.yaml", "replicas: 0\n");

        assertAccepted(push("develop", APP, "replicas: 2\n", minReplicas()));
    }

    @Test
    void aBranchOfNoEnvironmentIsNotJudged() {
        gitops.repo().setBranch("feature/x", gitops.tip("develop"));

        assertAccepted(push("feature/x", APP, "replicas: 1\n", minReplicas()));
    }

    @Test
    void aMessageExpressionWinsOverTheMessage() {
        Outcome outcome = push("develop", APP, "replicas: 1\n",
                minReplicas().messageExpression("'replicas is ' + string(object.replicas)"));

        assertThat(only(outcome, "min-replicas").message()).isEqualTo("replicas is 1");
    }

    @Test
    void aFailingMessageExpressionFallsBackToTheMessageAndSaysSo() {
        Outcome outcome = push("develop", APP, "replicas: 1\n",
                minReplicas().messageExpression("'replicas is ' + object.replicas"));

        assertThat(only(outcome, "min-replicas").message())
                .startsWith("run at least two replicas (the messageExpression failed: type mismatch");
    }

    @Test
    void withoutAMessageTheViolationNamesTheRuleAndItsExpression() {
        Outcome outcome = push("develop", APP, "replicas: 1\n", rule("min-replicas", CONFIG, "object.replicas >= 2"));

        assertThat(only(outcome, "min-replicas").message())
                .isEqualTo("custom rule min-replicas does not hold: object.replicas >= 2");
    }

    @Test
    void aMissingKeyIsAViolationThatSaysSoAndHowToGuardIt() {
        Outcome outcome = push("develop", APP, "image: web:1\n", minReplicas());

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(only(outcome, "min-replicas").message()).contains("no such key: replicas").contains("has(");
    }

    @Test
    void aTypeMismatchIsAViolationThatSaysSo() {
        Outcome outcome = push("develop", APP, "replicas: two\n", minReplicas());

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(only(outcome, "min-replicas").message()).contains("type mismatch");
    }

    @Test
    void aFileThatIsNotYamlIsAViolationOfEveryRuleThatWouldJudgeIt() {
        Outcome outcome = push("develop", APP, "replicas: [1\n", minReplicas(),
                rule("no-latest", CONFIG, "!object.image.endsWith('latest')"));

        assertThat(errors(outcome)).containsExactlyInAnyOrder("min-replicas", "no-latest");
        assertThat(outcome.verdict().violations()).allSatisfy(v -> assertThat(v.message()).startsWith(
                "cannot be read as YAML"));
    }

    @Test
    void aSymbolicLinkMatchedByARuleIsAViolation() {
        RevCommit change = gitops.repo().commitOn("develop").symlink(APP, "../apps/web/values.yaml")
                .message("link").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY, minReplicas()))
                .push(gitops.update("develop", change));

        assertThat(only(outcome, "min-replicas").message()).contains("symlink").contains("not a regular file");
    }

    @Test
    void aTransitionRuleOverAnOldVersionThatIsNoRegularFileIsAViolationNotANewFile() {
        // the link reached develop before any rule judged it; replacing it must not count as a new file
        gitops.repo().commitOn("develop").symlink(APP, "../apps/web/values.yaml").message("link").commitTo("develop");
        CustomRuleFixture noBigCut = rule("no-big-cut", CONFIG, "oldObject == null || object.replicas * 2 >= oldObject.replicas");

        Outcome outcome = push("develop", APP, "replicas: 1\n", noBigCut, minReplicas());

        assertThat(errors(outcome)).containsExactlyInAnyOrder("no-big-cut", "min-replicas");
        assertThat(only(outcome, "no-big-cut").message()).contains("which is a symlink, not a regular file")
                .contains("oldObject is never taken as null");
    }

    @Test
    void aTransitionRuleOnAFileThatWasADirectoryComparesWithNothing() {
        // the old tip has config/app.yaml/ as a directory: there was no file at the path
        gitops.repo().commitOn("develop").file(APP + "/inner.yaml", "replicas: 9\n").message("a directory")
                .commitTo("develop");
        RevCommit change = gitops.repo().commitOn("develop").delete(APP + "/inner.yaml").file(APP, "replicas: 1\n")
                .message("a file").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY,
                rule("new-file", CONFIG, "oldObject == null"))).push(gitops.update("develop", change));

        assertThat(violations(outcome, "new-file")).as(render(outcome)).isEmpty();
    }

    @Test
    void aTransitionRuleOverAnOldVersionThatIsNoYamlIsAViolationNotANewFile() {
        gitops.repo().commitOn("develop").file(APP, "replicas: [10\n").message("broken").commitTo("develop");

        Outcome outcome = push("develop", APP, "replicas: 1\n",
                rule("no-big-cut", CONFIG, "oldObject == null || object.replicas * 2 >= oldObject.replicas"));

        assertThat(only(outcome, "no-big-cut").message()).contains("which cannot be read as YAML");
    }

    @Test
    void theResidentServerDoesNotEvaluateAFileThatPassedAgainButStillJudgesNewContent() {
        ProcessMemory.enable();
        try {
            Policy policy = policyWith(GitOpsFixture.POLICY, minReplicas());
            RevCommit passing = gitops.change("develop", APP, "replicas: 41\n");
            RevCommit failing = gitops.change("develop", APP, "replicas: 1\n");
            assertAccepted(gitops.withPolicy(policy).push(gitops.update("develop", passing)));
            gitops.withDeadline(System.nanoTime() - 1);

            Outcome again = gitops.push(gitops.update("develop", passing));
            Outcome other = gitops.push(gitops.update("develop", failing));

            assertAccepted(again);
            assertThat(only(other, "min-replicas").message()).contains("deadline");
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void theResidentServerJudgesBesideTheBuiltInRulesAndReachesTheSameVerdictInTheSameOrder() {
        // the server judges the rules on a thread of their own, parsing the files itself; a
        // process that ends takes the schema check's documents: the verdict must not differ
        gitops.changeOnDevelop("config/b.yaml", "replicas: 8\n");
        RevCommit change = gitops.repo().commitOn("develop").file("config/a.yaml", "replicas: 1\n")
                .file("config/b.yaml", "replicas: 2\n").file("config/c.yaml", "replicas: [1\n")
                .file("config/d.yaml", "replicas: 5\n---\nreplicas: 0\n").message("several").create();
        Policy policy = policyWith(GitOpsFixture.POLICY, minReplicas(),
                rule("no-big-cut", CONFIG, "oldObject == null || object.replicas * 2 >= oldObject.replicas"));

        String ended = render(gitops.withPolicy(policy).push(gitops.update("develop", change)));
        ProcessMemory.enable();
        try {
            String resident = render(gitops.push(gitops.update("develop", change)));
            String again = render(gitops.push(gitops.update("develop", change)));

            assertThat(resident).isEqualTo(ended).contains("min-replicas").contains("no-big-cut")
                    .contains("config/a.yaml").contains("config/c.yaml").contains("config/d.yaml");
            assertThat(again).isEqualTo(ended);
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void theResidentServerComparesWithTheTipsVersionAndWithTheNewOneOnceTheTipMoves() {
        ProcessMemory.enable();
        try {
            gitops.changeOnDevelop(APP, "replicas: 4\n");
            Policy policy = policyWith(GitOpsFixture.POLICY, rule("no-big-cut", CONFIG,
                    "oldObject == null || object.replicas * 2 >= oldObject.replicas")
                    .messageExpression("'from ' + string(oldObject.replicas) + ' to ' + string(object.replicas)"));

            Outcome quartered = gitops.withPolicy(policy).push(gitops.update("develop",
                    gitops.change("develop", APP, "replicas: 1\n")));
            Outcome halved = gitops.push(gitops.update("develop", gitops.change("develop", APP, "replicas: 2\n")));
            gitops.changeOnDevelop(APP, "replicas: 2\n");
            Outcome halvedFromTheNewTip = gitops.push(gitops.update("develop",
                    gitops.change("develop", APP, "replicas: 1\n")));

            assertThat(only(quartered, "no-big-cut").message()).isEqualTo("from 4 to 1");
            assertAccepted(halved);
            assertAccepted(halvedFromTheNewTip);
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void theResidentServerNeverTakesAnOldVersionThatIsNoRegularFileForANewFile() {
        ProcessMemory.enable();
        try {
            gitops.repo().commitOn("develop").symlink(APP, "../apps/web/values.yaml").message("link").commitTo("develop");

            Outcome outcome = push("develop", APP, "replicas: 1\n",
                    rule("no-big-cut", CONFIG, "oldObject == null || object.replicas * 2 >= oldObject.replicas"));

            assertThat(only(outcome, "no-big-cut").message()).contains("which is a symlink, not a regular file");
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void filesJudgedOnEveryCoreAreReportedInPathOrder() {
        var commit = gitops.repo().commitOn("develop");
        for (int file = 39; file >= 0; file--) {
            commit.file(String.format("config/app-%02d.yaml", file), "replicas: 1\n");
        }
        RevCommit change = commit.message("forty files on one replica").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY, minReplicas()))
                .push(gitops.update("develop", change));

        assertThat(violations(outcome, "min-replicas")).extracting(Violation::file)
                .hasSize(40).isSorted().startsWith("config/app-00.yaml");
    }

    @Test
    void aFileTheSchemaCheckAlsoReadsIsJudgedAsAnyOther() {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");
        CustomRuleFixture noBigCut = rule("no-big-cut", "apps/**/values.yaml",
                "oldObject == null || object.replicas * 2 >= oldObject.replicas").fieldPath("replicas");

        Outcome outcome = push("develop", "apps/web/values.yaml", "image: web:2\nreplicas: 1\nextra: no\n", noBigCut);

        assertThat(errors(outcome)).containsExactlyInAnyOrder("schema-violation", "no-big-cut");
        Violation cut = only(outcome, "no-big-cut");
        assertThat(cut.fileLocation()).isEqualTo("apps/web/values.yaml:2:1");
    }

    @Test
    void aSymbolicLinkToADirectoryWhereARuleLooksIsAViolationOfThatRule() {
        RevCommit change = gitops.repo().commitOn("develop").file("other/app.yaml", "replicas: 1\n")
                .symlink("config/team", "../other").message("link a directory").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY, minReplicas(),
                rule("elsewhere", "apps/**/values.yaml", "true"))).push(gitops.update("develop", change));

        assertThat(errors(outcome)).containsExactly("min-replicas");
        assertThat(only(outcome, "min-replicas").message()).isEqualTo("is a symbolic link where custom rule"
                + " min-replicas judges files (config/**/*.yaml): what it stands for cannot be judged through it;"
                + " commit the files themselves");
        assertThat(only(outcome, "min-replicas").file()).isEqualTo("config/team");
    }

    @Test
    void aSubmoduleWhereARuleLooksIsAViolationAndALinkElsewhereIsNot() {
        RevCommit change = gitops.repo().commitOn("develop").submodule("config/vendor", gitops.tip("develop"))
                .symlink("docs/latest", "v2").message("vendor and docs").create();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY, minReplicas()))
                .push(gitops.update("develop", change));

        assertThat(only(outcome, "min-replicas").message()).startsWith("is a submodule where custom rule");
    }

    @Test
    void aNewEnvironmentBranchIsJudgedOnEveryFileItsRulesMatchNotOnlyOnWhatDiffersFromTheDefaultBranch()
            throws IOException {
        gitops.commitOnEveryBranch(APP, "replicas: 1\n");
        RevCommit developTip = gitops.tip("develop");
        org.eclipse.jgit.lib.RefUpdate delete = gitops.repo().repository().updateRef("refs/heads/test");
        delete.setForceUpdate(true);
        delete.delete();

        Outcome outcome = gitops.withPolicy(policyWith(GitOpsFixture.POLICY, minReplicas().environments("testing")))
                .push(gitops.update("test", developTip));

        assertThat(only(outcome, "min-replicas").message()).isEqualTo("run at least two replicas");
    }

    @Test
    void aFileOverTheSizeLimitIsAViolationOfEveryRuleThatWouldJudgeIt() {
        gitops.withLimits(new YamlLimits(64, YamlLimits.DEFAULTS.maxDepth(), YamlLimits.DEFAULTS.maxAliasNodes()));

        Outcome outcome = push("develop", APP, "replicas: 2\n" + "# padding\n".repeat(10), minReplicas());

        assertThat(only(outcome, "min-replicas").message()).contains("more than the limit of 64 bytes");
    }

    @Test
    void anExpressionThatNoLongerCompilesIsAnInvalidPolicyNeverAPass() {
        Outcome outcome = push("develop", APP, "replicas: 2\n", rule("broken", CONFIG, "object.replicas >="));

        assertThat(errors(outcome)).containsExactly("policy-invalid");
        assertThat(only(outcome, "policy-invalid").message()).contains("custom rule broken").contains("does not compile");
    }

    @Test
    void pastTheDeadlineRulesAreViolationsSayingSo() {
        gitops.withDeadline(System.nanoTime() - 1);

        Outcome outcome = push("develop", APP, "replicas: 2\n", minReplicas());

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(only(outcome, "min-replicas").message()).contains("deadline");
    }

    @Test
    void aDeadlineAheadLetsTheRulesRun() {
        gitops.withDeadline(System.nanoTime() + 60_000_000_000L);

        assertAccepted(push("develop", APP, "replicas: 2\n", minReplicas()));
    }

    @Nested
    class Modes {

        private Policy withRuleModes(Map<String, RuleMode> ruleModes, CustomRuleFixture... rules) {
            List<CustomRule> custom = List.of(rules).stream().map(CustomRuleFixture::rule).toList();
            return policyWith(GitOpsFixture.POLICY).withCustomRules(custom, ruleModes);
        }

        @Test
        void ruleModesWarnMakesACustomViolationAWarning() {
            Outcome outcome = push(withRuleModes(Map.of("min-replicas", RuleMode.WARN), minReplicas()),
                    "develop", APP, "replicas: 1\n");

            assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(warnings(outcome)).containsExactly("min-replicas");
        }

        @Test
        void ruleModesOffSkipsTheRuleWithoutEvaluatingIt() {
            // evaluated, this expression would be policy-invalid: off, it is never compiled
            Outcome outcome = push(withRuleModes(Map.of("broken", RuleMode.OFF),
                    rule("broken", CONFIG, "object.replicas >=")), "develop", APP, "replicas: 1\n");

            assertAccepted(outcome);
        }

        @Test
        void ruleModesEnforceWinsOverTheRulesOwnWarn() {
            Outcome outcome = push(withRuleModes(Map.of("min-replicas", RuleMode.ENFORCE),
                    minReplicas().mode(RuleMode.WARN)), "develop", APP, "replicas: 1\n");

            assertThat(errors(outcome)).containsExactly("min-replicas");
        }

        @Test
        void theRulesOwnModeWarnMakesItAWarning() {
            Outcome outcome = push("develop", APP, "replicas: 1\n", minReplicas().mode(RuleMode.WARN));

            assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(warnings(outcome)).containsExactly("min-replicas");
        }

        @Test
        void thePolicysModeWarnAppliesToCustomRules() {
            Policy policy = policyWith(GitOpsFixture.POLICY + "mode: warn\n", minReplicas());

            Outcome outcome = push(policy, "develop", APP, "replicas: 1\n");

            assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(warnings(outcome)).containsExactly("min-replicas");
        }

        @Test
        void anAuditedBypassTurnsACustomViolationIntoAWarningAndRecordsIt() throws Exception {
            gitops.as("release-manager").withPushOption("stagegate.bypass=INC-42 replicas");

            Outcome outcome = push("develop", APP, "replicas: 1\n", minReplicas());

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(warnings(outcome)).containsExactlyInAnyOrder("min-replicas", "bypass-used");
            String audit = Files.readString(gitops.repo().directory().resolve(AUDIT_LOG));
            assertThat(audit).contains("\"user\":\"release-manager\"").contains("INC-42 replicas")
                    .contains("min-replicas");
        }

        @Test
        void aBypassCannotPassARuleWhoseExpressionNoLongerCompiles() {
            gitops.as("release-manager").withPushOption("stagegate.bypass=INC-42 replicas");

            Outcome outcome = push("develop", APP, "replicas: 1\n", rule("broken", CONFIG, "object.replicas >="));

            assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(errors(outcome)).containsExactly("policy-invalid");
        }
    }

    /** Hostile rules and documents: each stopped by a limit, with a message, in well under the hook's deadline. */
    @Nested
    class HostileInput {

        private static final long FAST_NANOS = 5_000_000_000L;

        private String timedMessage(String content, CustomRuleFixture rule) {
            long started = System.nanoTime();
            Outcome outcome = push("develop", APP, content, rule);
            assertThat(System.nanoTime() - started).isLessThan(FAST_NANOS);
            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            return only(outcome, rule.rule().id()).message();
        }

        @Test
        void anExpressionBuildingAHugeStringHitsTheCostLimit() {
            StringBuilder expression = new StringBuilder("cel.bind(s0, object.name, ");
            for (int i = 1; i <= 40; i++) {
                expression.append("cel.bind(s").append(i).append(", s").append(i - 1).append(" + s").append(i - 1)
                        .append(", ");
            }
            expression.append("s40.size() > 0").append(")".repeat(41));

            assertThat(timedMessage("name: xxxxxxxxxxxxxxxx\n", rule("huge", CONFIG, expression.toString())))
                    .contains("size limit exceeded");
        }

        @Test
        void anExpressionBuildingAHugeListHitsALimit() {
            StringBuilder expression = new StringBuilder("cel.bind(l0, object.items, ");
            for (int i = 1; i <= 40; i++) {
                expression.append("cel.bind(l").append(i).append(", l").append(i - 1).append(" + l").append(i - 1)
                        .append(", ");
            }
            expression.append("l40.size() > 0").append(")".repeat(41));

            assertThat(timedMessage("items: [1, 2, 3, 4, 5, 6, 7, 8]\n", rule("huge", CONFIG, expression.toString())))
                    .contains("size limit exceeded");
        }

        @Test
        void aHugeMessageIsCutToOneBoundedLine() {
            StringBuilder expression = new StringBuilder("cel.bind(s0, 'ab\\ncd', ");
            for (int i = 1; i <= 12; i++) {
                expression.append("cel.bind(s").append(i).append(", s").append(i - 1).append(" + s").append(i - 1)
                        .append(", ");
            }
            expression.append("s12").append(")".repeat(13));

            String message = timedMessage("replicas: 1\n", minReplicas().messageExpression(expression.toString()));

            assertThat(message).doesNotContain("\n").hasSizeLessThan(CustomRuleEvaluator.MAX_MESSAGE_LENGTH + 100)
                    .endsWith("characters)");
        }

        @Test
        void deepMacroNestingIsRefusedAsAnInvalidPolicy() {
            String expression = "[1].all(x, ".repeat(150) + "true" + ")".repeat(150);

            long started = System.nanoTime();
            Outcome outcome = push("develop", APP, "replicas: 1\n", rule("deep", CONFIG, expression));

            assertThat(System.nanoTime() - started).isLessThan(FAST_NANOS);
            assertThat(errors(outcome)).containsExactly("policy-invalid");
            assertThat(only(outcome, "policy-invalid").message()).containsIgnoringCase("recursion");
        }

        @Test
        void aRegexWrittenToBacktrackRunsInLinearTime() {
            String name = "a".repeat(5_000) + "!";

            assertThat(timedMessage("name: \"" + name + "\"\n", rule("no-backtracking", CONFIG,
                    "object.name.matches('^(a+)+$')").message("name is all a's"))).isEqualTo("name is all a's");
        }

        @Test
        void anAliasBombIsStoppedByTheReadersLimit() {
            String bomb = """
                    a: &a [x, x, x, x, x, x, x, x, x, x]
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
                    e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
                    """;

            assertThat(timedMessage(bomb, rule("walk", CONFIG, "object.e.all(d, d.all(c, c.all(b, true)))")))
                    .startsWith("cannot be read as YAML").contains("alias");
        }

        @Test
        void anAliasHeavyDocumentWithinTheReadersLimitHitsTheCostLimitWhenCopied() {
            String heavy = """
                    a: &a [xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx]
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                    d: [*c, *c, *c, *c, *c, *c, *c, *c]
                    """;
            String expression = "cel.bind(s, object.d.flatten().flatten().flatten().join(''),"
                    + " cel.bind(t, s + s, cel.bind(u, t + t, cel.bind(v, u + u, cel.bind(w, v + v,"
                    + " cel.bind(x, w + w, cel.bind(y, x + x, cel.bind(z, y + y, z.size() > 0))))))))";

            assertThat(timedMessage(heavy, rule("copy", CONFIG, expression))).contains("size limit exceeded");
        }
    }
}
