package dev.stagegate.customrules;

import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the part of CEL that rules on configuration files are made of (field selection,
 * {@code has()}, comparisons, logic, arithmetic, the string tests, {@code size}, {@code in},
 * list literals and the comprehension macros) straight from the checked expression, without
 * cel-java's interpreter and its per-node listener; it decides only the evaluations it is sure
 * of and hands every other one to cel-java, which stays the authority.
 *
 * <p>Why: cel-java's interpreter costs microseconds per evaluation even when compiled, and tens
 * of microseconds in a cold JVM; a push of 100 files under five rules is 500 evaluations, and
 * {@code validate} over 10,000 files 50,000. This tree walker does the same work with a few
 * virtual calls per node.
 *
 * <p>How it stays exact: it returns {@link #UNDECIDED} instead of a value whenever CEL would
 * report an error (a missing key, a type mismatch, an overflow, a bad index), whenever the
 * operands are of a kind whose CEL semantics it does not reproduce (maps compared, mixed types
 * compared for equality), and whenever the evaluation grows past a budget far below CEL's own
 * cost and size limits, so that CEL's limits, messages and error absorption ({@code error ||
 * true} is true) all come from cel-java. When there is no error, CEL's logic short-circuits
 * exactly as Java's does. {@code FastPathProgramTest} checks every decision against cel-java.
 * An expression using anything else (the extensions, optionals, map literals, conversions of
 * doubles to strings) is not compiled at all: {@link #of} gives null.
 */
final class FastPathProgram {

    /** The evaluation needs cel-java: an error, an unfamiliar operand, or a large one. */
    static final Object UNDECIDED = new Object() {
        @Override
        public String toString() {
            return "undecided";
        }
    };

    /**
     * Units of work (nodes, and a tenth of the size of what each call scans and builds) after
     * which cel-java takes over: a hundredth of {@link RuleLimits#DEFAULT}'s runtime cost, so that
     * no evaluation this class completes could have reached CEL's cost, iteration or size limits.
     */
    static final int BUDGET = 10_000;

    /** The largest int a double holds exactly (2^53). */
    private static final long EXACT_DOUBLE_INT = 1L << 53;

    /** The longest string or list this class builds before handing over. */
    static final int MAX_BUILT_SIZE = 10_000;

    private final Node root;
    private final int slots;

    private FastPathProgram(Node root, int slots) {
        this.root = root;
        this.slots = slots;
    }

    /**
     * The program for an expression's shape, or null when it calls a function this class leaves
     * to cel-java.
     */
    static FastPathProgram of(FastPathShape shape) {
        Compiler compiler = new Compiler();
        Node root = compiler.compile(shape, Scope.ofVariables());
        return root == null ? null : new FastPathProgram(root, compiler.maxSlot + 1);
    }

    /**
     * The expression's value for these variables (a Boolean, Long, Double, String, NullValue or
     * list), or {@link #UNDECIDED}.
     */
    Object evaluate(RuleVariables variables) {
        Frame frame = new Frame(slots);
        try {
            variables.copyInto(frame.values);
            return root.evaluate(frame);
        } catch (Undecided | RuntimeException | StackOverflowError e) {
            // a document or view that cannot convert a value (CelValues.IntegerOutOfRangeException),
            // or any surprise: cel-java evaluates it again and reports it in its own words
            return UNDECIDED;
        }
    }

    /** Unwinds the evaluation to hand it to cel-java; thrown often enough to skip the stack trace. */
    private static final class Undecided extends Exception {

        private static final long serialVersionUID = 1L;
        private static final Undecided INSTANCE = new Undecided();

        private Undecided() {
            super(null, null, false, false);
        }
    }

    private static final class Frame {

        final Object[] values;
        int spent;

        Frame(int slots) {
            values = new Object[slots];
        }

        void charge(int units) throws Undecided {
            spent += units;
            if (spent > BUDGET) {
                throw Undecided.INSTANCE;
            }
        }

        /**
         * What a call costs beyond its node: a tenth of the size of what it scanned (a long string
         * matched, a long list searched: the budget bounds time, not only nodes) and of what it
         * gave, as cel-java's listener charges every call's result. A result over the size this
         * class builds is cel-java's: its limits (and their messages) may apply.
         */
        Object charged(Object result, Object... operands) throws Undecided {
            long scanned = 0;
            for (Object operand : operands) {
                scanned += sizeOf(operand);
            }
            long built = sizeOf(result);
            if (built > MAX_BUILT_SIZE) {
                throw Undecided.INSTANCE;
            }
            charge((int) Math.min(BUDGET + 1L, (scanned + built) / 10));
            return result;
        }
    }

    /**
     * One node of the program. Each kind is a class of its own rather than a lambda: a hook
     * runs once per push, and a lambda's first call in a JVM links a call site and spins a class
     * (most of a cold evaluation's cost), where a class comes ready from the class-data archive.
     */
    private abstract static class Node {

        abstract Object evaluate(Frame frame) throws Undecided;
    }

    private static final class Constant extends Node {

        private final Object value;

        Constant(Object value) {
            this.value = value;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            return value;
        }
    }

    private static final class Variable extends Node {

        private final int slot;

        Variable(int slot) {
            this.slot = slot;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            return frame.values[slot];
        }
    }

    /** {@code operand.field}, or with {@code testOnly} {@code has(operand.field)}. */
    private static final class Select extends Node {

        private final Node operand;
        private final String field;
        private final boolean testOnly;

        Select(Node operand, String field, boolean testOnly) {
            this.operand = operand;
            this.field = field;
            this.testOnly = testOnly;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            Map<?, ?> map = map(operand.evaluate(frame));
            return testOnly ? (Object) map.containsKey(field) : entry(map, field);
        }
    }

    private static final class ListLiteral extends Node {

        private final Node[] elements;

        ListLiteral(Node[] elements) {
            this.elements = elements;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            Object[] values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                values[i] = elements[i].evaluate(frame);
            }
            return List.of(values);
        }
    }

    /** A comprehension, as CEL runs one: over a list's elements or a map's keys. */
    private static final class Loop extends Node {

        private final Node range;
        private final Node initial;
        private final int accumulatorSlot;
        private final int elementSlot;
        private final Node condition;
        private final Node step;
        private final Node result;

        Loop(Node range, Node initial, int accumulatorSlot, int elementSlot, Node condition, Node step, Node result) {
            this.range = range;
            this.initial = initial;
            this.accumulatorSlot = accumulatorSlot;
            this.elementSlot = elementSlot;
            this.condition = condition;
            this.step = step;
            this.result = result;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            Object iterated = range.evaluate(frame);
            Collection<?> elements = iterated instanceof List<?> list ? list
                    : iterated instanceof Map<?, ?> map ? map.keySet() : null;
            if (elements == null) {
                throw undecided();
            }
            frame.values[accumulatorSlot] = initial.evaluate(frame);
            for (Object element : elements) {
                frame.charge(1);
                frame.values[elementSlot] = element;
                if (!bool(condition.evaluate(frame))) {
                    break;
                }
                frame.values[accumulatorSlot] = step.evaluate(frame);
            }
            return result.evaluate(frame);
        }
    }

    /** {@code condition ? then : otherwise}. */
    private static final class Choice extends Node {

        private final Node condition;
        private final Node then;
        private final Node otherwise;

        Choice(Node condition, Node then, Node otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            return frame.charged(bool(condition.evaluate(frame)) ? then.evaluate(frame) : otherwise.evaluate(frame));
        }
    }

    /** {@code &&} or {@code ||}: without errors, CEL's logic short-circuits as Java's does. */
    private static final class Logic extends Node {

        private final boolean and;
        private final Node left;
        private final Node right;

        Logic(boolean and, Node left, Node right) {
            this.and = and;
            this.left = left;
            this.right = right;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            return and ? bool(left.evaluate(frame)) && bool(right.evaluate(frame))
                    : bool(left.evaluate(frame)) || bool(right.evaluate(frame));
        }
    }

    private enum UnaryOperator {
        NOT, NEGATE, NOT_STRICTLY_FALSE, SIZE, TO_STRING, TO_INT, TO_DOUBLE;

        /** The operator CEL names {@code function}, or null when this class leaves it to cel-java. */
        static UnaryOperator of(String function, boolean member) {
            return switch (function) {
                case "!_" -> NOT;
                case "-_" -> NEGATE;
                case "@not_strictly_false" -> NOT_STRICTLY_FALSE;
                case "size" -> SIZE;
                case "string" -> member ? null : TO_STRING;
                case "int" -> member ? null : TO_INT;
                case "double" -> member ? null : TO_DOUBLE;
                default -> null;
            };
        }

        Object apply(Object value) throws Undecided {
            return switch (this) {
                case NOT -> !bool(value);
                case NEGATE -> negate(value);
                // without errors, the accumulator is a bool
                case NOT_STRICTLY_FALSE -> bool(value);
                case SIZE -> size(value);
                case TO_STRING -> toStringValue(value);
                case TO_INT -> toInt(value);
                case TO_DOUBLE -> toDouble(value);
            };
        }
    }

    private static final class Unary extends Node {

        private final UnaryOperator operator;
        private final Node operand;

        Unary(UnaryOperator operator, Node operand) {
            this.operator = operator;
            this.operand = operand;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            Object value = operand.evaluate(frame);
            return frame.charged(operator.apply(value), value);
        }
    }

    private enum BinaryOperator {
        EQUAL, NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL, ADD, SUBTRACT, MULTIPLY, DIVIDE,
        REMAINDER, INDEX, IN, STARTS_WITH, ENDS_WITH, CONTAINS, MATCHES;

        /** The operator CEL names {@code function}, or null when this class leaves it to cel-java. */
        static BinaryOperator of(String function, boolean member) {
            return switch (function) {
                case "_==_" -> EQUAL;
                case "_!=_" -> NOT_EQUAL;
                case "_<_" -> LESS;
                case "_<=_" -> LESS_OR_EQUAL;
                case "_>_" -> GREATER;
                case "_>=_" -> GREATER_OR_EQUAL;
                case "_+_" -> ADD;
                case "_-_" -> SUBTRACT;
                case "_*_" -> MULTIPLY;
                case "_/_" -> DIVIDE;
                case "_%_" -> REMAINDER;
                case "_[_]" -> INDEX;
                case "@in" -> IN;
                case "startsWith" -> member ? STARTS_WITH : null;
                case "endsWith" -> member ? ENDS_WITH : null;
                case "contains" -> member ? CONTAINS : null;
                case "matches" -> MATCHES;
                default -> null;
            };
        }
    }

    private static final class Binary extends Node {

        private final BinaryOperator operator;
        private final Node left;
        private final Node right;

        Binary(BinaryOperator operator, Node left, Node right) {
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        @Override
        Object evaluate(Frame frame) throws Undecided {
            frame.charge(1);
            Object a = left.evaluate(frame);
            Object b = right.evaluate(frame);
            Object result = switch (operator) {
                case EQUAL -> equal(a, b);
                case NOT_EQUAL -> !equal(a, b);
                case LESS -> compare(a, b) < 0;
                case LESS_OR_EQUAL -> compare(a, b) <= 0;
                case GREATER -> compare(a, b) > 0;
                case GREATER_OR_EQUAL -> compare(a, b) >= 0;
                case ADD -> add(a, b);
                case SUBTRACT -> subtract(a, b);
                case MULTIPLY -> multiply(a, b);
                case DIVIDE -> divide(a, b);
                case REMAINDER -> remainder(a, b);
                case INDEX -> index(a, b);
                case IN -> in(a, b);
                case STARTS_WITH -> string(a).startsWith(string(b));
                case ENDS_WITH -> string(a).endsWith(string(b));
                case CONTAINS -> string(a).contains(string(b));
                case MATCHES -> {
                    // RE2 runs in time proportional to text times pattern: charged before it runs
                    frame.charge((int) Math.min(BUDGET + 1L, (long) string(a).length() * string(b).length() / 10));
                    yield matches(string(a), string(b));
                }
            };
            return frame.charged(result, a, b);
        }
    }

    /** The names in scope at a node: the five variables, then each enclosing comprehension's. */
    private static final class Scope {

        private final Scope outer;
        private final String name;
        private final int slot;
        private final List<String> roots;

        private Scope(Scope outer, String name, int slot, List<String> roots) {
            this.outer = outer;
            this.name = name;
            this.slot = slot;
            this.roots = roots;
        }

        static Scope ofVariables() {
            return new Scope(null, null, -1, RuleVariables.NAMES);
        }

        int slotOf(String identifier) {
            for (Scope scope = this; scope != null; scope = scope.outer) {
                if (scope.roots != null) {
                    return scope.roots.indexOf(identifier);
                }
                if (scope.name.equals(identifier)) {
                    return scope.slot;
                }
            }
            return -1;
        }

        Scope with(String identifier, int newSlot) {
            return new Scope(this, identifier, newSlot, null);
        }
    }

    /** Turns a shape into nodes, giving each comprehension's variables slots of their own. */
    private static final class Compiler {

        private int maxSlot = RuleVariables.NAMES.size() - 1;

        /** The node, or null when the expression uses something outside the subset. */
        Node compile(FastPathShape shape, Scope scope) {
            if (shape instanceof FastPathShape.Constant constant) {
                return new Constant(constant.value());
            }
            if (shape instanceof FastPathShape.Identifier identifier) {
                int slot = scope.slotOf(identifier.name());
                return slot < 0 ? null : new Variable(slot);
            }
            if (shape instanceof FastPathShape.Select select) {
                Node operand = compile(select.operand(), scope);
                return operand == null ? null : new Select(operand, select.field(), select.testOnly());
            }
            if (shape instanceof FastPathShape.Call call) {
                return call(call, scope);
            }
            if (shape instanceof FastPathShape.ListOf list) {
                Node[] elements = compileAll(list.elements(), scope);
                return elements == null ? null : new ListLiteral(elements);
            }
            return comprehension((FastPathShape.Comprehension) shape, scope);
        }

        private Node comprehension(FastPathShape.Comprehension comprehension, Scope scope) {
            Node range = compile(comprehension.range(), scope);
            Node initial = compile(comprehension.initial(), scope);
            int accumulatorSlot = ++maxSlot;
            Scope withAccumulator = scope.with(comprehension.accumulator(), accumulatorSlot);
            int elementSlot = ++maxSlot;
            Scope inLoop = withAccumulator.with(comprehension.iterationVariable(), elementSlot);
            Node condition = compile(comprehension.condition(), inLoop);
            Node step = compile(comprehension.step(), inLoop);
            Node result = compile(comprehension.result(), withAccumulator);
            if (range == null || initial == null || condition == null || step == null || result == null) {
                return null;
            }
            return new Loop(range, initial, accumulatorSlot, elementSlot, condition, step, result);
        }

        private Node[] compileAll(List<FastPathShape> shapes, Scope scope) {
            Node[] nodes = new Node[shapes.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = compile(shapes.get(i), scope);
                if (nodes[i] == null) {
                    return null;
                }
            }
            return nodes;
        }

        private Node call(FastPathShape.Call call, Scope scope) {
            Node[] operands = compileAll(call.operands(), scope);
            if (operands == null) {
                return null;
            }
            String function = call.function();
            if (operands.length == 1) {
                UnaryOperator operator = UnaryOperator.of(function, call.member());
                return operator == null ? null : new Unary(operator, operands[0]);
            }
            if (operands.length == 2) {
                if (function.equals("_&&_") || function.equals("_||_")) {
                    return new Logic(function.equals("_&&_"), operands[0], operands[1]);
                }
                BinaryOperator operator = BinaryOperator.of(function, call.member());
                return operator == null ? null : new Binary(operator, operands[0], operands[1]);
            }
            if (operands.length == 3 && !call.member() && function.equals("_?_:_")) {
                return new Choice(operands[0], operands[1], operands[2]);
            }
            return null;
        }
    }

    private static Undecided undecided() {
        return Undecided.INSTANCE;
    }

    private static boolean bool(Object value) throws Undecided {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw undecided();
    }

    private static String string(Object value) throws Undecided {
        if (value instanceof String text) {
            return text;
        }
        throw undecided();
    }

    private static Map<?, ?> map(Object value) throws Undecided {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw undecided();
    }

    private static Object entry(Map<?, ?> map, Object key) throws Undecided {
        Object value = map.get(key);
        if (value == null) {
            throw undecided();
        }
        return value;
    }

    /** As cel-java's cost listener sizes a value: a string's length, a list's or map's entries. */
    private static long sizeOf(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof Collection<?> collection) {
            return collection.size();
        }
        return value instanceof Map<?, ?> map ? map.size() : 0;
    }

    private static Object negate(Object value) throws Undecided {
        if (value instanceof Long number && number != Long.MIN_VALUE) {
            return -number;
        }
        if (value instanceof Double number && number != 0.0) {
            // cel-java's negation of a zero keeps a sign that its int comparisons then see
            return -number;
        }
        throw undecided();
    }

    private static Object size(Object value) throws Undecided {
        if (value instanceof String text) {
            return (long) text.codePointCount(0, text.length());
        }
        if (value instanceof List<?> list) {
            return (long) list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return (long) map.size();
        }
        throw undecided();
    }

    private static Object toStringValue(Object value) throws Undecided {
        if (value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value.toString();
        }
        // a double's text follows CEL's own formatting rules: cel-java says it
        throw undecided();
    }

    private static Object toInt(Object value) throws Undecided {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof String text && text.matches("-?[0-9]{1,18}")) {
            return Long.parseLong(text);
        }
        throw undecided();
    }

    private static Object toDouble(Object value) throws Undecided {
        if (value instanceof Double) {
            return value;
        }
        if (value instanceof Long number && Math.abs(number) <= EXACT_DOUBLE_INT) {
            return number.doubleValue();
        }
        throw undecided();
    }

    /**
     * CEL's equality where it is plain: numbers by value (an int equals the same double, as with
     * heterogeneous comparisons), strings, bools, null against anything, and lists element by
     * element. Maps, and values of different kinds, are left to cel-java.
     */
    private static boolean equal(Object left, Object right) throws Undecided {
        if (left instanceof Number && right instanceof Number) {
            return compareNumbers(left, right) == 0;
        }
        if (left == NullValue.NULL_VALUE || right == NullValue.NULL_VALUE) {
            return left == right;
        }
        if ((left instanceof String && right instanceof String)
                || (left instanceof Boolean && right instanceof Boolean)) {
            return left.equals(right);
        }
        if (left instanceof List<?> leftList && right instanceof List<?> rightList) {
            if (leftList.size() != rightList.size()) {
                return false;
            }
            boolean same = true;
            for (int i = 0; i < leftList.size(); i++) {
                // elements of one plain kind only (ints, strings, bools, null): how cel-java
                // compares doubles, mixed kinds and nested lists or maps inside lists is its own
                Object a = leftList.get(i);
                Object b = rightList.get(i);
                if (!isPlainScalar(a) || a.getClass() != b.getClass()) {
                    throw undecided();
                }
                same &= a.equals(b);
            }
            return same;
        }
        throw undecided();
    }

    private static boolean isPlainScalar(Object value) {
        return value instanceof String || value instanceof Long || value instanceof Boolean
                || value == NullValue.NULL_VALUE;
    }

    private static int compare(Object left, Object right) throws Undecided {
        if (left instanceof Number && right instanceof Number) {
            return compareNumbers(left, right);
        }
        if (left instanceof String leftText && right instanceof String rightText
                && !hasSurrogates(leftText) && !hasSurrogates(rightText)) {
            // without surrogates, UTF-16 order is code point order, which is CEL's
            return leftText.compareTo(rightText);
        }
        throw undecided();
    }

    private static boolean hasSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Numbers exactly, ints against doubles too; NaN has no order and is left to cel-java. */
    private static int compareNumbers(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b) {
            return Long.compare(a, b);
        }
        if (left instanceof Double a && right instanceof Double b) {
            if (a.isNaN() || b.isNaN() || (a == 0.0 && b == 0.0
                    && Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b))) {
                // NaN, and whether -0.0 equals 0.0, are cel-java's to say
                throw undecided();
            }
            return a < b ? -1 : a > b ? 1 : 0;
        }
        if (left instanceof Long a && right instanceof Double b) {
            return -compareLongToDouble(b, a);
        }
        if (left instanceof Double a && right instanceof Long b) {
            return compareLongToDouble(a, b);
        }
        throw undecided();
    }

    /**
     * Where cel-java and arithmetic agree: cel-java compares an int with a double as
     * {@code Double.compare(d, (double) i)}, which rounds ints beyond 2^53 and orders -0.0 below
     * 0; those, and NaN and the infinities, are left to it.
     */
    private static int compareLongToDouble(double number, long integer) throws Undecided {
        if (Double.isNaN(number) || Double.isInfinite(number) || number == 0.0
                || Math.abs(integer) > EXACT_DOUBLE_INT) {
            throw undecided();
        }
        return Double.compare(number, (double) integer);
    }

    private static Object add(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b) {
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException overflow) {
                throw undecided();
            }
        }
        if (left instanceof Double a && right instanceof Double b) {
            return a + b;
        }
        if (left instanceof String a && right instanceof String b) {
            checkBuilt((long) a.length() + b.length());
            return a + b;
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            checkBuilt((long) a.size() + b.size());
            List<Object> joined = new ArrayList<>(a.size() + b.size());
            joined.addAll(a);
            joined.addAll(b);
            return Collections.unmodifiableList(joined);
        }
        throw undecided();
    }

    private static Object subtract(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b) {
            try {
                return Math.subtractExact(a, b);
            } catch (ArithmeticException overflow) {
                throw undecided();
            }
        }
        if (left instanceof Double a && right instanceof Double b) {
            return a - b;
        }
        throw undecided();
    }

    private static Object multiply(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b) {
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException overflow) {
                throw undecided();
            }
        }
        if (left instanceof Double a && right instanceof Double b) {
            return a * b;
        }
        throw undecided();
    }

    private static Object divide(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b && b != 0 && !(a == Long.MIN_VALUE && b == -1)) {
            return a / b;
        }
        if (left instanceof Double a && right instanceof Double b) {
            return a / b;
        }
        throw undecided();
    }

    private static Object remainder(Object left, Object right) throws Undecided {
        if (left instanceof Long a && right instanceof Long b && b != 0 && !(a == Long.MIN_VALUE && b == -1)) {
            return a % b;
        }
        throw undecided();
    }

    private static void checkBuilt(long size) throws Undecided {
        if (size > MAX_BUILT_SIZE) {
            throw undecided();
        }
    }

    private static Object index(Object container, Object key) throws Undecided {
        if (container instanceof List<?> list && key instanceof Long position) {
            if (position < 0 || position >= list.size()) {
                throw undecided();
            }
            return list.get(position.intValue());
        }
        if (container instanceof Map<?, ?> map && key instanceof String name) {
            return entry(map, name);
        }
        throw undecided();
    }

    private static Object in(Object element, Object container) throws Undecided {
        // cel-java looks an element up by Java's equals first (a double's bits, a list's elements)
        // and by CEL's equality only for numbers: plain ints, strings, bools and null agree
        if (container instanceof List<?> list && isPlainScalar(element)) {
            for (Object candidate : list) {
                if (equal(element, candidate)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map && element instanceof String key) {
            return map.containsKey(key);
        }
        throw undecided();
    }

    /** As cel-java runs it ({@link RegexPatterns#matches}); a pattern over a limit is cel-java's to report. */
    private static Object matches(String text, String pattern) throws Undecided {
        try {
            return RegexPatterns.matches(text, pattern, RuleLanguage.regexPartialMatch(),
                    RuleLanguage.maxRegexProgramSize());
        } catch (Exception overLimits) {
            throw undecided();
        }
    }
}
