package dev.stagegate.cli;

/**
 * A mistake in how stagegate was invoked that picocli cannot see while parsing, such as
 * a bad environment variable or a path that does not exist; exits with status 2.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
