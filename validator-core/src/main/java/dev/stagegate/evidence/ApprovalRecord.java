package dev.stagegate.evidence;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Approval line (approvals-signatures.md): a person approves, or rejects, promoting the
 * content of a commit into an environment. Whether it counts is decided at promotion time.
 *
 * @param commit      the approved commit, a commit of an upstream environment
 * @param environment the environment the content is approved into
 * @param approver    the identity approving
 * @param decision    approved or rejected
 * @param comment     free text, at most {@link #MAX_COMMENT_LENGTH} characters
 */
public record ApprovalRecord(
        String commit,
        String environment,
        String approver,
        Decision decision,
        Instant recordedAt,
        Optional<String> comment,
        Optional<String> signature) implements NoteRecord {

    public static final String KIND = "Approval";
    public static final int MAX_COMMENT_LENGTH = 1000;

    private static final Set<String> KNOWN_FIELDS = Set.of(
            "apiVersion", "kind", "commit", "environment", "approver", "decision", "recordedAt", "comment",
            "signature");

    /** What the approver decided. */
    public enum Decision {
        APPROVED, REJECTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Decision fromLabel(String label) throws InvalidEvidenceException {
            for (Decision decision : values()) {
                if (decision.label().equals(label)) {
                    return decision;
                }
            }
            throw new InvalidEvidenceException("decision must be 'approved' or 'rejected'");
        }
    }

    public ApprovalRecord {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Parses and checks one Approval line.
     *
     * @throws InvalidEvidenceException saying what is wrong with the line
     */
    public static ApprovalRecord parse(String line) throws InvalidEvidenceException {
        return fromFields(RecordFields.read(line));
    }

    static ApprovalRecord fromFields(RecordFields fields) throws InvalidEvidenceException {
        fields.checkKind(KIND, KNOWN_FIELDS);
        String commit = fields.commit();
        String environment = fields.environment();
        String approver = fields.requiredNonEmpty("approver");
        Decision decision = Decision.fromLabel(fields.requiredString("decision"));
        Instant recordedAt = fields.recordedAt();
        Optional<String> comment = fields.optionalString("comment");
        if (comment.isPresent() && comment.get().codePointCount(0, comment.get().length()) > MAX_COMMENT_LENGTH) {
            throw new InvalidEvidenceException("comment is longer than " + MAX_COMMENT_LENGTH + " characters");
        }
        return new ApprovalRecord(commit, environment, approver, decision, recordedAt, comment, fields.signature());
    }

    public boolean approved() {
        return decision == Decision.APPROVED;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String principal() {
        return approver;
    }

    /** This record as one JSON line, fields in the order of approvals-signatures.md. */
    @Override
    public String toJsonLine() {
        return RecordFields.line(KIND, commit, environment, json -> {
            json.writeStringField("approver", approver);
            json.writeStringField("decision", decision.label());
            json.writeStringField("recordedAt", DateTimeFormatter.ISO_INSTANT.format(recordedAt));
            if (comment.isPresent()) {
                json.writeStringField("comment", comment.get());
            }
        }, signature);
    }
}
