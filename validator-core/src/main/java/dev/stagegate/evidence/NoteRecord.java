package dev.stagegate.evidence;

import java.time.Instant;
import java.util.Optional;

/**
 * A valid line of the evidence notes ref: test evidence or an approval. Both kinds share the
 * commit they belong to, an instant, the identity that speaks for them, and an optional SSH
 * signature over their other members (approvals-signatures.md).
 */
public sealed interface NoteRecord permits EvidenceRecord, ApprovalRecord {

    /** {@code TestEvidence} or {@code Approval}. */
    String kind();

    /** Full id of the commit the record is about; the note must be attached to it. */
    String commit();

    String environment();

    Instant recordedAt();

    /** Who the record speaks for: the producer of evidence, the approver of an approval. */
    String principal();

    /** The armored SSH signature, when the record is signed. */
    Optional<String> signature();

    /** This record as one JSON line. */
    String toJsonLine();

    /**
     * Parses and checks one line of either kind.
     *
     * @throws InvalidEvidenceException saying what is wrong with the line
     */
    static NoteRecord parse(String line) throws InvalidEvidenceException {
        RecordFields fields = RecordFields.read(line);
        Object kind = fields.get("kind");
        if (ApprovalRecord.KIND.equals(kind)) {
            return ApprovalRecord.fromFields(fields);
        }
        if (kind != null && !EvidenceRecord.KIND.equals(kind)) {
            throw new InvalidEvidenceException("kind must be '" + EvidenceRecord.KIND + "' or '"
                    + ApprovalRecord.KIND + "'");
        }
        return EvidenceRecord.fromFields(fields);
    }
}
