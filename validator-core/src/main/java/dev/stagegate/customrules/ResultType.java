package dev.stagegate.customrules;

/** What an expression must produce: a verdict ({@code expression}) or a text ({@code messageExpression}). */
public enum ResultType {
    BOOL("bool"),
    STRING("string");

    private final String celName;

    ResultType(String celName) {
        this.celName = celName;
    }

    /** The type's name as CEL writes it. */
    public String celName() {
        return celName;
    }
}
