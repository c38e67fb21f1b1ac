package dev.stagegate.customrules;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked CEL expression in the subset {@link FastPathProgram} evaluates, as plain data: what
 * cel-java's parser and checker produced, kept in a form that can be written to a file and read
 * back without loading cel-java ({@link CompiledExpressionFiles}), so that a fresh process need
 * not start CEL's compiler to run a rule it has compiled before.
 *
 * <p>The text form is prefix notation with length-prefixed strings: nothing in it needs escaping,
 * and a truncated or altered text fails to read rather than reading as something else.
 */
sealed interface FastPathShape {

    record Constant(Object value) implements FastPathShape {
    }

    record Identifier(String name) implements FastPathShape {
    }

    /** {@code operand.field}, or with {@code testOnly} {@code has(operand.field)}. */
    record Select(FastPathShape operand, String field, boolean testOnly) implements FastPathShape {
    }

    /** An operator or function; a member call's receiver is the first operand. */
    record Call(String function, boolean member, List<FastPathShape> operands) implements FastPathShape {

        public Call {
            operands = List.copyOf(operands);
        }
    }

    record ListOf(List<FastPathShape> elements) implements FastPathShape {

        public ListOf {
            elements = List.copyOf(elements);
        }
    }

    /** What CEL's macros ({@code all}, {@code exists}, {@code map}, {@code cel.bind}, ...) expand to. */
    record Comprehension(String iterationVariable, FastPathShape range, String accumulator,
            FastPathShape initial, FastPathShape condition, FastPathShape step, FastPathShape result)
            implements FastPathShape {
    }

    /** The shape of a checked expression, or null when it holds a node outside the subset. */
    static FastPathShape of(CelExpr expression) {
        return switch (expression.getKind()) {
            case CONSTANT -> constant(expression.constant());
            case IDENT -> new Identifier(expression.ident().name());
            case SELECT -> {
                FastPathShape operand = of(expression.select().operand());
                yield operand == null ? null
                        : new Select(operand, expression.select().field(), expression.select().testOnly());
            }
            case CALL -> {
                CelExpr.CelCall call = expression.call();
                List<CelExpr> operands = new ArrayList<>();
                call.target().ifPresent(operands::add);
                operands.addAll(call.args());
                List<FastPathShape> shapes = all(operands);
                yield shapes == null ? null : new Call(call.function(), call.target().isPresent(), shapes);
            }
            case LIST -> {
                if (!expression.list().optionalIndices().isEmpty()) {
                    yield null;
                }
                List<FastPathShape> elements = all(expression.list().elements());
                yield elements == null ? null : new ListOf(elements);
            }
            case COMPREHENSION -> comprehension(expression.comprehension());
            default -> null;
        };
    }

    private static FastPathShape constant(CelConstant constant) {
        return switch (constant.getKind()) {
            case NULL_VALUE -> new Constant(NullValue.NULL_VALUE);
            case BOOLEAN_VALUE -> new Constant(constant.booleanValue());
            case INT64_VALUE -> new Constant(constant.int64Value());
            case DOUBLE_VALUE -> new Constant(constant.doubleValue());
            case STRING_VALUE -> new Constant(constant.stringValue());
            default -> null;
        };
    }

    private static FastPathShape comprehension(CelExpr.CelComprehension comprehension) {
        if (!comprehension.iterVar2().isEmpty()) {
            return null;
        }
        List<FastPathShape> parts = all(List.of(comprehension.iterRange(), comprehension.accuInit(),
                comprehension.loopCondition(), comprehension.loopStep(), comprehension.result()));
        return parts == null ? null : new Comprehension(comprehension.iterVar(), parts.get(0),
                comprehension.accuVar(), parts.get(1), parts.get(2), parts.get(3), parts.get(4));
    }

    private static List<FastPathShape> all(List<CelExpr> expressions) {
        List<FastPathShape> shapes = new ArrayList<>(expressions.size());
        for (CelExpr expression : expressions) {
            FastPathShape shape = of(expression);
            if (shape == null) {
                return null;
            }
            shapes.add(shape);
        }
        return shapes;
    }

    /** The text form, which {@link #decode} reads back. */
    static String encode(FastPathShape shape) {
        StringBuilder out = new StringBuilder();
        write(shape, out);
        return out.toString();
    }

