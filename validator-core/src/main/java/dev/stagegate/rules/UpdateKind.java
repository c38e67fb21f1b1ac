package dev.stagegate.rules;

/** Where an update is judged. */
public enum UpdateKind {
    /** A ref update on the server, in the pre-receive hook. */
    PUSH,
    /**
     * The pull-request check: the new state is the source's content with the target's own
     * environment-specific files kept, as a merge that keeps each environment's files gives.
     */
    PULL_REQUEST
}
