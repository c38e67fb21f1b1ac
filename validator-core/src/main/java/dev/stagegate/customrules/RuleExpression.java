package dev.stagegate.customrules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.stagegate.memo.BoundedMemo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One custom rule's CEL expression ({@code expression} or {@code messageExpression}), compiled
 * once and evaluated by {@link RuleEvaluation} any number of times, from any thread.
 *
 * <p>The expression sees {@code object} and {@code oldObject} (dyn: the YAML document, or null),
 * {@code path}, {@code environment} and {@code branch} (strings). It must produce the
 * {@link ResultType} asked for; an expression whose type is only known at run time (dyn, as
 * {@code object.enabled} is) compiles, and a wrong type then is an evaluation error.
 */
public final class RuleExpression {

    /**
     * Far more expressions than a policy has; only texts within the length limit are kept, so
     * the memo holds at most a few megabytes of text (and the programs compiled from it).
     */
    private static final BoundedMemo<String, Compilation> COMPILED = new BoundedMemo<>(1_024);

    private final String text;
    private final ResultType resultType;
    private final long estimatedCost;
    private final RuleLimits limits;
    /** The fast path's shape, kept in {@link CompiledExpressionFiles}; null without a fast path. */
    private final FastPathShape shape;
    private final FastPathProgram fastPath;
    /** Checked by cel-java; null when the compilation came from a file and cel-java is not needed yet. */
    private CelAbstractSyntaxTree checked;
    private CelRuntime.Program program;

    private RuleExpression(String text, ResultType resultType, long estimatedCost, RuleLimits limits,
            CelAbstractSyntaxTree checked, FastPathShape shape) {
        this.text = text;
        this.resultType = resultType;
        this.estimatedCost = estimatedCost;
        this.limits = limits;
        this.checked = checked;
        this.fastPath = shape == null ? null : FastPathProgram.of(shape);
        // a shape the fast path cannot run (a function it leaves to cel-java) is not worth keeping
        this.shape = fastPath == null ? null : shape;
    }

    /** What compiling gave: an expression, or the problems that prevent one (never both). */
    public record Compilation(RuleExpression expression, List<ExpressionProblem> problems) {

        public Compilation {
            problems = List.copyOf(problems);
        }

        public boolean succeeded() {
            return expression != null;
        }
    }

    /** Compiles under {@link RuleLimits#DEFAULT}. */
    public static Compilation compile(String text, ResultType resultType) {
        return compile(text, resultType, RuleLimits.DEFAULT);
    }

    /**
     * Parses and type-checks {@code text}; each problem carries the offset of its cause in
     * {@code text}. Refuses, before parsing, a text longer than the limit, and after checking,
     * one whose {@linkplain CostEstimate estimated cost} is over the limit.
     *
     * <p>Compiling is pure and costs far more than evaluating, and the hook judges every document
     * with the same few expressions: each distinct text is compiled once per process (the
     * resident hook server keeps them from push to push), within a bounded memo, and once per
     * build where {@link CompiledExpressionFiles} keeps them (a fresh process then starts no
     * CEL compiler for them).
     */
    public static Compilation compile(String text, ResultType resultType, RuleLimits limits) {
        if (text.length() > limits.maxExpressionLength()) {
            return compileAnew(text, resultType, limits);
        }
        // a string, not a record: a record's first hashCode in a JVM spins method handles (milliseconds)
        String key = resultType.name() + "\0" + limits.key() + "\0" + text;
        Optional<Compilation> known = COMPILED.get(key);
        if (known.isPresent()) {
            return known.get();
        }
        Optional<CompiledExpressionFiles> files = CompiledExpressionFiles.current();
        Optional<CompiledExpressionFiles.Entry> kept = files.isPresent() ? files.get().read(text, resultType, limits)
                : Optional.empty();
        Compilation compilation;
        if (kept.isPresent()) {
            compilation = new Compilation(new RuleExpression(text, resultType, kept.get().estimatedCost(), limits,
                    null, kept.get().shape()), List.of());
        } else {
            compilation = compileAnew(text, resultType, limits);
            if (files.isPresent() && compilation.succeeded()) {
                RuleExpression compiled = compilation.expression();
                files.get().write(text, resultType, limits,
                        new CompiledExpressionFiles.Entry(compiled.estimatedCost, compiled.shape));
            }
        }
        COMPILED.put(key, compilation);
        return compilation;
    }

