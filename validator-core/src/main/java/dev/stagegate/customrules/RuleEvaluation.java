package dev.stagegate.customrules;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link RuleExpression} on one document, within the expression's runtime cost limit and
 * the push's deadline, and says what came of it: a bool or string of the expected type, or an
 * error in a few words (never a stack trace). An error is never a pass: the caller reports it as
 * a violation ({@code expression}) or falls back to {@code message} ({@code messageExpression}).
 *
 * <p>The cost is counted as Kubernetes counts it, in spirit: every evaluated node costs 1 (so a
 * comprehension pays for each iteration), and each string, list or map that an operator or a
 * function builds costs a tenth of its size more (so doubling a string with {@code cel.bind}
 * is stopped once the total passes the limit, long before memory runs out). No string may
 * grow past {@link RuleLimits#MAX_STRING_LENGTH} characters, nor a list or map past
 * {@link RuleLimits#MAX_LIST_SIZE} elements; the functions that could pass those in a single call
 * check them before building ({@link BoundedFunctions}), since a listener only sees a value once
 * it exists.
 */
public final class RuleEvaluation {

    private static final int CLOCK_CHECK_INTERVAL = 256;
    private static final int MAX_MESSAGE_LENGTH = 500;

    private RuleEvaluation() {
    }

    /** What an evaluation gave: a value of the expression's result type, or an error. */
    public record Result(Object value, String error) {

        static Result error(String message) {
            return new Result(null, message);
        }

        public boolean failed() {
            return error != null;
        }

        /** For a bool expression: it evaluated to true (an error never holds). */
        public boolean holds() {
            return Boolean.TRUE.equals(value);
        }

        /** For a string expression: the text, or null after an error. */
        public String text() {
            return value instanceof String text ? text : null;
        }
    }

    /** Evaluates without a deadline (the cost limit still applies): for {@code rules eval}, tests. */
    public static Result evaluate(RuleExpression expression, RuleVariables variables) {
        return run(expression, variables, false, 0);
    }

    /**
     * Evaluates, giving up with an error once {@code System.nanoTime()} passes
     * {@code deadlineNanoTime} or the thread is interrupted.
     */
    public static Result evaluate(RuleExpression expression, RuleVariables variables, long deadlineNanoTime) {
        return run(expression, variables, true, deadlineNanoTime);
    }

    private static Result run(RuleExpression expression, RuleVariables variables, boolean hasDeadline,
            long deadlineNanoTime) {
        String expected = expression.resultType().celName();
        FastPathProgram fastPath = expression.fastPath();
        // the fast path's work is bounded (nodes, and the sizes of what it scans and builds, within
        // FastPathProgram.BUDGET) far below a millisecond: one look at the clock suffices
        if (fastPath != null && !(hasDeadline && System.nanoTime() - deadlineNanoTime > 0)
                && !Thread.currentThread().isInterrupted()) {
            Object value = fastPath.evaluate(variables);
            if (value != FastPathProgram.UNDECIDED && expected.equals(CelValues.typeName(value))) {
                return new Result(value, null);
            }
        }
        return runInCel(expression, variables, hasDeadline, deadlineNanoTime);
    }

    /** cel-java's own evaluation, with its cost and deadline listener: the authority on every result. */
    static Result runInCel(RuleExpression expression, RuleVariables variables, boolean hasDeadline,
            long deadlineNanoTime) {
        Budget budget = new Budget(expression.limits().maxRuntimeCost(), hasDeadline, deadlineNanoTime);
        Object value;
        try {
            value = expression.program().trace(variables.asMap(), budget);
        } catch (LimitExceeded stop) {
            return Result.error(stop.getMessage());
        } catch (CelValues.IntegerOutOfRangeException e) {
            return Result.error(e.getMessage());
        } catch (CelEvaluationException e) {
            return Result.error(describe(e));
        } catch (RuntimeException e) {
            // CEL's own failures (an overflowing int, a bad index) surface as unchecked exceptions
            // in places; whatever it is, the rule errs and says so
            return Result.error(describe(e));
        } catch (StackOverflowError e) {
            return Result.error("the expression nests too deeply to evaluate");
        } catch (OutOfMemoryError e) {
            // The last line only: a JVM run with -XX:+ExitOnOutOfMemoryError (the resident hook
            // server) exits before this is reached, which is why BoundedFunctions and the size
            // limits below stop what could build a huge value before it is built. Elsewhere the
            // failed allocation was the huge one, so memory is left to report it.
            return Result.error("memory limit exceeded: the expression needed more memory than the process has");
        }
        String expected = expression.resultType().celName();
        if (!expected.equals(CelValues.typeName(value))) {
            return Result.error("the expression gave a " + CelValues.typeName(value) + ", not a " + expected);
        }
        return new Result(value, null);
    }

    /**
     * How cel-java words its errors, to say the same in a few words: in a holder, compiled only
     * when a rule errs (a fresh JVM's push under rules that hold never compiles them).
     */
    private static final class CelWording {

        /** CEL's messages start with where it was; the caller says where the rule is. */
        static final Pattern CEL_PREFIX = Pattern.compile("^evaluation error(?: at [^:]*:\\d+)?: ");
        static final Pattern NO_SUCH_KEY = Pattern.compile("key '(.*)' is not present in map\\.?");
        static final Pattern ITERATIONS = Pattern.compile("Iteration budget exceeded: (\\d+)");
        static final Pattern NO_OVERLOAD =
                Pattern.compile("No matching overload for function '([^']*)'.*", Pattern.DOTALL);
    }

    private static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LimitExceeded || cause instanceof CelValues.IntegerOutOfRangeException) {
                return cause.getMessage();
            }
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        message = CelWording.CEL_PREFIX.matcher(message).replaceFirst("");
        Matcher key = CelWording.NO_SUCH_KEY.matcher(message);
        if (key.matches()) {
            return "no such key: " + key.group(1);
        }
        Matcher iterations = CelWording.ITERATIONS.matcher(message);
        if (iterations.matches()) {
            return "iteration limit exceeded: the comprehensions (all, map, ...) ran more than "
                    + iterations.group(1) + " times";
        }
        Matcher overload = CelWording.NO_OVERLOAD.matcher(message);
        if (overload.matches()) {
            return "type mismatch: no '" + overload.group(1) + "' for these operand types";
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            // CEL spells out a failed function's arguments, which may be most of the document
            return message.substring(0, MAX_MESSAGE_LENGTH) + "... (" + message.length() + " characters)";
        }
        return message;
    }

    /**
     * Unwinds the evaluation when a limit is reached (here, or in {@link BoundedFunctions}); CEL may
     * wrap it, {@link #describe} unwraps it.
     */
    static final class LimitExceeded extends RuntimeException {

        private static final long serialVersionUID = 1L;

        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** Charges each evaluated node and checks the deadline, as CEL reports the nodes. */
    private static final class Budget implements CelEvaluationListener {

        private final long limit;
        private final boolean hasDeadline;
        private final long deadlineNanoTime;
        private long spent;
        private long nextClockCheck = CLOCK_CHECK_INTERVAL;

        Budget(long limit, boolean hasDeadline, long deadlineNanoTime) {
            this.limit = limit;
            this.hasDeadline = hasDeadline;
            this.deadlineNanoTime = deadlineNanoTime;
        }

        @Override
        public void callback(CelExpr expression, Object value) {
            spent += 1;
            if (expression.getKind() == CelExpr.ExprKind.Kind.CALL) {
                spent += builtSize(value) / 10;
                checkSize(value);
            }
            if (spent > limit) {
                throw new LimitExceeded("cost limit exceeded: the expression did more than " + limit
                        + " units of work (evaluated nodes, and the sizes of the strings and lists it built)");
            }
            if (spent >= nextClockCheck) {
                nextClockCheck = spent + CLOCK_CHECK_INTERVAL;
                if (hasDeadline && System.nanoTime() - deadlineNanoTime > 0) {
                    throw new LimitExceeded("deadline reached: the push's time ran out while this rule was evaluated");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new LimitExceeded("interrupted while this rule was evaluated");
                }
            }
        }

        /**
         * Stops growth over several steps (a string doubled by {@code +} in nested bindings) at
         * the first result over the size limits, whatever the cost limit allows.
         */
        private static void checkSize(Object value) {
            if (value instanceof String text && text.length() > RuleLimits.MAX_STRING_LENGTH) {
                throw new LimitExceeded("string size limit exceeded: the expression built a string of "
                        + text.length() + " characters; at most " + RuleLimits.MAX_STRING_LENGTH + " are allowed");
            }
            long size = value instanceof Collection<?> collection ? collection.size()
                    : value instanceof Map<?, ?> map ? map.size() : 0;
            if (size > RuleLimits.MAX_LIST_SIZE) {
                throw new LimitExceeded("list size limit exceeded: the expression built a list or map of " + size
                        + " elements; at most " + RuleLimits.MAX_LIST_SIZE + " are allowed");
            }
        }

        private static long builtSize(Object value) {
            if (value instanceof String text) {
                return text.length();
            }
            if (value instanceof Collection<?> collection) {
                return collection.size();
            }
            if (value instanceof Map<?, ?> map) {
                return map.size();
            }
            return 0;
        }
    }
}
