package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.SignatureOutcome;
import dev.stagegate.signature.SshKeygenSigner;
import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedSignaturesTest {

    private static final String LINE = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\""
            + "0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\",\"approver\":\"alice\","
            + "\"decision\":\"approved\",\"recordedAt\":\"2026-12-06T10:00:00Z\"}";

    @TempDir
    static Path keys;

    @TempDir
    Path gitDirectory;

    private static NoteLine signed;
    private static AllowedSigners alice;
    private static AllowedSigners mallory;

    @BeforeAll
    static void sign() throws IOException {
        SshKeys.Key aliceKey = SshKeys.generate(keys, "alice");
        signed = NoteLine.parse(SshKeygenSigner.signLine(aliceKey.privateKey(), LINE));
        alice = AllowedSigners.parse("alice " + aliceKey.publicKey() + "\n", ".stagegate/allowed_signers");
        mallory = AllowedSigners.parse("alice " + SshKeys.generate(keys, "mallory").publicKey() + "\n",
                ".stagegate/allowed_signers");
    }

    private Optional<SignatureOutcome> rememberedFor(AllowedSigners signers, NoteLine line) {
        VerifiedSignatures fresh = VerifiedSignatures.in(gitDirectory);
        return Optional.of(SignaturePolicy.verify(line.record().orElseThrow(), line.text(), Optional.of(signers),
                fresh).outcome());
    }

    @Test
    void aVerifiedSignatureIsWrittenOnceAndReadByTheNextProcess() throws IOException {
        assertThat(rememberedFor(alice, signed)).contains(SignatureOutcome.VERIFIED);
        assertThat(rememberedFor(alice, signed)).contains(SignatureOutcome.VERIFIED);

        assertThat(Files.readAllLines(gitDirectory.resolve(VerifiedSignatures.FILE_NAME))).singleElement().asString()
                .matches("v1 [0-9a-f]{64} SHA256:.{43}");
    }

    @Test
    void aSignatureThatDoesNotVerifyIsNotWrittenAndAnotherFileIsAnotherKey() {
        assertThat(rememberedFor(mallory, signed)).contains(SignatureOutcome.NOT_ALLOWED);
        assertThat(gitDirectory.resolve(VerifiedSignatures.FILE_NAME)).doesNotExist();

        assertThat(rememberedFor(alice, signed)).contains(SignatureOutcome.VERIFIED);
        assertThat(rememberedFor(mallory, signed)).contains(SignatureOutcome.NOT_ALLOWED);
        NoteLine changed = NoteLine.parse(signed.text().replace("\"approved\"", "\"rejected\""));
        assertThat(rememberedFor(alice, changed)).contains(SignatureOutcome.BAD_SIGNATURE);
    }

    @Test
    void linesOfAnotherShapeAreIgnoredAndAnOversizedFileIsNotRead() throws IOException {
        Path file = gitDirectory.resolve(VerifiedSignatures.FILE_NAME);
        Files.writeString(file, "garbage\nv1 " + "0".repeat(64) + " SHA256:short\n");
        assertThat(rememberedFor(mallory, signed)).contains(SignatureOutcome.NOT_ALLOWED);

        Files.write(file, new byte[(int) VerifiedSignatures.MAX_BYTES + 1]);
        assertThat(rememberedFor(alice, signed)).contains(SignatureOutcome.VERIFIED);
        assertThat(Files.size(file)).isLessThan(200);
    }

    @Test
    void withoutAGitDirectoryNothingIsKept() {
        VerifiedSignatures none = VerifiedSignatures.in(null);

        assertThat(SignaturePolicy.verify(signed.record().orElseThrow(), signed.text(), Optional.of(alice), none)
                .verified()).isTrue();
        assertThat(none.active()).isFalse();
    }
}
