package dev.stagegate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.RecordSignatures;
import dev.stagegate.signature.SignatureCheck;
import java.time.Instant;
import org.junit.jupiter.api.Timeout;

/**
 * The signature readers on what a pusher controls: an allowed-signers file (it travels in
 * the pushed policy) and a record with an armored signature. Each gives problems or a
 * verdict with a reason, never an exception, and nothing forged verifies.
 */
@Timeout(10)
class SignatureFuzzTest {

    private static final String RECORD = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\""
            + "0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\",\"approver\":\"alice\","
            + "\"decision\":\"approved\",\"recordedAt\":\"2026-12-06T10:00:00Z\"}";
    private static final AllowedSigners ALICE = AllowedSigners.parse("alice ssh-ed25519 "
            + "AAAAC3NzaC1lZDI1NTE5AAAAIA7/7itant6EHZflhHzvh4nyN0FxuH6gsUn4j7ek/snK\n", "allowed_signers");

    @FuzzTest(maxDuration = "30s")
    void readsAllowedSigners(byte[] bytes) {
        AllowedSigners signers = AllowedSigners.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                "allowed_signers");

        assertThat(signers.problems()).allSatisfy(problem -> {
            assertThat(problem.line()).isPositive();
            assertThat(problem.message()).isNotBlank();
        });
        assertThat(signers.addedSince(signers)).isEmpty();
    }

    @FuzzTest(maxDuration = "30s")
    void verifiesNothingForged(FuzzedDataProvider data) {
        String armored = "-----BEGIN SSH SIGNATURE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(data.consumeRemainingAsBytes())
                + "\n-----END SSH SIGNATURE-----";

        SignatureCheck check = RecordSignatures.verify(RECORD, armored, "alice", Instant.parse("2026-12-06T10:00:00Z"),
                ALICE);

        assertThat(check.verified()).isFalse();
        assertThat(check.reason()).isNotBlank();
    }
}
