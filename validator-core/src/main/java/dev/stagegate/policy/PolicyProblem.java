package dev.stagegate.policy;

import dev.stagegate.report.Severity;

/**
 * A problem found in a policy document, before it becomes a {@code policy-invalid}
 * violation: where it is (a JSON pointer into the document) and what to do about it.
 *
 * @param offset     for a problem inside a string value, its 0-based offset in the string (such as
 *                   an unknown variable in a schema location), so that the column points at it; else -1
 * @param expression true when {@code offset} counts into a custom rule's CEL expression, the value
 *                   of the mapping entry at {@code pointer}, which may be written in any scalar style
 *                   (quoted with escapes, folded, literal) and over several lines
 */
record PolicyProblem(Severity severity, String pointer, String message, int offset, boolean expression) {

    static PolicyProblem error(String pointer, String message) {
        return new PolicyProblem(Severity.ERROR, pointer, message, -1, false);
    }

    /** An error at {@code offset} inside the one-line string value at {@code pointer}. */
    static PolicyProblem errorInside(String pointer, int offset, String message) {
        return new PolicyProblem(Severity.ERROR, pointer, message, offset, false);
    }

    /** An error at {@code offset} inside the CEL expression that is the value of the entry at {@code pointer}. */
    static PolicyProblem errorInExpression(String pointer, int offset, String message) {
        return new PolicyProblem(Severity.ERROR, pointer, message, offset, true);
    }

    static PolicyProblem warning(String pointer, String message) {
        return new PolicyProblem(Severity.WARNING, pointer, message, -1, false);
    }
}
