package dev.stagegate.badinput;

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
import java.util.Arrays;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 50 MB where 10 MiB is the limit for a checked file, a schema or a policy, and 1 MiB for a note. */
@Timeout(20)
class OversizedFileTest {

    private static final int FIFTY_MB = 50 * 1024 * 1024;

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

    private static byte[] fiftyMegabytes() {
        byte[] content = new byte[FIFTY_MB];
        Arrays.fill(content, (byte) '#');
        return content;
    }

    @Test
    void aValuesFile() {
        assertFileRejected(pushToDevelop(gitops, VALUES, fiftyMegabytes()), VALUES + ":1:1",
                "is 52428800 bytes, more than the limit of 10485760 bytes for a checked file; split it up");
    }

    @Test
    void theSchemaOfAChangedFile() {
        RevCommit change = gitops.repo().commitOn("develop").file("schemas/app-values.schema.json", fiftyMegabytes())
                .file(VALUES, "replicas: 3\n").create();

        assertFileRejected(gitops.push(gitops.update("develop", change)), VALUES + ":1:1",
                "cannot be checked against its schema: schemas/app-values.schema.json cannot be read:"
                        + " schemas/app-values.schema.json is 52428800 bytes, more than the limit of 10485760 bytes");
    }

    @Test
    void thePolicy() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, fiftyMegabytes()), POLICY_FILE + ":1:1",
                "the policy is 52428800 bytes, more than the limit of 10485760 bytes");
    }

    @Test
    void anEvidenceNote() {
        RevCommit staging = gitops.tip("staging");
        RevCommit notes = gitops.repo().notesCommit(NOTES, staging, "x".repeat(2 * 1024 * 1024));

        assertOnlyError(gitops.as("ci-bot").push(gitops.updateRef(NOTES, notes)), ExitStatus.REJECTED,
                "evidence-tamper", NOTES, null, "new evidence on " + staging.name().substring(0, 12)
                        + " refused: not valid evidence (note is 2097153 bytes, more than 1048576)");
    }
}
