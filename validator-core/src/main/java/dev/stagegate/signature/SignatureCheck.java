package dev.stagegate.signature;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying one record's signature.
 *
 * @param principal the record's producer/approver that an allowed-signers line matched (VERIFIED only)
 * @param fingerprint of the signing key, whenever the signature could be read that far
 * @param reason a short sentence for people, e.g. "signature is for namespace 'git', not 'stagegate'"
 */
public record SignatureCheck(SignatureOutcome outcome, Optional<String> principal, Optional<String> fingerprint, String reason) {

    public SignatureCheck {
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(principal);
        Objects.requireNonNull(fingerprint);
        Objects.requireNonNull(reason);
    }

    public boolean verified() {
        return outcome == SignatureOutcome.VERIFIED;
    }
}
