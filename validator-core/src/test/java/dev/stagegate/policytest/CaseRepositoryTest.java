package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.WorkingTreeFiles;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.SourcePosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            environmentSpecificPaths: ["env/**"]
            """;

    /** main with the application and production's settings; develop from it with its own. */
    private static final String ENVIRONMENTS = """
            - branch: main
              files: {app.yaml: "version: 1\\n", env/values.yaml: "production\\n"}
            - branch: develop
              from: main
              files: {env/values.yaml: "development\\n"}
            """;

    @TempDir
    Path workingTree;

    private CaseRepository repository;

    @BeforeEach
    void createRepository() throws IOException {
        Policy policy = new PolicyLoader().load(POLICY.getBytes(StandardCharsets.UTF_8), "policy.yaml")
                .policy().orElseThrow();
        repository = new CaseRepository("test", "main", policy, new WorkingTreeFiles(workingTree), NOW,
                new TestSigningKeys("ssh-keygen", workingTree));
    }

    @AfterEach
    void closeRepository() {
        repository.close();
    }

    @Test
    void historyStepsMoveTheirRefsAndBuildOnTheTip() throws Exception {
        applyHistory(ENVIRONMENTS + """
                - branch: develop
                  files: {app.yaml: "version: 2\\n"}
                  message: version 2
                """);

        RevCommit develop = tip("develop");
        assertThat(files(develop)).containsOnly(entry("app.yaml", "version: 2\n"), entry("env/values.yaml", "development\n"));
        assertThat(develop.getFullMessage()).isEqualTo("version 2\n");
        assertThat(parse(develop.getParent(0)).getParent(0)).isEqualTo(tip("main"));
        assertThat(tip("main").getParentCount()).isZero();
        assertThat(repository.repository().exactRef(Constants.HEAD).getTarget().getName()).isEqualTo("refs/heads/main");
        assertThat(develop.getAuthorIdent().getWhenAsInstant()).isBefore(NOW);
    }

    @Test
    void aMergeTakesTheMergedFilesAndKeepsTheTargetsOwnEnvironmentFiles() throws Exception {
        applyHistory(ENVIRONMENTS + """
                - {branch: develop, files: {app.yaml: "version: 2\\n"}}
                - {branch: main, merge: develop}
                """);

        RevCommit main = tip("main");
        assertThat(main.getParentCount()).isEqualTo(2);
        assertThat(main.getParent(1)).isEqualTo(tip("develop"));
        assertThat(files(main)).containsOnly(entry("app.yaml", "version: 2\n"), entry("env/values.yaml", "production\n"));
        assertThat(main.getFullMessage()).isEqualTo("merge develop into main\n");
    }

    @Test
    void aPlainMergeTakesTheMergedEnvironmentFilesToo() throws Exception {
        applyHistory(ENVIRONMENTS + "- {branch: main, merge: develop, keepEnvironmentFiles: false}\n");

        assertThat(files(tip("main"))).contains(entry("env/values.yaml", "development\n"));
    }

    @Test
    void aSquashHasOneParent() throws Exception {
        applyHistory(ENVIRONMENTS + """
                - {branch: develop, files: {app.yaml: "version: 2\\n"}}
                - {branch: main, squash: develop}
                """);

        RevCommit main = tip("main");
        assertThat(main.getParentCount()).isEqualTo(1);
        assertThat(files(main)).containsOnly(entry("app.yaml", "version: 2\n"), entry("env/values.yaml", "production\n"));
    }

    @Test
    void copiesRepositoryFilesAndRemovesFiles() throws Exception {
        Files.createDirectories(workingTree.resolve("schemas"));
        Files.writeString(workingTree.resolve("schemas/app.schema.json"), "{}");
        Files.writeString(workingTree.resolve("README.md"), "not copied");

        applyHistory(ENVIRONMENTS + """
                - branch: develop
                  repositoryFiles: ["schemas/*.json"]
                  remove: [app.yaml]
                """);

        assertThat(files(tip("develop"))).containsOnly(
                entry("schemas/app.schema.json", "{}"), entry("env/values.yaml", "development\n"));
    }

    @Test
    void aPushMovesNoRefAndEachStepSeesTheStepsBeforeIt() throws Exception {
        applyHistory(ENVIRONMENTS);
        ObjectId developBefore = tip("develop");
        ObjectId mainBefore = tip("main");

        List<RefUpdate> updates = repository.push(push("""
                - {branch: develop, files: {app.yaml: "version: 2\\n"}}
                - {branch: main, merge: develop}
                """));

        assertThat(updates).extracting(RefUpdate::refName).containsExactly("refs/heads/develop", "refs/heads/main");
        assertThat(updates).extracting(RefUpdate::oldId).containsExactly(developBefore, mainBefore);
        assertThat(parse(updates.get(1).newId()).getParent(1)).isEqualTo(updates.get(0).newId());
        assertThat(tip("develop")).isEqualTo(developBefore);
        assertThat(tip("main")).isEqualTo(mainBefore);
    }

    @Test
    void pointsDeletesAndTags() throws Exception {
        applyHistory(ENVIRONMENTS + "- {branch: main, files: {app.yaml: \"version: 2\\n\"}}\n");
        ObjectId main = tip("main");

        List<RefUpdate> updates = repository.push(push("""
                - {branch: main, to: main~1}
                - {ref: refs/tags/main, to: develop}
                - {branch: develop, delete: true}
                """));

        assertThat(updates).containsExactly(
                new RefUpdate(main, parse(main).getParent(0), "refs/heads/main"),
                new RefUpdate(ObjectId.zeroId(), tip("develop"), "refs/tags/main"),
                new RefUpdate(tip("develop"), ObjectId.zeroId(), "refs/heads/develop"));
    }

    @Test
    void recordsEvidenceBeforeThePushAndPushesMore() throws Exception {
        TestCase testCase = read("""
                name: evidence
                history:
                  - {branch: main, files: {app.yaml: "version: 1\\n"}}
                evidence:
                  - {on: main, suite: integration, environment: production, result: passed, producer: ci-bot}
                push:
                  - evidence:
                      - {on: main, suite: smoke, environment: production, result: failed, producer: ci-bot,
                         recordedAt: "2026-11-25T09:00:00Z"}
                      - {on: main, line: "not evidence"}
                expect: {decision: accept}
                """);
        for (Step step : testCase.history()) {
            repository.apply(step);
        }
        repository.record(testCase.evidence());
        ObjectId notesBefore = ref("refs/notes/stagegate");

        List<RefUpdate> updates = repository.push(testCase.push());

        List<String> before = note(notesBefore, tip("main"));
        assertThat(before).singleElement().satisfies(line -> {
            EvidenceRecord record = EvidenceRecord.parse(line);
            assertThat(record.commit()).isEqualTo(tip("main").name());
            assertThat(record.suite()).isEqualTo("integration");
            assertThat(record.recordedAt()).isEqualTo(NOW);
        });
        RefUpdate notes = updates.get(0);
        assertThat(notes.refName()).isEqualTo("refs/notes/stagegate");
        assertThat(notes.oldId()).isEqualTo(notesBefore);
        assertThat(parse(notes.newId()).getParent(0)).isEqualTo(notesBefore);
        List<String> after = note(notes.newId(), tip("main"));
        assertThat(after).hasSize(3);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(EvidenceRecord.parse(after.get(1)).recordedAt()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(after.get(2)).isEqualTo("not evidence");
    }

    @Test
    void commitStepsCanNameTheirAuthor() throws Exception {
        applyHistory(ENVIRONMENTS + """
                - {branch: develop, files: {app.yaml: "version: 2\\n"}, author: alice@example.com}
                - {branch: main, merge: develop, author: bob@example.com}
                """);

        assertThat(tip("develop").getAuthorIdent().getEmailAddress()).isEqualTo("alice@example.com");
        assertThat(tip("develop").getAuthorIdent().getName()).isEqualTo("alice");
        assertThat(tip("develop").getCommitterIdent().getEmailAddress()).isEqualTo("policy-test@stagegate.invalid");
        assertThat(tip("main").getAuthorIdent().getEmailAddress()).isEqualTo("bob@example.com");
        assertThat(parse(tip("main").getParent(0)).getAuthorIdent().getEmailAddress())
                .isEqualTo("policy-test@stagegate.invalid");
    }

    @Test
    void recordsApprovalsWithTheirDefaults() throws Exception {
        TestCase testCase = read("""
                name: approvals
                history:
                  - {branch: main, files: {app.yaml: "version: 1\\n"}}
                evidence:
                  - {on: main, approval: production, approver: alice}
                  - {on: main, approval: production, approver: bob, decision: rejected, comment: not yet,
                     recordedAt: "2026-11-25T09:00:00Z"}
                push: [{branch: main, files: {app.yaml: "version: 2\\n"}}]
                expect: {decision: accept}
                """);
        for (Step step : testCase.history()) {
            repository.apply(step);
        }

        repository.record(testCase.evidence());

        List<String> lines = note(ref("refs/notes/stagegate"), tip("main"));
        assertThat(lines).extracting(ApprovalRecord::parse).containsExactly(
                new ApprovalRecord(tip("main").name(), "production", "alice", ApprovalRecord.Decision.APPROVED, NOW,
                        Optional.empty(), Optional.empty()),
                new ApprovalRecord(tip("main").name(), "production", "bob", ApprovalRecord.Decision.REJECTED,
                        Instant.parse("2026-11-25T09:00:00Z"), Optional.of("not yet"), Optional.empty()));
    }

    @Test
    void reportsARevisionThatNamesNothingWhereItIsWritten() throws Exception {
        applyHistory(ENVIRONMENTS);

        assertSetupProblem("- {branch: main, merge: staging}",
                "there is no branch 'staging' at this point of the case, so 'staging' names no commit", 2, 20);
        assertSetupProblem("- {branch: main, to: main~1}",
                "'main~1' goes back further than the history of branch 'main'", 2, 20);
        assertSetupProblem("- {branch: main, to: develop^2}", "'develop^2' asks for parent 2 of a commit with 1", 2, 20);
    }

    @Test
    void reportsPushesGitWouldNotMake() throws Exception {
        applyHistory(ENVIRONMENTS);

        assertSetupProblem("- {branch: main, to: main}", "refs/heads/main already points at", 2, 5);
        assertSetupProblem("- {branch: staging, delete: true}",
                "there is no branch 'staging' to delete at this point of the case", 2, 5);
        assertSetupProblem("- {branch: develop, files: {a: b}}\n- {branch: develop, to: main}",
                "the push already updates refs/heads/develop", 3, 5);
        assertSetupProblem("- {branch: staging, merge: develop}",
                "there is no branch 'staging' to merge into at this point of the case; create it first, or give from",
                2, 5);
        assertSetupProblem("- {branch: main, remove: [nothing.yaml]}",
                "cannot remove nothing.yaml: the commit has no such file", 2, 5);
        assertSetupProblem("- {branch: main, repositoryFiles: [\"schemas/**\"]}",
                "repositoryFiles 'schemas/**' matches no file of the repository under test", 2, 5);
    }

    private void assertSetupProblem(String push, String message, int line, int column) {
        List<Step> steps = push(push);
        assertThatThrownBy(() -> repository.push(steps))
                .isInstanceOfSatisfying(CaseSetupException.class, e -> {
                    assertThat(e.getMessage()).startsWith(message);
                    assertThat(e.position()).isEqualTo(new SourcePosition(line, column));
                });
    }

    private void applyHistory(String steps) throws Exception {
        for (Step step : read("name: history\nhistory:\n" + indent(steps) + "push: [{branch: x, delete: true}]\n"
                + "expect: {decision: accept}\n").history()) {
            repository.apply(step);
        }
    }

    /** The push steps, the first of them on line 2 of its case. */
    private static List<Step> push(String steps) {
        return read("push:\n" + indent(steps) + "name: push\nexpect: {decision: accept}\n").push();
    }

    private static TestCase read(String yaml) {
        TestCaseFile file = new TestCaseReader().read(yaml.getBytes(StandardCharsets.UTF_8), "case.yaml");
        assertThat(file.problems()).isEmpty();
        return file.cases().get(0);
    }

    private static String indent(String lines) {
        return ("  " + lines.strip().replace("\n", "\n  ")) + "\n";
    }

    private RevCommit tip(String branch) throws IOException {
        return parse(ref(Constants.R_HEADS + branch));
    }

    private ObjectId ref(String name) throws IOException {
        Ref ref = repository.repository().exactRef(name);
        return ref == null ? null : ref.getObjectId();
    }

    private RevCommit parse(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository.repository())) {
            return walk.parseCommit(id);
        }
    }

    private Map<String, String> files(RevCommit commit) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(repository.repository())) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(), new String(
                        repository.repository().open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private List<String> note(ObjectId notesCommit, ObjectId annotated) throws IOException {
        try (ObjectReader reader = repository.repository().newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Note note = NoteMap.read(reader, walk.parseCommit(notesCommit)).getNote(annotated);
            return new String(reader.open(note.getData()).getBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
