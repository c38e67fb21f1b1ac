package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTestRunnerTest {

    private static final Instant RUN_TIME = Instant.parse("2026-11-25T10:00:00Z");

    /** develop -> test -> main of the fixture policy, with a new replica count waiting on develop. */
    private static final String HISTORY = """
            history:
              - {branch: main, repositoryFiles: ["schemas/*"],
                 files: {apps/web/values.yaml: "replicas: 2\\n", env/values.yaml: "production\\n"}}
              - {branch: test, from: main, files: {env/values.yaml: "testing\\n"}}
              - {branch: develop, from: main, files: {env/values.yaml: "development\\n"}}
              - {branch: develop, files: {apps/web/values.yaml: "replicas: 3\\n"}}
            """;

    @TempDir
    Path repository;

    @BeforeEach
    void copyFixtureRepository() throws IOException, URISyntaxException {
        Path fixture = Path.of(PolicyTestRunnerTest.class.getResource("/policytest/repository").toURI());
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = repository.resolve(fixture.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    @Test
    void runsEveryCaseAndShowsHowAFailingOneDiffers() throws IOException {
        writeCase("a-promotion.yaml", """
                name: develop into test is accepted
                %s
                push: [{branch: test, merge: develop}]
                expect: {decision: accept, warnings: []}
                """.formatted(HISTORY));
        writeCase("b-skip.yaml", """
                name: develop into main is accepted (it is not)
                %s
                push: [{branch: main, merge: develop}]
                expect: {decision: accept}
                """.formatted(HISTORY));

        PolicyTestRun run = run();

        assertThat(run.problems()).isEmpty();
        assertThat(run.cases()).extracting(CaseResult::status)
                .containsExactly(CaseResult.Status.PASSED, CaseResult.Status.FAILED);
        CaseResult failed = run.cases().get(1);
        assertThat(failed.differences()).containsExactly(
                "decision: expected accept, actual reject",
                "errors: expected [], actual [missing-evidence, skipped-stage] (unexpected missing-evidence,"
                        + " skipped-stage)");
        assertThat(failed.verdict().orElseThrow().violations())
                .allSatisfy(violation -> assertThat(violation.ref()).isEqualTo("refs/heads/main"));
        assertThat(failed.testCase().location()).isEqualTo(".stagegate/tests/b-skip.yaml:1:1");
        assertThat(run.status()).isEqualTo(ExitStatus.REJECTED);
    }

    @Test
    void passesWhenEveryCaseGetsItsVerdict() throws IOException {
        writeCase("skip.yaml", """
                name: develop into main is rejected
                %s
                push: [{branch: main, merge: develop}]
                expect:
                  decision: reject
                  errors: [skipped-stage, missing-evidence]
                  messages: ["not yet in testing"]
                """.formatted(HISTORY));

        assertThat(run().status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void judgesAtTheCasesTimeOrElseAtTheRunsClock() throws IOException {
        String frozen = """
                name: production's own settings are frozen over the holidays
                %s
                push: [{branch: main, files: {env/values.yaml: "production, quieter\\n"}}]
                expect: {decision: reject, errors: [freeze-window], messages: ["frozen by 'holidays'"]}
                """.formatted(HISTORY);
        writeCase("freeze.yaml", frozen);

        assertThat(run().status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(runner(Instant.parse("2026-12-25T12:00:00Z")).run(request()).status()).isEqualTo(ExitStatus.ACCEPTED);

        writeCase("freeze.yaml", "now: 2026-12-25T12:00:00Z\n" + frozen);
        assertThat(run().status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void countsEvidenceRecordedBeforeThePushWhileItIsFresh() throws IOException {
        String promotion = """
                name: test into main with integration evidence
                now: 2026-11-25T10:00:00Z
                %s  - {branch: test, merge: develop}
                evidence:
                  - {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,
                     recordedAt: "%s"}
                push: [{branch: main, merge: test}]
                expect: {decision: accept, warnings: []}
                """;
        writeCase("evidence.yaml", promotion.formatted(HISTORY, "2026-11-25T09:00:00Z"));
        assertThat(run().status()).isEqualTo(ExitStatus.ACCEPTED);

        writeCase("evidence.yaml", promotion.formatted(HISTORY, "2026-11-24T09:00:00Z"));
        PolicyTestRun stale = run();
        assertThat(stale.cases().get(0).differences()).contains(
                "errors: expected [], actual [missing-evidence] (unexpected missing-evidence)");
    }

    @Test
    void judgesEveryUpdateOfAPushAgainstTheRefsBeforeIt() throws IOException {
        writeCase("one-push.yaml", """
                name: develop into test and on into main in one push
                %s
                push:
                  - {branch: test, merge: develop}
                  - {branch: main, merge: test}
                expect:
                  decision: reject
                  errors: [skipped-stage, missing-evidence]
                  messages: ["refs/heads/main (production)"]
                """.formatted(HISTORY));

        PolicyTestRun run = run();

        assertThat(run.cases().get(0).differences()).isEmpty();
        assertThat(run.cases().get(0).verdict().orElseThrow().violations())
                .noneSatisfy(violation -> assertThat(violation.ref()).isEqualTo("refs/heads/test"));
    }

    @Test
    void testsTheGivenPolicyInsteadOfTheRepositorysOwn() throws IOException {
        writeCase("skip.yaml", """
                name: develop into main is only a skipped stage without required evidence
                %s
                push: [{branch: main, merge: develop}]
                expect: {decision: reject, errors: [skipped-stage]}
                """.formatted(HISTORY));
        Path lenient = repository.resolve("lenient.yaml");
        Files.writeString(lenient, Files.readString(repository.resolve(".stagegate/policy.yaml"))
                .replace("    requiresEvidence:\n      - suite: integration\n        maxAge: 24h\n", ""));

        assertThat(run().status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(runner(RUN_TIME).run(new PolicyTestRequest(repository, Optional.empty(), Optional.of(lenient)))
                .status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void reportsAnInvalidPolicyAtItsLocationAndRunsNoCase() throws IOException {
        writeCase("skip.yaml", "name: any\npush: [{branch: main, to: develop}]\nexpect: {decision: accept}\n");
        Files.writeString(repository.resolve(".stagegate/policy.yaml"), """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: production
                    branch: main
                    promotesFrom: staging
                """);

        PolicyTestRun run = run();

        assertThat(run.cases()).isEmpty();
        assertThat(run.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(".stagegate/policy.yaml");
            assertThat(problem.position()).isEqualTo(new SourcePosition(6, 5));
            assertThat(problem.message()).contains("staging");
        });
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void needsAPolicyAndCases() throws IOException {
        assertThat(run().problems()).extracting(InputProblem::describe).containsExactly(
                ".stagegate/tests:1:1: there are no test cases: .stagegate/tests does not exist; write them in"
                        + " .stagegate/tests/*.yaml (docs/policy-tests.md)");

        Files.createDirectories(repository.resolve(".stagegate/tests"));
        Files.delete(repository.resolve(".stagegate/policy.yaml"));
        PolicyTestRun run = run();
        assertThat(run.problems()).extracting(InputProblem::describe).containsExactly(
                ".stagegate/policy.yaml:1:1: there is no policy to test: .stagegate/policy.yaml does not exist; point"
                        + " --repo at the repository, or give the policy with --policy",
                ".stagegate/tests:1:1: there are no test cases: .stagegate/tests holds no *.yaml file");
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void anInvalidFileDoesNotKeepTheOthersFromRunning() throws IOException {
        writeCase("broken.yaml", "name: broken\npush: []\nexpect: {decision: accept}\n");
        writeCase("fine.yaml", "name: fine\n" + HISTORY + "push: [{branch: develop, files: {a: b}}]\n"
                + "expect: {decision: accept}\n");

        PolicyTestRun run = run();

        assertThat(run.problems()).extracting(InputProblem::describe)
                .containsExactly(".stagegate/tests/broken.yaml:2:1: push: must have at least 1 item, found 0");
        assertThat(run.cases()).extracting(CaseResult::status).containsExactly(CaseResult.Status.PASSED);
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void aCaseThatCannotBeBuiltIsInvalidWhereItGoesWrong() throws IOException {
        writeCase("typo.yaml", "name: typo\n" + HISTORY + "push: [{branch: main, merge: stagign}]\n"
                + "expect: {decision: accept}\n");

        PolicyTestRun run = run();

        CaseResult result = run.cases().get(0);
        assertThat(result.status()).isEqualTo(CaseResult.Status.INVALID);
        assertThat(result.problems()).extracting(InputProblem::describe).containsExactly(
                ".stagegate/tests/typo.yaml:8:23: there is no branch 'stagign' at this point of the case, so"
                        + " 'stagign' names no commit");
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void aPolicyPatchChangesThePolicyForItsCaseOnly() throws IOException {
        String promotionByMerge = "%s\n" + HISTORY + "push: [{branch: test, merge: develop}]\n%s\n";
        writeCase("a-by-content.yaml", promotionByMerge.formatted("name: by content",
                "expect: {decision: accept, warnings: []}"));
        writeCase("b-fast-forward-only.yaml", promotionByMerge.formatted(
                "name: fast-forward only\npolicyPatch: {promotion: {fastForwardOnly: true}}",
                "expect: {decision: reject, errors: [skipped-stage]}"));
        writeCase("c-by-content-again.yaml", promotionByMerge.formatted("name: by content again",
                "expect: {decision: accept, warnings: []}"));

        PolicyTestRun run = run();

        assertThat(run.problems()).isEmpty();
        assertThat(run.cases()).extracting(CaseResult::status).containsOnly(CaseResult.Status.PASSED);
        assertThat(run.cases()).hasSize(3);
    }

    @Test
    void aCaseExpectingAnUnknownRuleIdIsInvalid() throws IOException {
        writeCase("misspelt.yaml", "name: misspelt\n" + HISTORY
                + "push: [{branch: main, merge: develop}]\nexpect: {decision: reject, errors: [skiped-stage]}\n");

        CaseResult result = run().cases().get(0);

        assertThat(result.status()).isEqualTo(CaseResult.Status.INVALID);
        assertThat(result.problems()).singleElement().satisfies(problem -> assertThat(problem.describe())
                .isEqualTo(".stagegate/tests/misspelt.yaml:1:1: expects rule id 'skiped-stage', which is neither a"
                        + " built-in rule nor a rule of the policy under test (did you mean 'skipped-stage'?)"));
    }

    @Test
    void aCaseMayExpectACustomRuleOfThePolicyItRunsUnder() throws IOException {
        writeCase("custom.yaml", """
                name: production keeps two replicas
                policyPatch:
                  rules:
                    - id: replica-floor
                      environments: [production]
                      files: "apps/**/values.yaml"
                      expression: "object.replicas >= 4"
                %s
                push: [{branch: main, merge: develop}]
                expect: {decision: reject, errors: [skipped-stage, missing-evidence, replica-floor]}
                """.formatted(HISTORY));

        CaseResult result = run().cases().get(0);

        assertThat(result.problems()).isEmpty();
        assertThat(result.status()).isEqualTo(CaseResult.Status.PASSED);
    }

    @Test
    void aPolicyPatchThatLeavesThePolicyInvalidMakesItsCaseInvalidAtThePatch() throws IOException {
        writeCase("broken.yaml", "name: broken\npolicyPatch:\n  mode: sometimes\n" + HISTORY
                + "push: [{branch: test, merge: develop}]\nexpect: {decision: accept}\n");

        CaseResult result = run().cases().get(0);

        assertThat(result.status()).isEqualTo(CaseResult.Status.INVALID);
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.describe()).startsWith(".stagegate/tests/broken.yaml:2:1: with this policyPatch the"
                    + " policy is invalid: ");
            assertThat(problem.describe()).contains("sometimes");
        });
    }

    @Test
    void runsEveryYamlFileBelowTheDirectoryOrTheOneFileGiven() throws IOException {
        String accepted = "%s\n" + HISTORY + "push: [{branch: develop, files: {a: b}}]\nexpect: {decision: accept}\n";
        writeCase("nested/deeper/one.yml", accepted.formatted("name: one"));
        writeCase("two.yaml", accepted.formatted("name: two"));
        writeCase("README.md", "not a case");

        assertThat(run().cases()).extracting(result -> result.testCase().name()).containsExactly("one", "two");
        Path single = repository.resolve(".stagegate/tests/two.yaml");
        assertThat(runner(RUN_TIME).run(new PolicyTestRequest(repository, Optional.of(single), Optional.empty()))
                .cases()).extracting(result -> result.testCase().name()).containsExactly("two");
    }

    private void writeCase(String name, String yaml) throws IOException {
        Path file = repository.resolve(".stagegate/tests").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    private PolicyTestRun run() {
        return runner(RUN_TIME).run(request());
    }

    private PolicyTestRequest request() {
        return new PolicyTestRequest(repository, Optional.empty(), Optional.empty());
    }

    private static PolicyTestRunner runner(Instant now) {
        return new PolicyTestRunner(new PolicyLoader(), RuleRegistry.standard(YamlLimits.DEFAULTS),
                Clock.fixed(now, ZoneOffset.UTC));
    }
}
