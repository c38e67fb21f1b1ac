package dev.stagegate.evidence;

import dev.stagegate.Sha256;
import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.SignatureMode;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.RecordSignatures;
import dev.stagegate.signature.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a record counts under a policy's {@code evidence.signatures}
 * (approvals-signatures.md): {@code off} ignores signatures; under {@code optional} an unsigned
 * record counts and a signed one only if it verifies; under {@code required} only records
 * whose signature verifies count. Checks are remembered per line, as one promotion may look at
 * one record for several requirements.
 */
public final class SignaturePolicy {

    private static final SignaturePolicy OFF = new SignaturePolicy(SignatureMode.OFF, Optional.empty(),
            VerifiedSignatures.none());
    private static final AllowedSigners NO_SIGNERS = AllowedSigners.empty("(no allowed-signers file)");
    /** Verdicts by allowed-signers identity and line digest, in the resident server only. */
    private static final BoundedMemo<String, SignatureCheck> VERDICTS = new BoundedMemo<>(20_000);

    private final SignatureMode mode;
    private final Optional<AllowedSigners> signers;
    private final VerifiedSignatures verified;
    private final Map<String, SignatureCheck> checked = new HashMap<>();

    private SignaturePolicy(SignatureMode mode, Optional<AllowedSigners> signers, VerifiedSignatures verified) {
        this.mode = mode;
        this.signers = signers;
        this.verified = verified;
    }

    /**
     * The signature policy of {@code policy}, verifying with its attached allowed signers.
     *
     * @param verified the signatures the repository's hook verified before
     */
    public static SignaturePolicy of(Policy policy, VerifiedSignatures verified) {
        SignatureMode mode = policy.evidence().signatures();
        return mode == SignatureMode.OFF ? OFF : new SignaturePolicy(mode, policy.allowedSigners(), verified);
    }

    public SignatureMode mode() {
        return mode;
    }

    /** Why {@code line}'s record does not count; empty when it does. */
    public Optional<String> whyNotCounted(NoteLine line) {
        if (mode == SignatureMode.OFF || line.record().isEmpty()) {
            return Optional.empty();
        }
        if (line.record().get().signature().isEmpty()) {
            return mode == SignatureMode.REQUIRED
                    ? Optional.of("not signed (evidence.signatures is required)")
                    : Optional.empty();
        }
        SignatureCheck check = check(line);
        return check.verified() ? Optional.empty() : Optional.of("signature does not verify: " + check.reason());
    }

    /** Verifies the signature of {@code line}'s record, which must be signed, with these allowed signers. */
    public SignatureCheck check(NoteLine line) {
        return checked.computeIfAbsent(line.text(), text -> verify(line.record().orElseThrow(), text, signers,
                verified));
    }

    /** Verifies a signed record against {@code signers}; with none, nothing verifies. */
    public static SignatureCheck verify(NoteRecord record, String text, Optional<AllowedSigners> signers) {
        return verify(record, text, signers, VerifiedSignatures.none());
    }

    /**
     * Verifies a signed record against {@code signers}, unless {@code verified} (or, in the
     * resident server, this process) already did: a record and an allowed-signers file never
     * change, and the same records are checked on every push that promotes their content.
     */
    public static SignatureCheck verify(NoteRecord record, String text, Optional<AllowedSigners> signers,
            VerifiedSignatures verified) {
        AllowedSigners allowed = signers.orElse(NO_SIGNERS);
        if (!ProcessMemory.enabled() && !verified.active()) {
            return RecordSignatures.verify(text, record.signature().orElseThrow(), record.principal(),
                    record.recordedAt(), allowed);
        }
        String key = Sha256.hex((allowed.identity() + "\n" + text).getBytes(StandardCharsets.UTF_8));
        Optional<SignatureCheck> remembered = VERDICTS.get(key).or(() -> verified.verified(key, record.principal()));
        if (remembered.isPresent()) {
            return remembered.get();
        }
        SignatureCheck check = RecordSignatures.verify(text, record.signature().orElseThrow(), record.principal(),
                record.recordedAt(), allowed);
        if (ProcessMemory.enabled()) {
            VERDICTS.put(key, check);
        }
        verified.add(key, check);
        return check;
    }
}
