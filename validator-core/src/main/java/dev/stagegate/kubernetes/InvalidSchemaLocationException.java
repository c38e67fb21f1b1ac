package dev.stagegate.kubernetes;

/**
 * A schema location template that cannot be used, with where in the template the problem is,
 * so that the policy or the command line can point at it.
 */
public final class InvalidSchemaLocationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int column;

    InvalidSchemaLocationException(String message, int column) {
        super(message);
        this.column = column;
    }

    /** The 1-based column of the problem within the template string. */
    public int column() {
        return column;
    }
}
