package dev.stagegate;

/** The exit statuses of product.md; in hook mode every non-zero status rejects the push. */
public enum ExitStatus {
    /** Accepted; warnings may have been printed. */
    ACCEPTED(0),
    /** At least one violation at error severity. */
    REJECTED(1),
    /** Usage error, or the policy that governs the run cannot be loaded. */
    USAGE_OR_POLICY(2),
    /** The repository cannot be judged: shallow, missing objects, a needed ref not fetched, I/O. */
    CANNOT_JUDGE(3);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The more severe of two statuses; "cannot judge" outranks a policy problem, which outranks a rejection. */
    public ExitStatus worse(ExitStatus other) {
        return other.code > code ? other : this;
    }
}
