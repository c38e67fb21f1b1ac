package dev.stagegate.customrules;

import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.standard.IntFunction;
import dev.cel.runtime.standard.TimestampFunction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL environment every custom rule is compiled and run in: the variables, the standard
 * macros, and the extensions cel-java offers that Kubernetes CEL has (strings, lists, regex,
 * math, sets, encoders, {@code cel.bind}, optionals), with the functions that could build a huge
 * value in one call bound by {@link BoundedFunctions}.
 *
 * <p>Building it loads most of CEL's classes and costs several hundred milliseconds in a cold
 * JVM, so it is built on first use (only when a policy has rules) and kept for the process.
 */
final class RuleLanguage {

    static final String OBJECT = "object";
    static final String OLD_OBJECT = "oldObject";
    static final String PATH = "path";
    static final String ENVIRONMENT = "environment";
    static final String BRANCH = "branch";

    private static final Map<RuleLimits, CelCompiler> COMPILERS = new ConcurrentHashMap<>();
    private static final Map<RuleLimits, CelRuntime> RUNTIMES = new ConcurrentHashMap<>();

    private RuleLanguage() {
    }

    /** The compiler, built on first use: it costs a hundred milliseconds in a cold JVM. */
    static CelCompiler compiler(RuleLimits limits) {
        return COMPILERS.computeIfAbsent(limits, RuleLanguage::buildCompiler);
    }

    /** The runtime, built on first use: most evaluations take the fast path and never need it. */
    static CelRuntime runtime(RuleLimits limits) {
        return RUNTIMES.computeIfAbsent(limits, RuleLanguage::buildRuntime);
    }

    /** As {@link #options}: CEL's {@code matches} finds a match anywhere in the text. */
    static boolean regexPartialMatch() {
        return true;
    }

    /** As {@link #options}: no bound on a pattern's program size (RegexPatterns bounds patterns). */
    static int maxRegexProgramSize() {
        return -1;
    }

    /** The options every rule is compiled and run under. */
    static CelOptions options(RuleLimits limits) {
        return CelOptions.current()
                .maxExpressionCodePointSize(limits.maxExpressionLength())
                .maxParseRecursionDepth(limits.maxParseRecursionDepth())
                .maxParseExpressionNodeCount(limits.maxParseNodes())
                .comprehensionMaxIterations(limits.maxIterations())
                // object.cpu > 0.5 where cpu is 1: YAML does not say whether a number is an int
                .enableHeterogeneousNumericComparisons(true)
                .build();
    }

    private static CelCompiler buildCompiler(RuleLimits limits) {
        CelOptions options = options(limits);
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(OBJECT, SimpleType.DYN)
                .addVar(OLD_OBJECT, SimpleType.DYN)
                .addVar(PATH, SimpleType.STRING)
                .addVar(ENVIRONMENT, SimpleType.STRING)
                .addVar(BRANCH, SimpleType.STRING)
                .addLibraries(
                        CelExtensions.strings(),
                        CelExtensions.lists(),
                        CelExtensions.regex(),
                        CelExtensions.math(options),
                        CelExtensions.sets(options),
                        CelExtensions.encoders(options),
                        CelExtensions.bindings(),
                        CelExtensions.optional())
                .build();
    }

    private static CelRuntime buildRuntime(RuleLimits limits) {
        CelOptions options = options(limits);
        return CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                // the standard functions but matches, which BoundedFunctions binds
                .setStandardEnvironmentEnabled(false)
                .setStandardFunctions(standardFunctionsButMatches(options))
                // before the libraries: the builder keeps the first binding of an overload id
                .addFunctionBindings(BoundedFunctions.bindings(options))
                .addLibraries(
                        CelExtensions.strings(),
                        CelExtensions.lists(),
                        CelExtensions.regex(),
                        CelExtensions.math(options),
                        CelExtensions.sets(options),
                        CelExtensions.encoders(options),
                        CelExtensions.optional())
                .build();
    }

    /**
     * What the runtime binds by default (as {@code CelRuntimeLegacyImpl} filters them for these
     * options), without {@code matches}: the runtime refuses a second binding of a standard
     * overload id.
     */
    private static CelStandardFunctions standardFunctionsButMatches(CelOptions options) {
        return CelStandardFunctions.newBuilder()
                .filterFunctions((function, overload) -> {
                    if (function == CelStandardFunctions.StandardFunction.MATCHES) {
                        return false;
                    }
                    if (overload.equals(IntFunction.IntOverload.INT64_TO_INT64)) {
                        return options.enableUnsignedLongs();
                    }
                    if (overload.equals(TimestampFunction.TimestampOverload.INT64_TO_TIMESTAMP)) {
                        return options.enableTimestampEpoch();
                    }
                    // heterogeneous comparisons are enabled (see build), so the others are all kept
                    return true;
                })
                .build();
    }
}
