package dev.stagegate.evidence;

/** A note line that is not valid evidence; the message says why. */
public final class InvalidEvidenceException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidEvidenceException(String message) {
        super(message);
    }
}
