package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.RecordSignatures;
import dev.stagegate.signature.SignatureCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSigningKeysTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path repository;

    @Test
    void generatesOneKeyPerNameForTheRunAndDeletesThemAtItsEnd() throws Exception {
        TestSigningKeys.GeneratedKey alice;
        try (TestSigningKeys keys = new TestSigningKeys("ssh-keygen", repository)) {
            alice = keys.generated("alice");

            assertThat(keys.generated("alice")).isEqualTo(alice);
            assertThat(keys.generated("bob").publicKey()).startsWith("ssh-ed25519 ").isNotEqualTo(alice.publicKey());
            assertThat(alice.privateKey()).isRegularFile();
            assertThat(keys.allowedSigners(List.of("alice", "bob"))).isEqualTo("alice " + alice.publicKey() + "\nbob "
                    + keys.generated("bob").publicKey() + "\n");
        }

        assertThat(alice.privateKey()).doesNotExist();
        assertThat(alice.privateKey().getParent()).doesNotExist();
    }

    @Test
    void signsALineSoThatItVerifiesForTheNameItWasGeneratedFor() throws Exception {
        String line = new ApprovalRecord("0123456789abcdef0123456789abcdef01234567", "production", "alice",
                ApprovalRecord.Decision.APPROVED, NOW, Optional.empty(), Optional.empty()).toJsonLine();
        EvidenceEntry entry = new EvidenceEntry(Revision.parse("test", SourcePosition.START).orElseThrow(),
                new EvidenceEntry.Line(line), Optional.of(new EvidenceEntry.GeneratedKey("alice")), SourcePosition.START);
        try (TestSigningKeys keys = new TestSigningKeys("ssh-keygen", repository)) {
            String signed = keys.sign(entry.signedBy().orElseThrow(), line, entry);

            ApprovalRecord record = ApprovalRecord.parse(signed);
            assertThat(signed).startsWith(line.substring(0, line.length() - 1) + ",\"signature\":");
            AllowedSigners signers = AllowedSigners.parse(keys.allowedSigners(List.of("alice")), "signers");
            SignatureCheck check = RecordSignatures.verify(signed, record.signature().orElseThrow(), "alice", NOW,
                    signers);
            assertThat(check.verified()).as(check.reason()).isTrue();
        }
    }

    @Test
    void aMissingProgramIsNamedInTheFailure() throws Exception {
        try (TestSigningKeys keys = new TestSigningKeys(repository.resolve("ssh-keygen").toString(), repository)) {
            assertThatThrownBy(() -> keys.generated("alice"))
                    .isInstanceOf(SigningFailedException.class)
                    .hasMessageStartingWith("cannot run " + repository.resolve("ssh-keygen"));
        }
        assertThat(Files.list(repository)).isEmpty();
    }
}
