package dev.stagegate.customrules;

/**
 * Why an expression cannot be compiled, and where in its text.
 *
 * @param offset  0-based character offset in the expression's text ({@link ExpressionSource}
 *                maps it to the policy file); 0 for problems of the whole expression
 * @param message what is wrong, in CEL's words or ours
 */
public record ExpressionProblem(int offset, String message) {
}
