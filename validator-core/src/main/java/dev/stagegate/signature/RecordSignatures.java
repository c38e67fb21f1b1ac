package dev.stagegate.signature;

import dev.stagegate.signature.AllowedSigners.Signer;
import dev.stagegate.signature.SshPublicKey.JcaSignature;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies the SSH signature of a stagegate record in-process, with the checks {@code ssh-keygen -Y verify
 * -n stagegate -I principal -f allowed_signers} makes, plus stagegate's refusals (DSA, FIDO, certificates,
 * RSA under 2048 bits, SHA-1): the envelope, its namespace, an allowed-signers line for the principal and
 * key, that line's namespaces and validity window at the record's time, then the signature itself.
 */
public final class RecordSignatures {

    /** The SSHSIG namespace of every stagegate signature, so a git commit signature cannot pass for a record's. */
    public static final String NAMESPACE = "stagegate";

    private RecordSignatures() {
    }

    /**
     * Verifies {@code armoredSignature} over {@link CanonicalJson#signedPayload(String)} of {@code jsonLine}, for
     * the record's producer/approver {@code principal}, with the allowed-signers lines' valid-after and
     * valid-before checked at {@code recordedAt}. Never throws on bad input: returns a non-VERIFIED check with
     * the reason.
     */
    public static SignatureCheck verify(String jsonLine, String armoredSignature, String principal, Instant recordedAt,
            AllowedSigners signers) {
        Objects.requireNonNull(signers, "signers");
        byte[] payload;
        try {
            payload = CanonicalJson.signedPayload(jsonLine);
        } catch (IllegalArgumentException e) {
            return refused(SignatureOutcome.NOT_CANONICAL, Optional.empty(), e.getMessage());
        }
        if (armoredSignature == null) {
            return refused(SignatureOutcome.MALFORMED, Optional.empty(), "the record has no signature");
        }
        SshSignatureEnvelope envelope;
        try {
            envelope = SshSignatureEnvelope.parse(armoredSignature);
        } catch (SshFormatException e) {
            return refused(SignatureOutcome.MALFORMED, Optional.empty(), e.getMessage());
        }
        byte[] keyBlob = envelope.publicKey();
        Optional<String> fingerprint = Optional.of(SshPublicKey.fingerprint(keyBlob));
        SshPublicKey key;
        JcaSignature signature;
        try {
            key = SshPublicKey.parse(keyBlob);
            fingerprint = Optional.of(key.fingerprint());
            signature = key.readSignature(envelope.signature());
        } catch (SshFormatException e) {
            return refused(SignatureOutcome.MALFORMED, fingerprint, e.getMessage());
        } catch (UnsupportedKeyException e) {
            return refused(SignatureOutcome.UNSUPPORTED_KEY, fingerprint, e.getMessage());
        }
        if (!envelope.namespace().equals(NAMESPACE)) {
            return refused(SignatureOutcome.WRONG_NAMESPACE, fingerprint,
                    "signature is for namespace '" + envelope.namespace() + "', not '" + NAMESPACE + "'");
        }
        if (principal == null || principal.isEmpty()) {
            return refused(SignatureOutcome.NOT_ALLOWED, fingerprint, "the record names no signer");
        }
        if (recordedAt == null) {
            return refused(SignatureOutcome.NOT_CANONICAL, fingerprint, "the record has no recordedAt time");
        }
        List<Signer> lines = signers.linesFor(principal);
        if (lines.isEmpty()) {
            return refused(SignatureOutcome.NOT_ALLOWED, fingerprint,
                    "'" + principal + "' has no line in " + signers.path());
        }
        List<Signer> keyLines = lines.stream().filter(line -> line.key().sameKey(key)).toList();
        if (keyLines.isEmpty()) {
            return refused(SignatureOutcome.NOT_ALLOWED, fingerprint,
                    "key " + fingerprint.get() + " is not listed for '" + principal + "' in " + signers.path());
        }
        // Like ssh-keygen, any one line for this principal and key that allows the use is enough; when none
        // does, the line that came closest explains why.
        SignatureCheck closest = null;
        for (Signer line : keyLines) {
            SignatureCheck refusal = refusal(line, recordedAt, fingerprint, signers.path());
            if (refusal == null) {
                return key.verify(signature, envelope.signedData(payload))
                        ? new SignatureCheck(SignatureOutcome.VERIFIED, Optional.of(principal), fingerprint,
                                "signed by '" + principal + "' with key " + fingerprint.get())
                        : refused(SignatureOutcome.BAD_SIGNATURE, fingerprint, "the signature by key " + fingerprint.get()
                                + " does not match this record: it was changed after signing, or another record was signed");
            }
            if (closest == null || refusal.outcome() != SignatureOutcome.NAMESPACE_NOT_ALLOWED
                    && closest.outcome() == SignatureOutcome.NAMESPACE_NOT_ALLOWED) {
                closest = refusal;
            }
        }
        return closest;
    }

    /** Why this line does not allow the signature, or null when it does. Times compare in whole seconds, as ssh-keygen's do. */
    private static SignatureCheck refusal(Signer line, Instant recordedAt, Optional<String> fingerprint, String path) {
        String where = "line " + line.entry().line() + " of " + path;
        if (line.namespaces().isPresent() && !line.namespaces().get().matches(NAMESPACE)) {
            return refused(SignatureOutcome.NAMESPACE_NOT_ALLOWED, fingerprint, where + " allows key " + fingerprint.get()
                    + " only for namespaces \"" + line.namespaces().get() + "\", not '" + NAMESPACE + "'");
        }
        long at = recordedAt.getEpochSecond();
        Optional<Instant> after = line.entry().validAfter();
        if (after.isPresent() && at < after.get().getEpochSecond()) {
            return refused(SignatureOutcome.NOT_YET_VALID, fingerprint, "the record was made at " + recordedAt
                    + ", before " + where + " makes key " + fingerprint.get() + " valid (" + after.get() + ")");
        }
        Optional<Instant> before = line.entry().validBefore();
        if (before.isPresent() && at > before.get().getEpochSecond()) {
            return refused(SignatureOutcome.EXPIRED, fingerprint, "the record was made at " + recordedAt
                    + ", after key " + fingerprint.get() + " expired on " + where + " (" + before.get() + ")");
        }
        return null;
    }

    private static SignatureCheck refused(SignatureOutcome outcome, Optional<String> fingerprint, String reason) {
        return new SignatureCheck(outcome, Optional.empty(), fingerprint, reason);
    }
}
