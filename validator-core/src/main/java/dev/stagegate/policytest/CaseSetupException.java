package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;

/**
 * A case that cannot be built as written, found only when it runs: a revision that names no
 * commit at that point, a push that leaves a ref where it is. A mistake in the test file,
 * reported at the step or revision that makes it.
 */
final class CaseSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SourcePosition position;

    CaseSetupException(String message, SourcePosition position) {
        super(message);
        this.position = position;
    }

    SourcePosition position() {
        return position;
    }
}
