package dev.stagegate.report;

import java.util.Objects;

/**
 * One finding of one rule, with where it applies. Immutable; build with {@link #of}
 * and the {@code with*} methods, which return copies.
 *
 * @param rule        stable rule id from policy-v1.md, such as {@code skipped-stage}
 * @param severity    error rejects, warning only reports
 * @param message     what is wrong and how to fix it
 * @param ref         full ref name the update touched, or null
 * @param environment environment name, or null
 * @param commit      full commit id, or null
 * @param file        repository-relative path of the file at fault, or null
 * @param line        1-based line in {@code file}, or 0 when unknown
 * @param column      1-based column in {@code file}, or 0 when unknown
 */
public record Violation(
        String rule,
        Severity severity,
        String message,
        String ref,
        String environment,
        String commit,
        String file,
        int line,
        int column) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are 1-based, or 0 when unknown");
        }
    }

    public static Violation of(String rule, Severity severity, String message) {
        return new Violation(rule, severity, message, null, null, null, null, 0, 0);
    }

    /** The pseudo rule id of errors of the run itself (unreadable repository, timeout), not of a rule. */
    public static final String RUN_ERROR = "stagegate";

    /** The pseudo rule id of a usage error the engine found (see {@code Outcome.usageError}). */
    public static final String USAGE_ERROR = "usage";

    /** An error of the run itself: the repository or input cannot be judged. */
    public static Violation runError(String message) {
        return error(RUN_ERROR, message);
    }

    public static Violation error(String rule, String message) {
        return of(rule, Severity.ERROR, message);
    }

    public static Violation warning(String rule, String message) {
        return of(rule, Severity.WARNING, message);
    }

    public Violation withSeverity(Severity newSeverity) {
        return new Violation(rule, newSeverity, message, ref, environment, commit, file, line, column);
    }

    public Violation withMessage(String newMessage) {
        return new Violation(rule, severity, newMessage, ref, environment, commit, file, line, column);
    }

    public Violation withRef(String newRef) {
        return new Violation(rule, severity, message, newRef, environment, commit, file, line, column);
    }

    public Violation withEnvironment(String newEnvironment) {
        return new Violation(rule, severity, message, ref, newEnvironment, commit, file, line, column);
    }

    public Violation withCommit(String newCommit) {
        return new Violation(rule, severity, message, ref, environment, newCommit, file, line, column);
    }

    public Violation at(String newFile, int newLine, int newColumn) {
        return new Violation(rule, severity, message, ref, environment, commit, newFile, newLine, newColumn);
    }

    public Violation at(String newFile, SourcePosition position) {
        return position == null
                ? at(newFile, 0, 0)
                : at(newFile, position.line(), position.column());
    }

    /** Fills in ref, environment and commit where this violation does not already name them. */
    public Violation inContext(String contextRef, String contextEnvironment, String contextCommit) {
        return new Violation(rule, severity, message,
                ref != null ? ref : contextRef,
                environment != null ? environment : contextEnvironment,
                commit != null ? commit : contextCommit,
                file, line, column);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code path:line:column}, {@code path}, or null when no file is involved. */
    public String fileLocation() {
        if (file == null) {
            return null;
        }
        if (line == 0) {
            return file;
        }
        return column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
