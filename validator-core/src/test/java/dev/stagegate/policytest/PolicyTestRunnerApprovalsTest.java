package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.testing.SshKeys;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases that hold approvals, signed records and the clock, run against a policy whose
 * production needs two approvals from release-managers and integration evidence that has soaked
 * for two hours. Each case states its own expected verdict; a test asserts that every case got
 * it, so the YAML here is also what users write.
 */
class PolicyTestRunnerApprovalsTest {

    private static final Instant RUN_TIME = Instant.parse("2026-11-25T10:00:00Z");

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: testing
                branch: test
                promotesFrom: development
              - name: production
                branch: main
                promotesFrom: testing
                requiresEvidence:
                  - suite: integration
                    maxAge: 24h
                    minAge: 2h
                requiresApproval:
                  count: 2
                  from: [release-managers]
            groups:
              release-managers: [alice, bob, carol]
            identities:
              alice: [alice@example.com]
            environmentSpecificPaths: ["env/**"]
            evidence:
              trustedProducers: [ci-bot]
              writers: [ci-bot]
            %s""";

    private static final String REQUIRED_SIGNATURES = """
              signatures: required
              allowedSigners: .stagegate/allowed_signers
            """;

    /**
     * develop -> test -> main, with a change on develop by AUTHOR promoted into test: the
     * content production's approvals are given for.
     */
    private static final String HISTORY = """
            history:
              - {branch: main, files: {apps/web/values.yaml: "replicas: 2\\n", env/values.yaml: "production\\n"}
                 %s}
              - {branch: test, from: main, files: {env/values.yaml: "testing\\n"}}
              - {branch: develop, from: main, files: {env/values.yaml: "development\\n"}}
              - {branch: develop, files: {apps/web/values.yaml: "replicas: 3\\n"}, author: AUTHOR}
              - {branch: test, merge: develop}
            """;

    @TempDir
    Path repository;

    @Test
    void countsDistinctApproversButNotTheAuthorOfAPromotedChangeAndARejectionBlocks() throws IOException {
        writePolicy("");
        String integration = "- {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,"
                + " recordedAt: \"2026-11-25T07:00:00Z\"}\n    ";
        writeCase("""
                - name: two release managers approve
                  now: 2026-11-25T10:00:00Z
                  %1$s
                  evidence:
                    %2$s- {on: test, approval: production, approver: alice}
                    - {on: test, approval: production, approver: bob, recordedAt: "2026-11-25T09:00:00Z"}
                  push: [{branch: main, merge: test}]
                  expect: {decision: accept, warnings: []}

                - name: one approver twice is one approval
                  now: 2026-11-25T10:00:00Z
                  %1$s
                  evidence:
                    %2$s- {on: test, approval: production, approver: alice, recordedAt: "2026-11-25T08:00:00Z"}
                    - {on: test, approval: production, approver: alice}
                  push: [{branch: main, merge: test}]
                  expect: {decision: reject, errors: [missing-approval], messages: ["1 counts (alice)"]}

                - name: the author's approval does not count
                  now: 2026-11-25T10:00:00Z
                  %3$s
                  evidence:
                    %2$s- {on: test, approval: production, approver: alice}
                    - {on: test, approval: production, approver: bob}
                  push: [{branch: main, merge: test}]
                  expect:
                    decision: reject
                    errors: [missing-approval]
                    messages: ["1 counts (bob)", "alice (the author of promoted change"]

