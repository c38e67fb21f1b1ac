package dev.stagegate.policytest;

/**
 * ssh-keygen could not make a case's test key or signature (it is missing, or refused the
 * key): not a mistake in the test file, so the case ends in error, with ssh-keygen's message.
 */
final class SigningFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    SigningFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
