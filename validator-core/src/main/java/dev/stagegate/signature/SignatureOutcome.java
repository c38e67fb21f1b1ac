package dev.stagegate.signature;

/** What verifying a record's signature found; only {@link #VERIFIED} lets the record count as signed. */
public enum SignatureOutcome {
    VERIFIED,
    /** The armor, base64 or SSHSIG envelope does not parse (or is far too large). */
    MALFORMED,
    /** Signed for another use than stagegate records (e.g. a git commit signature). */
    WRONG_NAMESPACE,
    /** DSA, FIDO, certificate, RSA under 2048 bits, or an RSA signature with SHA-1. */
    UNSUPPORTED_KEY,
    /** No allowed-signers line for this principal and key. */
    NOT_ALLOWED,
    /** The matching line's namespaces= does not include stagegate. */
    NAMESPACE_NOT_ALLOWED,
    /** The record was made before the matching line's valid-after. */
    NOT_YET_VALID,
    /** The record was made after the matching line's valid-before. */
    EXPIRED,
    /** The signature does not match the record: changed after signing, or not made by this key. */
    BAD_SIGNATURE,
    /** The record itself cannot be read as the JSON object that was signed. */
    NOT_CANONICAL
}
