package dev.stagegate.customrules;

import dev.cel.common.ast.CelExpr;

/**
 * A worst-case estimate of what evaluating a checked expression costs, for refusing at compile
 * time what could never finish within the runtime limit on ordinary input. cel-java 0.14.0 has
 * no cost estimator (cel-go's, which Kubernetes uses, sizes lists from the schema's maxItems;
 * a values file has no such bound), so: every node costs 1, and a comprehension's condition
 * and step cost {@code assumedIterations} times their own estimate, so nested comprehensions
 * multiply. The runtime cost limit stays the guarantee; this catches the shapes that are
 * hostile whatever the input.
 */
final class CostEstimate {

    private final long assumedIterations;
    private final long ceiling;

    private CostEstimate(long assumedIterations, long ceiling) {
        this.assumedIterations = assumedIterations;
        this.ceiling = ceiling;
    }

    /**
     * The estimate, saturated just above {@code ceiling} so that deep nesting cannot overflow.
     */
    static long of(CelExpr expression, long assumedIterations, long ceiling) {
        return new CostEstimate(assumedIterations, ceiling).cost(expression);
    }

    private long cost(CelExpr expression) {
        return switch (expression.getKind()) {
            case CONSTANT, IDENT, NOT_SET -> 1;
            case SELECT -> add(1, cost(expression.select().operand()));
            case CALL -> {
                long total = 1;
                if (expression.call().target().isPresent()) {
                    total = add(total, cost(expression.call().target().get()));
                }
                for (CelExpr argument : expression.call().args()) {
                    total = add(total, cost(argument));
                }
                yield total;
            }
            case LIST -> {
                long total = 1;
                for (CelExpr element : expression.list().elements()) {
                    total = add(total, cost(element));
                }
                yield total;
            }
            case MAP -> {
                long total = 1;
                for (CelExpr.CelMap.Entry entry : expression.map().entries()) {
                    total = add(total, add(cost(entry.key()), cost(entry.value())));
                }
                yield total;
            }
            case STRUCT -> {
                long total = 1;
                for (CelExpr.CelStruct.Entry entry : expression.struct().entries()) {
                    total = add(total, cost(entry.value()));
                }
                yield total;
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension loop = expression.comprehension();
                long perIteration = add(cost(loop.loopCondition()), cost(loop.loopStep()));
                long total = add(1, add(cost(loop.iterRange()), cost(loop.accuInit())));
                total = add(total, multiply(perIteration, assumedIterations));
                yield add(total, cost(loop.result()));
            }
        };
    }

    private long add(long a, long b) {
        return Math.min(ceiling + 1, a + b);
    }

    private long multiply(long a, long b) {
        if (a > ceiling / b) {
            return ceiling + 1;
        }
        return Math.min(ceiling + 1, a * b);
    }
}
