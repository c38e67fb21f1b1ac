package dev.stagegate.cli;

/**
 * A mistake in how stagegate was invoked that picocli cannot see while parsing, such as
 * a bad environment variable, a path that does not exist or a target the policy does not
 * name; exits with status 2, printed as {@code stagegate <command>: <message>} and a hint.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