                - name: a rejection blocks
                  now: 2026-11-25T10:00:00Z
                  %1$s
                  evidence:
                    %2$s- {on: test, approval: production, approver: alice}
                    - {on: test, approval: production, approver: bob}
                    - {on: test, approval: production, approver: carol, decision: rejected, comment: "INC-7 still open"}
                  push: [{branch: main, merge: test}]
                  expect: {decision: reject, errors: [missing-approval], messages: ["rejected by carol", "INC-7 still open"]}
                """.formatted(history("nobody@example.com", ""), integration, history("alice@example.com", "")));

        assertEveryCasePasses(run());
    }

    @Test
    void judgesTheSoakAtTheCasesNow() throws IOException {
        writePolicy("");
        String soak = """
                - name: integration has passed since 09:00
                  now: %s
                  %s
                  evidence:
                    - {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,
                       recordedAt: "2026-11-25T09:00:00Z"}
                    - {on: test, approval: production, approver: alice, recordedAt: "2026-11-25T09:00:00Z"}
                    - {on: test, approval: production, approver: bob, recordedAt: "2026-11-25T09:00:00Z"}
                  push: [{branch: main, merge: test}]
                  expect: %s
                """;
        writeCase(soak.formatted("2026-11-25T10:00:00Z", history("nobody@example.com", ""),
                "{decision: reject, errors: [missing-evidence], messages: [\"ready at 2026-11-25T11:00\"]}"));
        assertEveryCasePasses(run());

        writeCase(soak.formatted("2026-11-25T11:30:00Z", history("nobody@example.com", ""),
                "{decision: accept, warnings: []}"));
        assertEveryCasePasses(run());
    }

    @Test
    void signedRecordsCountWhereSignaturesAreRequiredAndUnsignedOnesDoNot() throws IOException {
        writePolicy(REQUIRED_SIGNATURES);
        writeCase("""
                - name: signed approvals and evidence count
                  now: 2026-11-25T10:00:00Z
                  allowedSigners: [alice, bob, ci-bot]
                  %1$s
                  evidence:
                    - {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,
                       recordedAt: "2026-11-25T07:00:00Z", signedBy: ci-bot}
                    - {on: test, approval: production, approver: alice, signedBy: alice}
                    - {on: test, approval: production, approver: bob, signedBy: bob}
                  push: [{branch: main, merge: test}]
                  expect: {decision: accept, warnings: []}

                - name: an unsigned approval and one signed with another's key do not count
                  now: 2026-11-25T10:00:00Z
                  allowedSigners: [alice, bob, ci-bot]
                  %1$s
                  evidence:
                    - {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,
                       recordedAt: "2026-11-25T07:00:00Z", signedBy: ci-bot}
                    - {on: test, approval: production, approver: alice}
                    - {on: test, approval: production, approver: bob, signedBy: alice}
                  push: [{branch: main, merge: test}]
                  expect:
                    decision: reject
                    errors: [missing-approval]
                    messages: ["alice (not signed", "bob (signature does not verify"]
                """.formatted(history("nobody@example.com", "")));

        assertEveryCasePasses(run());
    }

    @Test
    void aPushedApprovalMustCarryASignatureByTheApproversKey() throws IOException {
        writePolicy(REQUIRED_SIGNATURES);
        String push = """
                - name: %s
                  now: 2026-11-25T10:00:00Z
                  allowedSigners: [alice]
                  pusher: ci-bot
                  %s
                  push:
                    - evidence:
                        - {on: test, approval: production, approver: alice, signedBy: %s}
                  expect: %s
                """;
        writeCase(push.formatted("the CI pushes alice's signed approval", history("nobody@example.com", ""), "alice",
                "{decision: accept, warnings: []}")
                + push.formatted("a signature by a key not listed for alice is refused",
                        history("nobody@example.com", ""), "mallory",
                        "{decision: reject, errors: [evidence-tamper], messages: [\"signature does not verify\"]}"));

        assertEveryCasePasses(run());
    }

    @Test
    void signsWithKeyFilesAndReadsThePolicysAllowedSignersFromTheHistory() throws IOException {
        writePolicy(REQUIRED_SIGNATURES);
        Path keys = Files.createDirectories(repository.resolve("keys"));
        StringBuilder allowed = new StringBuilder();
        for (String name : new String[] {"ci-bot", "alice", "bob"}) {
            SshKeys.Key key = SshKeys.generate(keys, name);
            // As a checkout leaves it: readable by all, which ssh-keygen refuses for a key it signs with.
            Files.setPosixFilePermissions(key.privateKey(), PosixFilePermissions.fromString("rw-r--r--"));
            allowed.append(name).append(' ').append(key.publicKey()).append('\n');
        }
        Files.writeString(repository.resolve(".stagegate/allowed_signers"), allowed);
        String evidence = """
                  evidence:
                    - {on: test, suite: integration, environment: testing, result: passed, producer: ci-bot,
                       recordedAt: "2026-11-25T07:00:00Z", signedBy: {keyFile: keys/ci-bot}}
                    - {on: test, approval: production, approver: alice, signedBy: {keyFile: keys/alice}}
                    - {on: test, approval: production, approver: bob, signedBy: %s}
                """;
        writeCase("""
                - name: records signed with the repository's keys count
                  now: 2026-11-25T10:00:00Z
                  %1$s
                %2$s
                  push: [{branch: main, merge: test}]
                  expect: {decision: accept, warnings: []}

