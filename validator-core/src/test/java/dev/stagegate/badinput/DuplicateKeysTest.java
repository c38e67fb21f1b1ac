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

/** A key twice in one mapping is an error at the second one, as the Kubernetes API has it. */
@Timeout(10)
class DuplicateKeysTest {

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
    void inYaml() {
        assertFileRejected(pushToDevelop(gitops, VALUES, "replicas: 1\nreplicas: 2\n"), VALUES + ":2:1",
                "duplicate key 'replicas' (first defined at line 1, column 1)");
    }

    @Test
    void inJson() {
        assertFileRejected(pushToDevelop(gitops, JSON_VALUES, "{\"replicas\": 1,\n \"replicas\": 2}"),
                JSON_VALUES + ":2:2", "duplicate key 'replicas' (first defined at line 1, column 2)");
    }

    @Test
    void inThePolicy() {
        String policy = BadInput.POLICY + "mode: enforce\nmode: warn\n";
        int line = (int) policy.lines().count();

        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, policy), POLICY_FILE + ":" + line + ":1",
                "cannot read the policy: duplicate key 'mode' (first defined at line " + (line - 1) + ", column 1)");
    }

    @Test
    void inAnEvidenceRecord() {
        RevCommit staging = gitops.tip("staging");
        String line = GitOpsFixture.evidence(staging, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot")
                .replace("\"producer\"", "\"suite\":\"smoke\",\"producer\"");

        assertOnlyError(gitops.as("ci-bot").push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, staging, line))),
                ExitStatus.REJECTED, "evidence-tamper", NOTES, null, "new evidence on " + staging.name().substring(0, 12)
                        + " refused: not valid evidence (duplicate field 'suite'): " + EvidenceNoteTest.abbreviate(line));
    }
}