    private static Compilation compileAnew(String text, ResultType resultType, RuleLimits limits) {
        if (text.length() > limits.maxExpressionLength()) {
            return failed(0, "the expression is " + text.length() + " characters long; at most "
                    + limits.maxExpressionLength() + " are allowed");
        }
        if (text.isBlank()) {
            return failed(0, "the expression is empty");
        }
        CelValidationResult result;
        try {
            result = RuleLanguage.compiler(limits).compile(text);
        } catch (RuntimeException e) {
            // the parser and checker report problems as issues; anything else still refuses the rule
            return failed(0, "the expression cannot be compiled: " + e.getMessage());
        }
        if (result.hasError()) {
            List<ExpressionProblem> problems = new ArrayList<>();
            for (CelIssue issue : result.getErrors()) {
                problems.add(new ExpressionProblem(offsetOf(issue, result.getSource(), text), issue.getMessage()));
            }
            return new Compilation(null, problems);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            return failed(0, e.getMessage());
        }
        CelType type = ast.getResultType();
        String expected = resultType.celName();
        if (type.kind() != CelKind.DYN && !type.name().equals(expected)) {
            return failed(0, "the expression gives a " + type.name() + ", it must give a " + expected);
        }
        long estimate = CostEstimate.of(ast.getExpr(), limits.assumedIterations(), limits.maxEstimatedCost());
        if (estimate > limits.maxEstimatedCost()) {
            return failed(0, "the expression's estimated cost exceeds the limit of " + limits.maxEstimatedCost()
                    + " (each comprehension such as all() or map() is assumed to run "
                    + limits.assumedIterations() + " times, nested ones multiply): nest fewer");
        }
        return new Compilation(new RuleExpression(text, resultType, estimate, limits, ast,
                FastPathShape.of(ast.getExpr())), List.of());
    }

    private static Compilation failed(int offset, String message) {
        return new Compilation(null, List.of(new ExpressionProblem(offset, message)));
    }

    /** CEL counts code points; the policy file's columns count chars. */
    private static int offsetOf(CelIssue issue, CelSource source, String text) {
        int codePoints = source.getLocationOffset(issue.getSourceLocation()).orElse(0);
        int codePointCount = text.codePointCount(0, text.length());
        return text.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, codePointCount)));
    }

    public String text() {
        return text;
    }

    public ResultType resultType() {
        return resultType;
    }

    /** The compile-time estimate (see {@link CostEstimate}), for diagnostics. */
    public long estimatedCost() {
        return estimatedCost;
    }

    RuleLimits limits() {
        return limits;
    }

    /** What cel-java checked, compiling it now if it came from a file: for tests. */
    CelAbstractSyntaxTree checkedForTests() {
        program();
        return checked;
    }

    /**
     * cel-java's program, made on first need: most evaluations take the fast path, and a process
     * that never needs cel-java's runtime does not build it. An expression read from a file is
     * compiled by cel-java here; that it compiled before is what the file says.
     *
     * @throws IllegalStateException when cel-java cannot make the program (the evaluation then errs)
     */
    synchronized CelRuntime.Program program() {
        if (program == null) {
            try {
                if (checked == null) {
                    checked = RuleLanguage.compiler(limits).compile(text).getAst();
                }
                program = RuleLanguage.runtime(limits).createProgram(checked);
            } catch (CelValidationException | CelEvaluationException e) {
                throw new IllegalStateException("cel-java cannot run the expression: " + e.getMessage(), e);
            }
        }
        return program;
    }

    /** The direct evaluation of this expression, or null when it is cel-java's alone. */
    FastPathProgram fastPath() {
        return fastPath;
    }

    @Override
    public String toString() {
        return text;
    }
}
