package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import java.util.Objects;

/**
 * Why a test file or the policy under test cannot be used: what is wrong, and where, as
 * {@code file:line:column}. Any such problem makes the run end with exit status 2.
 */
public record InputProblem(String file, SourcePosition position, String message) {

    public InputProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
    }

    /** A {@code policy-invalid} violation of the policy under test, or of its allowed signers. */
    public static InputProblem of(Violation violation, String file) {
        SourcePosition position = violation.line() > 0
                ? new SourcePosition(violation.line(), Math.max(1, violation.column()))
                : SourcePosition.START;
        return new InputProblem(violation.file() == null ? file : violation.file(), position, violation.message());
    }

    /** {@code file:line:column: message}, as compilers print it so that editors can jump there. */
    public String describe() {
        return file + ":" + position.line() + ":" + position.column() + ": " + message;
    }
}
