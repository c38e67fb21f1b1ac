package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.JSON_VALUES;
import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;
import static dev.stagegate.testing.GitOpsFixture.NOTES;

import dev.stagegate.ExitStatus;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 10,000 levels of nesting: a clear violation at the 1,001st level, never a StackOverflowError. */
@Timeout(5)
class DeepNestingTest {

    private static final int DEPTH = 10_000;
    private static final String LIMIT = "nested more than 1000 levels deep";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = BadInput.repository(dir);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    @Test
    void flowSequencesInYaml() {
        String yaml = "replicas: " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "\n";
        assertFileRejected(pushToDevelop(gitops, VALUES, yaml), VALUES + ":1:1010", LIMIT);
    }

    @Test
    void blockSequencesInYaml() {
        String yaml = "- ".repeat(DEPTH) + "x\n";
        assertFileRejected(pushToDevelop(gitops, VALUES, yaml), VALUES + ":1:2001", LIMIT);
    }

    @Test
    void arraysInJson() {
        String json = "{\"replicas\": " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}";
        assertFileRejected(pushToDevelop(gitops, JSON_VALUES, json), JSON_VALUES + ":1:1013", LIMIT);
    }

    @Test
    void thePolicy() {
        String yaml = "apiVersion: " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "\n";
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, yaml), POLICY_FILE + ":1:1012",
                "cannot read the policy: " + LIMIT);
    }

    @Test
    void anEvidenceRecord() {
        RevCommit staging = gitops.tip("staging");
        String line = GitOpsFixture.evidence(staging, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot")
                .replace("}", ",\"runUrl\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}");

        assertOnlyError(gitops.as("ci-bot").push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, staging, line))),
                ExitStatus.REJECTED, "evidence-tamper", NOTES, null, "new evidence on " + staging.name().substring(0, 12)
                        + " refused: not valid evidence (not valid JSON): " + EvidenceNoteTest.abbreviate(line));
    }
}
