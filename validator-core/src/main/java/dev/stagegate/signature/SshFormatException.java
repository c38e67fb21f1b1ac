package dev.stagegate.signature;

/** SSH wire data (a signature envelope, a key, a signature blob) that does not parse. */
final class SshFormatException extends Exception {

    SshFormatException(String message) {
        super(message, null, false, false);
    }
}
