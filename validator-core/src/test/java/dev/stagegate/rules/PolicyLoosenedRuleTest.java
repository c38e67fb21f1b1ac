package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.Severity;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoosenedRuleTest {

    private static final String RULE = "policy-loosened";
    private static final String POLICY_FILE = ".stagegate/policy.yaml";
    private static final String ENFORCED = "ruleModes:\n  policy-loosened: enforce\n";

    private static final String REQUIREMENT = """
                requiresEvidence:
                  - suite: integration
                    environment: staging
            """;

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        if (gitops != null) {
            gitops.close();
        }
    }

    private Outcome pushPolicyToDevelop(String current, String edited) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), current);
        RevCommit edit = gitops.repo().commitOn("develop").file(POLICY_FILE, edited).message("edit policy").create();
        return gitops.push(gitops.update("develop", edit));
    }

    @Test
    void removingAnEvidenceRequirementIsAWarningByDefault() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY.replace(REQUIREMENT, ""));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.severity()).isEqualTo(Severity.WARNING);
            assertThat(v.ref()).isEqualTo("refs/heads/develop");
            assertThat(v.file()).isEqualTo(POLICY_FILE);
            assertThat(v.message()).isEqualTo(
                    "this update loosens the policy: removes the 'integration' evidence requirement of production");
        });
    }

    @Test
    void addingABypassUserIsAWarningByDefault() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY,
                GitOpsFixture.POLICY.replace("users: [release-manager]", "users: [release-manager, mallory]"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("adds bypass users mallory"));
    }

    @Test
    void ruleModesEnforceRejectsIt() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(ENFORCED),
                GitOpsFixture.POLICY.replace(REQUIREMENT, "") + ENFORCED);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
    }

    @Test
    void droppingTheEnforcementItselfIsALoosening() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(ENFORCED), GitOpsFixture.POLICY);

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("sets policy-loosened to warn");
    }

    @Test
    void otherLooseningsAreNamed() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY
                .replace("writers: [ci-bot]", "writers: [ci-bot, alice]")
                + "protections:\n  forcePush: allow\n  deletion: allow\nmode: warn\n");

        assertThat(violations(outcome, RULE)).extracting(v -> v.message().replace("this update loosens the policy: ", ""))
                .contains("adds evidence writers alice", "allows force pushes", "allows branch deletion",
                        "sets skipped-stage to warn");
    }

    @Test
    void allowingForcePushesOnOneEnvironmentIsALooseningNamingIt() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY.replace(
                "    promotesFrom: staging\n",
                "    promotesFrom: staging\n    protections:\n      forcePush: allow\n      deletion: allow\n"));

        assertThat(violations(outcome, RULE)).extracting(v -> v.message().replace("this update loosens the policy: ", ""))
                .containsExactly("allows force pushes on production", "allows branch deletion on production");
    }

    @Test
    void droppingAnEnvironmentsDenyUnderAnAllowingDefaultIsALoosening() {
        String allowing = GitOpsFixture.policyPlus("protections:\n  forcePush: allow\n");
        Outcome outcome = pushPolicyToDevelop(allowing.replace("    promotesFrom: staging\n",
                "    promotesFrom: staging\n    protections:\n      forcePush: deny\n"), allowing);

        assertThat(violations(outcome, RULE)).extracting(v -> v.message().replace("this update loosens the policy: ", ""))
                .containsExactly("allows force pushes on production");
    }

    @Test
    void anAllowingDefaultIsNamedOnceNotPerEnvironment() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY,
                GitOpsFixture.policyPlus("protections:\n  forcePush: allow\n"));

        assertThat(violations(outcome, RULE)).extracting(v -> v.message().replace("this update loosens the policy: ", ""))
                .containsExactly("allows force pushes");
    }

    @Test
    void tighteningIsNotReported() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.POLICY, GitOpsFixture.POLICY.replace(
                "        environment: staging\n", "        environment: staging\n        maxAge: 7d\n"));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aBranchOfNoEnvironmentMayCarryAnyPolicy() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), GitOpsFixture.policyPlus(ENFORCED));
        RevCommit experiment = gitops.repo().commitOn("main")
                .file(POLICY_FILE, GitOpsFixture.POLICY.replace(REQUIREMENT, "")).create();

        Outcome outcome = gitops.push(gitops.update("feature/relaxed", experiment));

        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    private static final String APPROVALS = MissingApprovalRuleTest.POLICY;
    private static final String KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA7/7itant6EHZflhHzvh4nyN0FxuH6gsUn4j7ek/snK";
    private static final String KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDyu9XLb1oNAmlPnwkzBsSdl8yLfnRufPpIphRcL2z2i";
    private static final String SIGNED = "  signatures: required\n  allowedSigners: .stagegate/allowed_signers\n";

    private List<String> loosenings(Outcome outcome) {
        return violations(outcome, RULE).stream()
                .map(v -> v.message().replace("this update loosens the policy: ", "")).toList();
    }

    @Test
    void weakerApprovalsAreNamed() {
        Outcome outcome = pushPolicyToDevelop(APPROVALS, APPROVALS
                .replace("count: 2", "count: 1")
                .replace("release-managers: [alice, bob, carol]", "release-managers: [alice, bob, carol, eve]")
                .replace("maxAge: 3d", "maxAge: 5d\n      notAuthor: false")
                .replace("  eve: [eve@example.com]\n", "")
                .replace("  alice: [alice@example.com]", "  alice: []".replace("[]", "[alice@corp.example]")));

        assertThat(loosenings(outcome)).containsExactlyInAnyOrder(
                "lowers the approvals production needs from 2 to 1",
                "widens who may approve production: adds eve",
                "turns off notAuthor for production (authors could approve their own changes)",
                "relaxes maxAge of the approvals of production",
                "removes e-mail addresses of alice from identities (alice@example.com), so notAuthor no longer"
                        + " recognises their commits",
                "removes e-mail addresses of eve from identities (eve@example.com), so notAuthor no longer"
                        + " recognises their commits");
    }

    @Test
    void removingRequiresApprovalIsNamed() {
        Outcome outcome = pushPolicyToDevelop(APPROVALS, APPROVALS.replace("""
                    requiresApproval:
                      count: 2
                      from: [release-managers, dana]
                      maxAge: 3d
                """, ""));

        assertThat(loosenings(outcome)).containsExactly("removes requiresApproval of production");
    }

    @Test
    void aLowerOrRemovedSoakIsNamed() {
        String soaking = GitOpsFixture.POLICY.replace("        environment: staging\n",
                "        environment: staging\n        minAge: 24h\n");

        assertThat(loosenings(pushPolicyToDevelop(soaking, soaking.replace("minAge: 24h", "minAge: 2h"))))
                .containsExactly("lowers minAge of the 'integration' evidence of production");
        gitops.close();
        assertThat(loosenings(pushPolicyToDevelop(soaking, GitOpsFixture.POLICY)))
                .containsExactly("removes minAge of the 'integration' evidence of production");
    }

    private void withAllowedSigners(String policy, String signers) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        gitops.commitOnEveryBranch(".stagegate/allowed_signers", signers);
    }

    @Test
    void aKeyAddedToTheAllowedSignersIsALooseningEvenWhenOnlyThatFileChanges() {
        String policy = GitOpsFixture.POLICY.replace("  writers: [ci-bot]\n", "  writers: [ci-bot]\n" + SIGNED);
        withAllowedSigners(policy, "alice " + KEY_A + "\n");
        RevCommit edit = gitops.repo().commitOn("develop").parents(gitops.tip("develop"))
                .filesOf(gitops.tip("develop"))
                .file(".stagegate/allowed_signers", "alice " + KEY_A + "\n# mallory's key\nmallory " + KEY_B + "\n")
                .message("trust mallory").create();

        Outcome outcome = gitops.push(gitops.update("develop", edit));

        assertThat(loosenings(outcome)).singleElement().asString()
                .startsWith("adds a key to the allowed signers: mallory ssh-ed25519 SHA256:")
                .endsWith("(line 3)");
    }

    @Test
    void aMalformedAllowedSignersLineMakesThePushedPolicyInvalid() {
        String policy = GitOpsFixture.POLICY.replace("  writers: [ci-bot]\n", "  writers: [ci-bot]\n" + SIGNED);
        withAllowedSigners(policy, "alice " + KEY_A + "\n");
        RevCommit edit = gitops.repo().commitOn("develop").parents(gitops.tip("develop"))
                .filesOf(gitops.tip("develop"))
                .file(".stagegate/allowed_signers", "alice " + KEY_A + "\nbob ssh-ed25519 not-base64!\n")
                .message("broken").create();

        Outcome outcome = gitops.push(gitops.update("develop", edit));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome, "policy-invalid")).isNotEmpty()
                .allSatisfy(v -> assertThat(v.fileLocation()).startsWith(".stagegate/allowed_signers:2:"));
    }

    @Test
    void weakerSignaturesAreNamedAndTurningThemOnIsNot() {
        String optional = GitOpsFixture.POLICY.replace("  writers: [ci-bot]\n",
                "  writers: [ci-bot]\n  signatures: optional\n  allowedSigners: .stagegate/allowed_signers\n");
        withAllowedSigners(optional.replace("optional", "required"), "alice " + KEY_A + "\n");
        RevCommit weaker = gitops.repo().commitOn("develop").parents(gitops.tip("develop"))
                .filesOf(gitops.tip("develop")).file(".stagegate/policy.yaml", optional).create();
        assertThat(loosenings(gitops.push(gitops.update("develop", weaker))))
                .containsExactly("weakens evidence.signatures from required to optional");
        gitops.close();

        withAllowedSigners(GitOpsFixture.POLICY, "");
        RevCommit on = gitops.repo().commitOn("develop").parents(gitops.tip("develop"))
                .filesOf(gitops.tip("develop")).file(".stagegate/policy.yaml", optional.replace("optional", "required"))
                .file(".stagegate/allowed_signers", "alice " + KEY_A + "\n").create();
        Outcome outcome = gitops.push(gitops.update("develop", on));
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    private static final String KUBERNETES = """
            kubernetes:
              manifests: ["apps/**/*.yaml", "clusters/**/*.yaml"]
              exclude: ["**/kustomization.yaml"]
              strict: true
              missingSchema: error
              skipKinds: [SealedSecret]
            """;

    @Test
    void checkingFewerKubernetesResourcesOrLessStrictlyIsALoosening() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(KUBERNETES), GitOpsFixture.policyPlus(KUBERNETES
                .replace("\"apps/**/*.yaml\", ", "")
                .replace("[\"**/kustomization.yaml\"]", "[\"**/kustomization.yaml\", \"apps/**\"]")
                .replace("strict: true", "strict: false")
                .replace("missingSchema: error", "missingSchema: ignore")
                .replace("[SealedSecret]", "[SealedSecret, Deployment]")));

        assertThat(loosenings(outcome)).containsExactlyInAnyOrder(
                "turns off kubernetes.strict (unknown fields pass)",
                "relaxes kubernetes.missingSchema from error to ignore",
                "adds to kubernetes.skipKinds: Deployment",
                "narrows kubernetes.manifests: removes apps/**/*.yaml",
                "adds to kubernetes.exclude: apps/**");
    }

    @Test
    void removingTheKubernetesSectionIsALoosening() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(KUBERNETES), GitOpsFixture.POLICY);

        assertThat(loosenings(outcome)).containsExactly("removes the kubernetes section (resources are no longer"
                + " checked)");
    }

    @Test
    void checkingMoreKubernetesResourcesIsNoLoosening() {
        Outcome outcome = pushPolicyToDevelop(GitOpsFixture.policyPlus(KUBERNETES), GitOpsFixture.policyPlus(KUBERNETES
                .replace("missingSchema: error", "missingSchema: error\n  crds: [\"crds/**\"]")
                .replace("[SealedSecret]", "[]")));

        assertThat(loosenings(outcome)).isEmpty();
    }

    private static final String RULES = """
            rules:
              - id: prod-replicas
                environments: [staging, production]
                files: ["apps/**/values.yaml", "charts/**/values.yaml"]
                expression: "object.replicas >= 2"
              - id: no-latest
                files: "apps/**/values.yaml"
                expression: "!object.image.tag.endsWith('latest')"
              - id: deployments-only
                files: "apps/**/*.yaml"
                kinds: ["apps/v1/Deployment", "apps/v1/StatefulSet"]
                expression: "has(object.spec)"
            """;

    private static final String WITH_RULES = GitOpsFixture.policyPlus(KUBERNETES + RULES);

    private static List<String> customLoosenings(String before, String after) {
        return PolicyLoosenedRule.compare(policy(before), policy(after));
    }

    private static Policy policy(String yaml) {
        PolicyLoadResult result = new PolicyLoader().load(yaml.getBytes(StandardCharsets.UTF_8), POLICY_FILE);
        assertThat(result.problems()).as("problems of the test's policy").isEmpty();
        return result.policy().orElseThrow();
    }

    @Test
    void removingACustomRuleIsALoosening() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("""
                  - id: no-latest
                    files: "apps/**/values.yaml"
                    expression: "!object.image.tag.endsWith('latest')"
                """, ""))).containsExactly("removes rule no-latest");
    }

    @Test
    void droppingAnEnvironmentFromARuleIsALoosening() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("[staging, production]", "[production]")))
                .containsExactly("narrows the environments of rule prod-replicas: removes staging");
    }

    @Test
    void givingARuleWithoutEnvironmentsAListDropsTheOthers() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("""
                  - id: no-latest
                """, """
                  - id: no-latest
                    environments: [production]
                """))).containsExactly("narrows the environments of rule no-latest: removes development, testing,"
                + " staging");
    }

    @Test
    void removingAGlobFromFilesIsALoosening() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace(", \"charts/**/values.yaml\"]", "]")))
                .containsExactly("narrows the files of rule prod-replicas: removes charts/**/values.yaml");
    }

    @Test
    void narrowingKindsIsALoosening() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace(", \"apps/v1/StatefulSet\"]", "]")))
                .containsExactly("narrows the kinds of rule deployments-only: removes apps/v1/StatefulSet");
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("""
                  - id: no-latest
                """, """
                  - id: no-latest
                    kinds: ["apps/v1/Deployment"]
                """))).containsExactly("narrows rule no-latest to the kinds apps/v1/Deployment (it judged every"
                + " document)");
    }

    @Test
    void settingARuleToWarnIsALooseningWhereverItIsSet() {
        String ownMode = WITH_RULES.replace("""
                    expression: "object.replicas >= 2"
                """, """
                    expression: "object.replicas >= 2"
                    mode: warn
                """);

        assertThat(customLoosenings(WITH_RULES, ownMode)).containsExactly("sets prod-replicas to warn");
        assertThat(customLoosenings(WITH_RULES, WITH_RULES + "ruleModes:\n  no-latest: \"off\"\n"))
                .containsExactly("sets no-latest to off");
        assertThat(customLoosenings(WITH_RULES, WITH_RULES + "mode: warn\n"))
                .contains("sets prod-replicas to warn", "sets no-latest to warn", "sets deployments-only to warn",
                        "sets skipped-stage to warn");
    }

    @Test
    void anyChangeOfAnExpressionIsNamedWithBothTexts() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("object.replicas >= 2", "object.replicas >= 3")))
                .containsExactly("changes the expression of rule prod-replicas from 'object.replicas >= 2' to"
                        + " 'object.replicas >= 3' (whether it is weaker cannot be decided: review it)");
    }

    @Test
    void aLongOrMultiLineExpressionIsQuotedOnOneLineAndCut() {
        String longer = "object.replicas >= 2 && " + "has(object.image) && ".repeat(10) + "true";
        String changed = WITH_RULES.replace("""
                    expression: "object.replicas >= 2"
                """, """
                    expression: |
                      object.replicas >= 2
                        && %s
                """.formatted(longer));

        String finding = customLoosenings(WITH_RULES, changed).get(0);

        assertThat(finding).doesNotContain("\n")
                .contains("to 'object.replicas >= 2 && object.replicas >= 2 && has(object.image) && ")
                .contains("...' (whether");
        assertThat(finding.length()).isLessThan(300);
    }

    @Test
    void wideningOrAddingRulesIsNoLoosening() {
        String wider = WITH_RULES
                .replace("    environments: [staging, production]\n", "")
                .replace("\"charts/**/values.yaml\"]", "\"charts/**/values.yaml\", \"apps/**/values.json\"]")
                .replace("    kinds: [\"apps/v1/Deployment\", \"apps/v1/StatefulSet\"]\n", "")
                + """
                  - id: added
                    files: "apps/**"
                    expression: "true"
                    mode: warn
                ruleModes:
                  no-latest: enforce
                """;

        assertThat(customLoosenings(WITH_RULES, wider)).isEmpty();
    }

    @Test
    void unchangedRulesAndANewMessageAreNoLoosening() {
        assertThat(customLoosenings(WITH_RULES, WITH_RULES)).isEmpty();
        assertThat(customLoosenings(WITH_RULES, WITH_RULES.replace("""
                    expression: "object.replicas >= 2"
                """, """
                    expression: "object.replicas >= 2"
                    message: "production runs at least two replicas"
                    fieldPath: replicas
                """))).isEmpty();
        assertThat(customLoosenings(GitOpsFixture.policyPlus(KUBERNETES), WITH_RULES)).isEmpty();
    }

    @Test
    void aChangedExpressionPushedToAnEnvironmentIsReported() {
        Outcome outcome = pushPolicyToDevelop(WITH_RULES, WITH_RULES.replace(">= 2", ">= 1"));

        assertThat(warnings(outcome)).as(render(outcome)).contains(RULE);
        assertThat(loosenings(outcome)).containsExactly("changes the expression of rule prod-replicas from"
                + " 'object.replicas >= 2' to 'object.replicas >= 1' (whether it is weaker cannot be decided: review it)");
    }
}
