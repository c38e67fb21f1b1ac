package dev.stagegate.signature;

/** A well-formed SSH key or signature algorithm that stagegate refuses (DSA, FIDO, certificates, short RSA, SHA-1). */
final class UnsupportedKeyException extends Exception {

    UnsupportedKeyException(String message) {
        super(message, null, false, false);
    }
}
