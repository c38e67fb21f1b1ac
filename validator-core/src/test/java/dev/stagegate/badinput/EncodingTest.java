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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bytes that are not UTF-8 text: invalid sequences, and binary files (anything with a NUL byte). */
@Timeout(10)
class EncodingTest {

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

    private static byte[] bytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a lone continuation byte,        723a20 80 0a,           1:4",
        "a truncated two-byte sequence,   723a20 c3 28 0a,        1:4",
        "an overlong encoding of '/',     613a0a623a20 c0af 0a,   2:4",
        "an encoded surrogate,            723a20 eda080 0a,       1:4",
        "a byte that is never UTF-8,      723a20 ff 0a,           1:4"
    })
    void invalidUtf8IsRejectedAtTheFirstBadByte(String name, String hex, String position) {
        assertFileRejected(pushToDevelop(gitops, VALUES, bytes(hex.replace(" ", ""))), VALUES + ":" + position,
                "not valid UTF-8");
    }

    @Test
    void aBinaryFileIsRejectedAtItsFirstNulByte() {
        byte[] png = bytes("89504e470d0a1a0a0000000d49484452");
        assertFileRejected(pushToDevelop(gitops, VALUES, png), VALUES + ":3:1",
                "binary file (contains NUL bytes), not YAML or JSON");
    }

    @Test
    void utf16IsBinaryToAReaderOfUtf8() {
        assertFileRejected(pushToDevelop(gitops, JSON_VALUES, "{\"replicas\": 2}".getBytes(StandardCharsets.UTF_16)),
                JSON_VALUES + ":1:3", "binary file (contains NUL bytes), not YAML or JSON");
    }

    @Test
    void aPolicyThatIsNotUtf8() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, bytes("6d6f64653a20ff0a")), POLICY_FILE + ":1:7",
                "cannot read the policy: not valid UTF-8");
    }

    @Test
    void anEvidenceLineThatIsNotUtf8IsNoEvidence() {
        RevCommit staging = gitops.tip("staging");
        String record = GitOpsFixture.evidence(staging, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot");
        // decoded with replacement characters, the line would be valid JSON and valid evidence
        byte[] line = record.replace("integration", "integration\u0001").getBytes(StandardCharsets.UTF_8);
        line[record.indexOf("integration") + "integration".length()] = (byte) 0xff;
        String fannedOut = staging.name().substring(0, 2) + "/" + staging.name().substring(2);
        RevCommit notes = gitops.repo().orphan().file(fannedOut, line).create();

        assertOnlyError(gitops.as("ci-bot").push(gitops.updateRef(NOTES, notes)), ExitStatus.REJECTED,
                "evidence-tamper", NOTES, null, "new evidence on " + staging.name().substring(0, 12)
                        + " refused: not valid evidence (not valid UTF-8): "
                        + EvidenceNoteTest.abbreviate(record.replace("integration", "integration\ufffd")));
    }
}
