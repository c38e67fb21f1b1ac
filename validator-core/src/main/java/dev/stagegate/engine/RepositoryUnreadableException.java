package dev.stagegate.engine;

import java.io.IOException;

/** The repository cannot be judged at all (exit status 3); the message says why. */
public final class RepositoryUnreadableException extends IOException {

    private static final long serialVersionUID = 1L;

    public RepositoryUnreadableException(String message) {
        super(message);
    }
}
