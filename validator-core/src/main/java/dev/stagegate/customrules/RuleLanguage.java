package dev.stagegate.customrules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL environment every custom rule is compiled and run in: the variables, the standard
 * macros, and the extensions cel-java offers that Kubernetes CEL has (strings, lists, regex,
 * math, sets, encoders, {@code cel.bind}, optionals).
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

    private static final Map<RuleLimits, Cel> ENVIRONMENTS = new ConcurrentHashMap<>();

    private RuleLanguage() {
    }

    static Cel forLimits(RuleLimits limits) {
        return ENVIRONMENTS.computeIfAbsent(limits, RuleLanguage::build);
    }

    private static Cel build(RuleLimits limits) {
        CelOptions options = CelOptions.current()
                .maxExpressionCodePointSize(limits.maxExpressionLength())
                .maxParseRecursionDepth(limits.maxParseRecursionDepth())
                .maxParseExpressionNodeCount(limits.maxParseNodes())
                .comprehensionMaxIterations(limits.maxIterations())
                // object.cpu > 0.5 where cpu is 1: YAML does not say whether a number is an int
                .enableHeterogeneousNumericComparisons(true)
                .build();
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(OBJECT, SimpleType.DYN)
                .addVar(OLD_OBJECT, SimpleType.DYN)
                .addVar(PATH, SimpleType.STRING)
                .addVar(ENVIRONMENT, SimpleType.STRING)
                .addVar(BRANCH, SimpleType.STRING)
                .addCompilerLibraries(
                        CelExtensions.strings(),
                        CelExtensions.lists(),
                        CelExtensions.regex(),
                        CelExtensions.math(options),
                        CelExtensions.sets(options),
                        CelExtensions.encoders(options),
                        CelExtensions.bindings(),
                        CelExtensions.optional())
                .addRuntimeLibraries(
                        CelExtensions.strings(),
                        CelExtensions.lists(),
                        CelExtensions.regex(),
                        CelExtensions.math(options),
                        CelExtensions.sets(options),
                        CelExtensions.encoders(options),
                        CelExtensions.optional())
                .build();
    }
}
