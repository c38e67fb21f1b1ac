package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.SshKeygenSigner;
import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignaturePolicyTest {

    private static final String LINE = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\""
            + "0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\",\"approver\":\"alice\","
            + "\"decision\":\"approved\",\"recordedAt\":\"2026-12-06T10:00:00Z\"}";

    @TempDir
    static Path keys;

    private static SshKeys.Key alice;
    private static SshKeys.Key mallory;
    private static NoteLine signed;

    @BeforeAll
    static void sign() throws IOException {
        alice = SshKeys.generate(keys, "alice");
        mallory = SshKeys.generate(keys, "mallory");
        signed = NoteLine.parse(SshKeygenSigner.signLine(alice.privateKey(), LINE));
    }

    @AfterEach
    void forget() {
        ProcessMemory.disable();
    }

    private static AllowedSigners listing(SshKeys.Key key) {
        return AllowedSigners.parse("alice " + key.publicKey() + "\n", ".stagegate/allowed_signers");
    }

    @Test
    void aVerdictIsRememberedPerAllowedSignersFileNeverAcrossThem() {
        ProcessMemory.enable();
        NoteRecord record = signed.record().orElseThrow();

        assertThat(SignaturePolicy.verify(record, signed.text(), Optional.of(listing(alice))).verified()).isTrue();
        assertThat(SignaturePolicy.verify(record, signed.text(), Optional.of(listing(mallory))).verified()).isFalse();
        assertThat(SignaturePolicy.verify(record, signed.text(), Optional.of(listing(alice))).verified()).isTrue();
        assertThat(SignaturePolicy.verify(record, signed.text(), Optional.empty()).verified()).isFalse();
    }

    @Test
    void aRememberedVerdictIsForTheExactLine() {
        ProcessMemory.enable();
        NoteLine changed = NoteLine.parse(signed.text().replace("\"approved\"", "\"rejected\""));

        assertThat(SignaturePolicy.verify(signed.record().orElseThrow(), signed.text(), Optional.of(listing(alice)))
                .verified()).isTrue();
        assertThat(SignaturePolicy.verify(changed.record().orElseThrow(), changed.text(), Optional.of(listing(alice)))
                .verified()).isFalse();
    }

    @Test
    void withoutAllowedSignersNothingVerifies() {
        assertThat(SignaturePolicy.verify(signed.record().orElseThrow(), signed.text(), Optional.empty()).reason())
                .contains("(no allowed-signers file)");
    }

    @Test
    void recordedAtIsWhatTheValidityWindowIsCheckedAt() {
        AllowedSigners expired = AllowedSigners.parse("alice valid-before=\"20260101Z\" " + alice.publicKey() + "\n",
                "signers");

        assertThat(SignaturePolicy.verify(signed.record().orElseThrow(), signed.text(), Optional.of(expired))
                .verified()).isFalse();
    }
}
