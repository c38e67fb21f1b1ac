package dev.stagegate.policy;

import dev.stagegate.report.Severity;

/**
 * A problem found in a policy document, before it becomes a {@code policy-invalid}
 * violation: where it is (a JSON pointer into the document) and what to do about it.
 */
record PolicyProblem(Severity severity, String pointer, String message) {

    static PolicyProblem error(String pointer, String message) {
        return new PolicyProblem(Severity.ERROR, pointer, message);
    }

    static PolicyProblem warning(String pointer, String message) {
        return new PolicyProblem(Severity.WARNING, pointer, message);
    }
}
