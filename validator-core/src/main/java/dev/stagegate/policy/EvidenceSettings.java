package dev.stagegate.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where evidence is kept and whose evidence counts.
 *
 * @param notesRef         the git notes ref holding the evidence records
 * @param trustedProducers when set, only records by these producers count
 * @param writers          when set, only these pushers may update {@code notesRef}
 * @param signatures       whether records must be signed to count
 * @param allowedSigners   repository path of the allowed-signers file, when set
 */
public record EvidenceSettings(
        String notesRef,
        Optional<Set<String>> trustedProducers,
        Optional<Set<String>> writers,
        SignatureMode signatures,
        Optional<String> allowedSigners) {

    public static final String DEFAULT_NOTES_REF = "refs/notes/stagegate";

    public static final EvidenceSettings DEFAULTS =
            new EvidenceSettings(DEFAULT_NOTES_REF, Optional.empty(), Optional.empty(), SignatureMode.OFF,
                    Optional.empty());

    public EvidenceSettings {
        Objects.requireNonNull(notesRef, "notesRef");
        trustedProducers = trustedProducers.map(Set::copyOf);
        writers = writers.map(Set::copyOf);
        Objects.requireNonNull(signatures, "signatures");
        Objects.requireNonNull(allowedSigners, "allowedSigners");
    }

    /** Settings without signatures, as before approvals-signatures.md. */
    public EvidenceSettings(String notesRef, Optional<Set<String>> trustedProducers, Optional<Set<String>> writers) {
        this(notesRef, trustedProducers, writers, SignatureMode.OFF, Optional.empty());
    }

    /**
     * Whether {@code pusher} may update the notes ref: anyone when {@code writers} is not set.
     * An anonymous pusher (null) matches no list.
     */
    public boolean admitsWriter(String pusher) {
        return writers.map(list -> pusher != null && list.contains(pusher)).orElse(true);
    }

    /** Whether a record by {@code producer} counts: any when {@code trustedProducers} is not set. */
    public boolean trustsProducer(String producer) {
        return trustedProducers.map(list -> producer != null && list.contains(producer)).orElse(true);
    }
}
