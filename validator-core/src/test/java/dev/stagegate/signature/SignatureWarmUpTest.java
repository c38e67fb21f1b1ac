package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignatureWarmUpTest {

    /** The warm-up is worth its thread only if it runs everything a real check runs, the crypto included. */
    @Test
    void itsSignatureGoesAllTheWayToTheCryptographyAndFailsThere() {
        SignatureCheck check = RecordSignatures.verify("{\"approver\":\"alice\"}", SignatureWarmUp.SIGNATURE, "alice",
                Instant.parse("2026-01-01T00:00:00Z"), AllowedSigners.parse("alice " + SignatureWarmUp.KEY, "keys"));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.BAD_SIGNATURE);
    }
}
