package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.Pusher;
import dev.stagegate.report.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestCaseReaderTest {

    private final TestCaseReader reader = new TestCaseReader();

    @Test
    void readsACaseWithEveryPart() {
        TestCaseFile file = read("""
                name: develop straight into main is rejected
                now: 2026-11-27T12:00:00+01:00
                pusher: alice
                pushOptions: ["stagegate.bypass=INC-1"]
                defaultBranch: trunk
                history:
                  - branch: trunk
                    files: {"env/values.yaml": "production\\n"}
                    repositoryFiles: ["schemas/**"]
                    message: first
                evidence:
                  - {on: staging~1, suite: integration, environment: staging, result: passed, producer: ci-bot,
                     recordedAt: "2026-11-27T10:00:00Z"}
                push:
                  - branch: main
                    merge: develop
                expect:
                  decision: reject
                  errors: [skipped-stage, missing-evidence]
                  warnings: []
                  messages: ["not yet in testing"]
                """);

        assertThat(file.problems()).isEmpty();
        TestCase testCase = file.cases().get(0);
        assertThat(testCase.name()).isEqualTo("develop straight into main is rejected");
        assertThat(testCase.file()).isEqualTo("case.yaml");
        assertThat(testCase.position()).isEqualTo(new SourcePosition(1, 1));
        assertThat(testCase.now()).contains(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(testCase.pusher()).isEqualTo(new Pusher(Optional.of("alice")));
        assertThat(testCase.pushOptions()).containsExactly("stagegate.bypass=INC-1");
        assertThat(testCase.defaultBranch()).isEqualTo("trunk");
        Step.Commit first = (Step.Commit) testCase.history().get(0);
        assertThat(first.refName()).isEqualTo("refs/heads/trunk");
        assertThat(first.kind()).isEqualTo(Step.CommitKind.CHANGE);
        assertThat(first.files()).containsEntry("env/values.yaml", "production\n");
        assertThat(first.repositoryFiles()).containsExactly("schemas/**");
        assertThat(first.message()).contains("first");
        EvidenceEntry evidence = testCase.evidence().get(0);
        assertThat(evidence.on().refName()).isEqualTo("refs/heads/staging");
        assertThat(evidence.on().hops()).containsExactly(new Revision.Hop(true, 1));
        assertThat(evidence.content()).isEqualTo(new EvidenceEntry.TestRun("integration", "staging", "passed",
                Optional.of(Instant.parse("2026-11-27T10:00:00Z")), "ci-bot"));
        assertThat(evidence.signedBy()).isEmpty();
        Step.Commit merge = (Step.Commit) testCase.push().get(0);
        assertThat(merge.kind()).isEqualTo(Step.CommitKind.MERGE);
        assertThat(merge.source().orElseThrow().text()).isEqualTo("develop");
        assertThat(merge.keepEnvironmentFiles()).isTrue();
        assertThat(testCase.expectation()).isEqualTo(new Expectation("reject",
                Set.of("skipped-stage", "missing-evidence"), Optional.of(Set.of()), List.of("not yet in testing")));
    }

    @Test
    void fillsInWhatACaseLeavesOut() {
        TestCase testCase = read("""
                name: minimal
                push: [{branch: develop, files: {a.txt: "a\\n"}}]
                expect: {decision: accept}
                """).cases().get(0);

        assertThat(testCase.now()).isEmpty();
        assertThat(testCase.allowedSigners()).isEmpty();
        assertThat(testCase.pusher()).isEqualTo(Pusher.ANONYMOUS);
        assertThat(testCase.defaultBranch()).isEqualTo("main");
        assertThat(testCase.history()).isEmpty();
        assertThat(testCase.expectation().errors()).isEmpty();
        assertThat(testCase.expectation().warnings()).isEmpty();
    }

    @Test
    void readsEveryStepForm() {
        TestCase testCase = read("""
                name: forms
                push:
                  - {branch: a, files: {x: "1"}, remove: [y], from: main}
                  - {branch: b, merge: develop, keepEnvironmentFiles: false}
                  - {branch: c, squash: develop^2}
                  - {branch: d, to: main~2}
                  - {branch: e, delete: true}
                  - {ref: refs/tags/main, to: main}
                  - evidence: [{on: main, line: "garbage"}]
                expect: {decision: accept}
                """).cases().get(0);

        List<Step> push = testCase.push();
        assertThat(push.get(0)).isInstanceOfSatisfying(Step.Commit.class, commit -> {
            assertThat(commit.from().orElseThrow().refName()).isEqualTo("refs/heads/main");
            assertThat(commit.removals()).containsExactly("y");
        });
        assertThat(push.get(1)).isInstanceOfSatisfying(Step.Commit.class, commit -> {
            assertThat(commit.kind()).isEqualTo(Step.CommitKind.MERGE);
            assertThat(commit.keepEnvironmentFiles()).isFalse();
        });
        assertThat(push.get(2)).isInstanceOfSatisfying(Step.Commit.class, commit -> {
            assertThat(commit.kind()).isEqualTo(Step.CommitKind.SQUASH);
            assertThat(commit.source().orElseThrow().hops()).containsExactly(new Revision.Hop(false, 2));
        });
        assertThat(push.get(3)).isInstanceOfSatisfying(Step.Point.class, point ->
                assertThat(point.target().hops()).containsExactly(new Revision.Hop(true, 2)));
        assertThat(push.get(4)).isEqualTo(new Step.Deletion("refs/heads/e", new SourcePosition(7, 5)));
        assertThat(push.get(5)).isInstanceOfSatisfying(Step.Point.class, point ->
                assertThat(point.refName()).isEqualTo("refs/tags/main"));
        assertThat(push.get(6)).isInstanceOfSatisfying(Step.EvidencePush.class, evidence ->
                assertThat(evidence.records().get(0).content()).isEqualTo(new EvidenceEntry.Line("garbage")));
    }

    @Test
    void readsApprovalsSigningKeysAndAuthors() {
        TestCase testCase = read("""
                name: approvals
                allowedSigners: [alice, ci-bot]
                evidence:
                  - {on: staging, approval: production, approver: alice, signedBy: alice}
                  - {on: staging, approval: production, approver: bob, decision: rejected, comment: "INC-7",
                     recordedAt: "2026-11-27T10:00:00Z", signedBy: {keyFile: keys/bob}}
                  - {on: staging, line: "{}", signedBy: ci-bot}
                push: [{branch: main, merge: staging, author: alice@example.com}]
                expect: {decision: accept}
                """).cases().get(0);

        assertThat(testCase.allowedSigners()).contains(List.of("alice", "ci-bot"));
        assertThat(testCase.evidence()).extracting(EvidenceEntry::content).containsExactly(
                new EvidenceEntry.Approval("production", "alice", "approved", Optional.empty(), Optional.empty()),
                new EvidenceEntry.Approval("production", "bob", "rejected",
                        Optional.of(Instant.parse("2026-11-27T10:00:00Z")), Optional.of("INC-7")),
                new EvidenceEntry.Line("{}"));
        assertThat(testCase.evidence()).extracting(EvidenceEntry::signedBy).containsExactly(
                Optional.of(new EvidenceEntry.GeneratedKey("alice")), Optional.of(new EvidenceEntry.KeyFile("keys/bob")),
                Optional.of(new EvidenceEntry.GeneratedKey("ci-bot")));
        assertThat(((Step.Commit) testCase.push().get(0)).author()).contains("alice@example.com");
    }

    @Test
    void readsAListOfCasesEachLocated() {
        TestCaseFile file = read("""
                - name: first
                  push: [{branch: develop, files: {a: "1"}}]
                  expect: {decision: accept}
                - name: second
                  push: [{branch: develop, files: {a: "2"}}]
                  expect: {decision: accept}
                """);

        assertThat(file.cases()).extracting(TestCase::name).containsExactly("first", "second");
        assertThat(file.cases()).extracting(TestCase::location).containsExactly("case.yaml:1:3", "case.yaml:4:3");
    }

    @Test
    void flattensAListInTheHistorySoThatCasesCanShareOne() {
        TestCaseFile file = read("""
                - name: first
                  history: &base
                    - {branch: main, files: {a: "1"}}
                    - {branch: develop, from: main}
                  push: [{branch: develop, files: {a: "2"}}]
                  expect: {decision: accept}
                - name: second
                  history:
                    - *base
                    - {branch: test, from: develop}
                  push: [{branch: test, files: {a: "3"}}]
                  expect: {decision: accept}
                """);

        assertThat(file.problems()).isEmpty();
        assertThat(file.cases().get(1).history()).extracting(step -> ((Step.Commit) step).refName())
                .containsExactly("refs/heads/main", "refs/heads/develop", "refs/heads/test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema.yaml", "steps.yaml", "documents.yaml"})
    void reportsEveryProblemWhereTheFileStatesIt(String fixture) throws IOException {
        String content = resource("invalid/" + fixture);

        TestCaseFile file = reader.read(content.getBytes(StandardCharsets.UTF_8), fixture);

        assertThat(file.cases()).isEmpty();
        List<StatedProblems.Stated> stated = StatedProblems.in(content);
        assertThat(file.problems()).hasSameSizeAs(stated);
        for (StatedProblems.Stated expected : stated) {
            assertThat(file.problems())
                    .as("a problem at %d:%d containing '%s' in %s", expected.line(), expected.column(),
                            expected.text(), file.problems())
                    .anySatisfy(problem -> {
                        assertThat(problem.file()).isEqualTo(fixture);
                        assertThat(problem.position()).isEqualTo(new SourcePosition(expected.line(), expected.column()));
                        assertThat(problem.message()).contains(expected.text());
                    });
        }
    }

    @Test
    void reportsBrokenYamlAtItsPosition() throws IOException {
        TestCaseFile file = reader.read(resource("invalid/syntax.yaml").getBytes(StandardCharsets.UTF_8), "syntax.yaml");

        assertThat(file.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.describe()).startsWith("syntax.yaml:");
            assertThat(problem.position().line()).isGreaterThanOrEqualTo(4);
            assertThat(problem.message()).startsWith("cannot read the test file: ");
        });
    }

    @Test
    void reportsAFileWithoutCases() throws IOException {
        TestCaseFile file = reader.read(resource("invalid/empty.yaml").getBytes(StandardCharsets.UTF_8), "empty.yaml");

        assertThat(file.problems()).singleElement().extracting(InputProblem::describe)
                .isEqualTo("empty.yaml:1:1: the test file holds no test case; it needs name, push and expect");
    }

    @Test
    void reportsAFileThatHoldsNeitherACaseNorAList() {
        assertThat(read("just text\n").problems()).extracting(InputProblem::describe).containsExactly(
                "case.yaml:1:1: a test file holds one case (a mapping with name, push and expect) or a list of cases");
        assertThat(read("- just text\n").problems()).extracting(InputProblem::describe).containsExactly(
                "case.yaml:1:3: [0]: expected object, found string");
    }

    @Test
    void reportsACountTooLargeForARevision() {
        TestCaseFile file = read("""
                name: far back
                push: [{branch: main, to: main~99999999999}]
                expect: {decision: accept}
                """);

        assertThat(file.problems()).singleElement().extracting(InputProblem::describe).asString()
                .startsWith("case.yaml:2:23: 'main~99999999999' is not a revision");
    }

    private TestCaseFile read(String yaml) {
        return reader.read(yaml.getBytes(StandardCharsets.UTF_8), "case.yaml");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestCaseReaderTest.class.getResourceAsStream("/policytest/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
