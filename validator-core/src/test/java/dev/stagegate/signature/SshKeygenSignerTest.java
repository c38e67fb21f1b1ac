package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeygenSignerTest {

    private static final String LINE = "{\"kind\":\"Approval\", \"approver\":\"alice\",\"recordedAt\":\"2026-03-01T10:00:00Z\"}";

    @TempDir
    static Path keys;

    private static SshKeygen.Key ed25519;

    @BeforeAll
    static void makeKey() {
        ed25519 = SshKeygen.generate(keys, "ed25519", "ed25519", 0);
    }

    @Test
    void signsAsSshKeygenDoesSoThatSshKeygenVerifiesIt() throws IOException {
        byte[] payload = "{\"a\":\"1\"}".getBytes(StandardCharsets.UTF_8);

        String signature = SshKeygenSigner.sign(ed25519.privateKey(), payload);

        assertThat(signature).startsWith("-----BEGIN SSH SIGNATURE-----\n").endsWith("\n-----END SSH SIGNATURE-----")
                .doesNotContain("\r").doesNotContain("Signing");
        assertThat(SshKeygen.verify(keys, "alice " + ed25519.publicKey(), "alice", signature, payload, Instant.now()).exit()).isZero();
    }

    @Test
    void signLineAddsTheSignatureLastAndLeavesTheMembersAsTheyWere() throws IOException {
        String signed = SshKeygenSigner.signLine(ed25519.privateKey(), LINE);

        assertThat(signed).startsWith(LINE.substring(0, LINE.length() - 1) + ",\"signature\":\"-----BEGIN SSH SIGNATURE-----\\n");
        Map<String, Object> record = CanonicalJson.readObject(signed);
        assertThat(record.keySet()).containsExactly("kind", "approver", "recordedAt", "signature");
        SignatureCheck check = RecordSignatures.verify(signed, (String) record.get("signature"), "alice",
                Instant.parse("2026-03-01T10:00:00Z"), AllowedSigners.parse("alice " + ed25519.publicKey(), "allowed_signers"));
        assertThat(check.outcome()).as(check.reason()).isEqualTo(SignatureOutcome.VERIFIED);
    }

    @Test
    void signLineSignsAnEmptyObjectAndKeepsTrailingBlanks() throws IOException {
        String signed = SshKeygenSigner.signLine(ed25519.privateKey(), " { } \n");

        assertThat(signed).startsWith(" { \"signature\":\"-----BEGIN").endsWith("\"} \n");
        assertThat(CanonicalJson.readObject(signed).size()).isEqualTo(1);
    }

    @Test
    void signLineRefusesALineThatIsAlreadySignedOrNotAnObject() {
        assertThatThrownBy(() -> SshKeygenSigner.signLine(ed25519.privateKey(), "{\"signature\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the record already has a signature");
        assertThatThrownBy(() -> SshKeygenSigner.signLine(ed25519.privateKey(), "[]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the record is not a JSON object");
    }

    @Test
    void reportsSshKeygensOwnMessageWhenItCannotSign() {
        Path missing = keys.resolve("no-such-key");

        assertThatThrownBy(() -> SshKeygenSigner.sign(missing, new byte[] {1}))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("ssh-keygen could not sign with " + missing + " (exit 255): ")
                .hasMessageContaining("no-such-key");
    }
}