                - name: a generated key is not in the policy's file
                  now: 2026-11-25T10:00:00Z
                  %1$s
                %3$s
                  push: [{branch: main, merge: test}]
                  expect: {decision: reject, errors: [missing-approval], messages: ["bob (signature does not verify"]}
                """.formatted(history("nobody@example.com", "repositoryFiles: [.stagegate/allowed_signers]"),
                evidence.formatted("{keyFile: keys/bob}"), evidence.formatted("bob")));
        assertEveryCasePasses(run());

        writeCase("""
                - name: the history lacks the allowed-signers file
                  now: 2026-11-25T10:00:00Z
                  %s
                %s
                  push: [{branch: main, merge: test}]
                  expect: {decision: accept}
                """.formatted(history("nobody@example.com", ""), evidence.formatted("{keyFile: keys/bob}")));
        PolicyTestRun missing = run();
        assertThat(missing.cases()).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(CaseResult.Status.INVALID);
            assertThat(result.problems()).extracting(InputProblem::describe).singleElement().asString()
                    .startsWith(".stagegate/tests/approvals.yaml:1:3: the policy's allowed signers cannot be used at"
                            + " the tip of the default branch 'main'")
                    .contains(".stagegate/allowed_signers");
        });
        assertThat(missing.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void aKeyFileOutsideTheRepositoryIsAMistakeInTheCase() throws IOException {
        writePolicy(REQUIRED_SIGNATURES);
        writeCase("""
                name: a key outside the repository
                now: 2026-11-25T10:00:00Z
                allowedSigners: [alice]
                %s
                evidence:
                  - {on: test, approval: production, approver: alice, signedBy: {keyFile: ../../etc/ssh/key}}
                push: [{branch: main, merge: test}]
                expect: {decision: accept}
                """.formatted(history("nobody@example.com", "")));

        PolicyTestRun run = run();

        assertThat(run.cases().get(0).problems()).extracting(InputProblem::describe).containsExactly(
                ".stagegate/tests/approvals.yaml:12:5: signedBy keyFile ../../etc/ssh/key is not a regular file of"
                        + " the repository under test; give the private key's path relative to --repo");
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void withoutSshKeygenASignedCaseFailsTheRunWithItsMessage() throws IOException {
        writePolicy(REQUIRED_SIGNATURES);
        writeCase("""
                name: alice signs
                now: 2026-11-25T10:00:00Z
                allowedSigners: [alice]
                %s
                evidence:
                  - {on: test, approval: production, approver: alice, signedBy: alice}
                push: [{branch: main, merge: test}]
                expect: {decision: accept}
                """.formatted(history("nobody@example.com", "")));

        PolicyTestRun run = new PolicyTestRunner(new PolicyLoader(), RuleRegistry.standard(YamlLimits.DEFAULTS),
                Clock.fixed(RUN_TIME, ZoneOffset.UTC), repository.resolve("no-such/ssh-keygen").toString())
                .run(new PolicyTestRequest(repository, java.util.Optional.empty(), java.util.Optional.empty()));

        assertThat(run.cases()).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(CaseResult.Status.ERROR);
            assertThat(result.error()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("cannot run " + repository.resolve("no-such/ssh-keygen")
                            + " to generate the test key for 'alice'")
                    .contains("No such file or directory", "openssh-client"));
        });
        assertThat(run.status()).isEqualTo(ExitStatus.CANNOT_JUDGE);
    }

    private static String history(String author, String mainExtras) {
        return HISTORY.replace("AUTHOR", author).formatted(mainExtras.isEmpty() ? "" : ", " + mainExtras)
                .strip().replace("\n", "\n  ");
    }

    private static void assertEveryCasePasses(PolicyTestRun run) {
        assertThat(run.problems()).isEmpty();
        assertThat(run.cases()).isNotEmpty().allSatisfy(result -> assertThat(result.status())
                .as("%s: %s %s %s %s", result.testCase().name(), result.differences(), result.problems(),
                        result.error(), result.verdict().map(verdict -> verdict.violations().toString()).orElse(""))
                .isEqualTo(CaseResult.Status.PASSED));
        assertThat(run.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    private void writePolicy(String evidenceSettings) throws IOException {
        Files.createDirectories(repository.resolve(".stagegate"));
        Files.writeString(repository.resolve(".stagegate/policy.yaml"), POLICY.formatted(evidenceSettings));
    }

    private void writeCase(String yaml) throws IOException {
        Path file = repository.resolve(".stagegate/tests/approvals.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    private PolicyTestRun run() {
        return new PolicyTestRunner(new PolicyLoader(), RuleRegistry.standard(YamlLimits.DEFAULTS),
                Clock.fixed(RUN_TIME, ZoneOffset.UTC)).run(new PolicyTestRequest(repository,
                java.util.Optional.empty(), java.util.Optional.empty()));
    }
}
