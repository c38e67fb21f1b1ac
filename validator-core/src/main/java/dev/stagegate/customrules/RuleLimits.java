package dev.stagegate.customrules;

/**
 * The bounds on one custom rule's expression, at compile time and per evaluation.
 *
 * @param maxExpressionLength    characters; longer expressions are refused before parsing
 * @param maxParseRecursionDepth nesting of parentheses, calls and operators the parser follows
 * @param maxParseNodes          nodes of the parsed expression
 * @param assumedIterations      the list length the cost estimate assumes for each
 *                               comprehension ({@code all}, {@code map}, ...): lists in
 *                               Kubernetes manifests and values files (containers, ports,
 *                               env) are far shorter; the runtime limit stops longer ones
 * @param maxEstimatedCost       the compile-time estimate above which an expression is refused:
 *                               two nested comprehensions with small bodies stay under it,
 *                               three do not
 * @param maxRuntimeCost         the cost one evaluation may spend (Kubernetes' per-call limit):
 *                               one per evaluated node, plus a tenth of the size of each string,
 *                               list or map an operator or function builds
 * @param maxIterations          iterations of all comprehensions of one evaluation together
 */
public record RuleLimits(
        int maxExpressionLength,
        int maxParseRecursionDepth,
        int maxParseNodes,
        long assumedIterations,
        long maxEstimatedCost,
        long maxRuntimeCost,
        int maxIterations) {

    public static final RuleLimits DEFAULT =
            new RuleLimits(2_000, 100, 2_000, 1_000, 100_000_000L, 1_000_000L, 100_000);

    /**
     * The longest string one evaluation may build: a hundred times a large values file, far
     * beyond any message or key a rule needs, and small enough that building a few of them cannot
     * exhaust the heap. Functions whose result can be far larger than their arguments check it
     * before building ({@code BoundedFunctions}); the cost listener checks every other result.
     */
    public static final int MAX_STRING_LENGTH = 1_000_000;

    /** The most elements of a list or map one evaluation may build, for the same reason. */
    public static final int MAX_LIST_SIZE = 1_000_000;

    /**
     * The limits as a short text, for memo keys and {@link CompiledExpressionFiles}. Spelt out
     * rather than the record's {@code toString} and {@code hashCode}, whose first calls in a JVM
     * spin method handles for several milliseconds, in a hook that runs once per push.
     */
    String key() {
        return maxExpressionLength + "/" + maxParseRecursionDepth + "/" + maxParseNodes + "/" + assumedIterations
                + "/" + maxEstimatedCost + "/" + maxRuntimeCost + "/" + maxIterations;
    }
}