    private static void write(FastPathShape shape, StringBuilder out) {
        if (shape instanceof Constant constant) {
            Object value = constant.value();
            if (value == NullValue.NULL_VALUE) {
                out.append('n');
            } else if (value instanceof Boolean bool) {
                out.append(bool ? 't' : 'f');
            } else if (value instanceof Long number) {
                out.append('i').append(number).append(' ');
            } else if (value instanceof Double number) {
                out.append('d').append(Long.toHexString(Double.doubleToRawLongBits(number))).append(' ');
            } else {
                out.append('s');
                string((String) value, out);
            }
        } else if (shape instanceof Identifier identifier) {
            out.append('v');
            string(identifier.name(), out);
        } else if (shape instanceof Select select) {
            out.append(select.testOnly() ? 'h' : '.');
            string(select.field(), out);
            write(select.operand(), out);
        } else if (shape instanceof Call call) {
            out.append(call.member() ? 'm' : 'c');
            string(call.function(), out);
            out.append(call.operands().size()).append(' ');
            call.operands().forEach(operand -> write(operand, out));
        } else if (shape instanceof ListOf list) {
            out.append('l').append(list.elements().size()).append(' ');
            list.elements().forEach(element -> write(element, out));
        } else {
            Comprehension loop = (Comprehension) shape;
            out.append('r');
            string(loop.iterationVariable(), out);
            string(loop.accumulator(), out);
            write(loop.range(), out);
            write(loop.initial(), out);
            write(loop.condition(), out);
            write(loop.step(), out);
            write(loop.result(), out);
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append(text.length()).append(':').append(text);
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException when the text is not such a form
     */
    static FastPathShape decode(String text) {
        Reader reader = new Reader(text);
        FastPathShape shape = reader.shape(0);
        if (reader.position != text.length()) {
            throw new IllegalArgumentException("text after the expression at " + reader.position);
        }
        return shape;
    }

    /** Recursive descent over the text form; the depth bound keeps a hostile file from the stack. */
    final class Reader {

        private static final int MAX_DEPTH = 500;

        private final String text;
        private int position;

        private Reader(String text) {
            this.text = text;
        }

        private FastPathShape shape(int depth) {
            if (depth > MAX_DEPTH || position >= text.length()) {
                throw new IllegalArgumentException("truncated or too deep at " + position);
            }
            char tag = text.charAt(position++);
            return switch (tag) {
                case 'n' -> new Constant(NullValue.NULL_VALUE);
                case 't' -> new Constant(true);
                case 'f' -> new Constant(false);
                case 'i' -> new Constant(Long.parseLong(token()));
                case 'd' -> new Constant(Double.longBitsToDouble(Long.parseUnsignedLong(token(), 16)));
                case 's' -> new Constant(string());
                case 'v' -> new Identifier(string());
                case '.', 'h' -> {
                    String field = string();
                    yield new Select(shape(depth + 1), field, tag == 'h');
                }
                case 'c', 'm' -> {
                    String function = string();
                    yield new Call(function, tag == 'm', shapes(count(), depth));
                }
                case 'l' -> new ListOf(shapes(count(), depth));
                case 'r' -> {
                    String iterationVariable = string();
                    String accumulator = string();
                    List<FastPathShape> parts = shapes(5, depth);
                    yield new Comprehension(iterationVariable, parts.get(0), accumulator, parts.get(1),
                            parts.get(2), parts.get(3), parts.get(4));
                }
                default -> throw new IllegalArgumentException("unknown tag '" + tag + "' at " + (position - 1));
            };
        }

        private List<FastPathShape> shapes(int count, int depth) {
            List<FastPathShape> shapes = new ArrayList<>(Math.min(count, 64));
            for (int i = 0; i < count; i++) {
                shapes.add(shape(depth + 1));
            }
            return shapes;
        }

        private String token() {
            int space = text.indexOf(' ', position);
            if (space < 0) {
                throw new IllegalArgumentException("unterminated number at " + position);
            }
            String token = text.substring(position, space);
            position = space + 1;
            return token;
        }

        private int count() {
            int count = Integer.parseInt(token());
            if (count < 0 || count > text.length()) {
                throw new IllegalArgumentException("impossible count " + count);
            }
            return count;
        }

        private String string() {
            int colon = text.indexOf(':', position);
            if (colon < 0) {
                throw new IllegalArgumentException("unterminated string length at " + position);
            }
            int length = Integer.parseInt(text.substring(position, colon));
            if (length < 0 || colon + 1 + length > text.length()) {
                throw new IllegalArgumentException("string runs past the end at " + position);
            }
            position = colon + 1 + length;
            return text.substring(colon + 1, position);
        }
    }
}
