package dev.stagegate.evidence;

import java.util.Optional;

/**
 * One non-blank line of an evidence note: the record when the line is a valid record of
 * either kind, otherwise why it is not. The text is kept because a signature is made over the
 * members exactly as the signer wrote them.
 */
public record NoteLine(String text, Optional<NoteRecord> record, Optional<String> problem) {

    public static NoteLine parse(String text) {
        try {
            return new NoteLine(text, Optional.of(NoteRecord.parse(text)), Optional.empty());
        } catch (InvalidEvidenceException e) {
            return new NoteLine(text, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** The record, when it is test evidence. */
    public Optional<EvidenceRecord> evidence() {
        return record.filter(EvidenceRecord.class::isInstance).map(EvidenceRecord.class::cast);
    }

    /** The record, when it is an approval. */
    public Optional<ApprovalRecord> approval() {
        return record.filter(ApprovalRecord.class::isInstance).map(ApprovalRecord.class::cast);
    }
}
