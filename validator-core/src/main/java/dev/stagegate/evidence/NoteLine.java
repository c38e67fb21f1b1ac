package dev.stagegate.evidence;

import java.util.Optional;

/**
 * One non-blank line of an evidence note: the record when the line is valid evidence,
 * otherwise why it is not.
 */
public record NoteLine(String text, Optional<EvidenceRecord> record, Optional<String> problem) {

    public static NoteLine parse(String text) {
        try {
            return new NoteLine(text, Optional.of(EvidenceRecord.parse(text)), Optional.empty());
        } catch (InvalidEvidenceException e) {
            return new NoteLine(text, Optional.empty(), Optional.of(e.getMessage()));
        }
    }
}
