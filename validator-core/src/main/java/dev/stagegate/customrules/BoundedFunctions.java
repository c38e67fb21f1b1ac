package dev.stagegate.customrules;

import com.google.re2j.Matcher;
import dev.cel.common.CelOptions;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelListsExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionOverload;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime bindings of the functions that could build a value far larger than their arguments,
 * or compile a regular expression into a program far larger than its text, in one call: each
 * checks the size before anything is built, then runs CEL's own implementation. The cost
 * listener of {@link RuleEvaluation} only sees a value after it is built, which for
 * {@code s.replace('', s)} on a 2,000-character string is already four million characters, and
 * for a nested-repeat pattern an out-of-memory error; the resident hook server exits on that,
 * failing every repository's pushes.
 *
 * <p>Covered: {@code replace} and {@code join} (strings extension), {@code matches} (standard),
 * {@code regex.replace}, {@code regex.extract}, {@code regex.extractAll} (regex extension) and
 * {@code lists.range} (lists extension). The other functions build at most a few times their
 * arguments' size, which the listener's size limits bound.
 */
final class BoundedFunctions {

    private BoundedFunctions() {
    }

    /**
     * Bindings that take the place of CEL's for the same overload ids: the runtime builder keeps
     * the first binding given for an id, so these must be added before the extension libraries
     * (which add theirs when the runtime is built); {@code matches} is a standard function, which
     * the runtime must be built without.
     */
    static List<CelFunctionBinding> bindings(CelOptions options) {
        Map<String, CelFunctionOverload> originals = originals(CelExtensions.strings());
        originals.putAll(originals(CelExtensions.regex()));
        CelFunctionOverload replaceAll = original(originals, "string_replace_string_string");
        CelFunctionOverload replaceCount = original(originals, "string_replace_string_string_int");
        CelFunctionOverload joinPlain = original(originals, "list_join");
        CelFunctionOverload joinWith = original(originals, "list_join_string");
        CelFunctionOverload regexReplaceAll = original(originals, "regex_replaceAll_string_string_string");
        CelFunctionOverload regexReplaceCount = original(originals, "regex_replaceCount_string_string_string_int");
        CelFunctionOverload extract = original(originals, "regex_extract_string_string");
        CelFunctionOverload extractAll = original(originals, "regex_extractAll_string_string");
        List<CelFunctionBinding> bindings = new ArrayList<>();
        bindings.addAll(CelFunctionBinding.fromOverloads("replace",
                CelFunctionBinding.from("string_replace_string_string",
                        List.of(String.class, String.class, String.class),
                        arguments -> replace(replaceAll, arguments, -1)),
                CelFunctionBinding.from("string_replace_string_string_int",
                        List.of(String.class, String.class, String.class, Long.class),
                        arguments -> replace(replaceCount, arguments, (Long) arguments[3]))));
        bindings.addAll(CelFunctionBinding.fromOverloads("join",
                CelFunctionBinding.from("list_join", List.of(List.class),
                        arguments -> join(joinPlain, arguments, "")),
                CelFunctionBinding.from("list_join_string", List.of(List.class, String.class),
                        arguments -> join(joinWith, arguments, (String) arguments[1]))));
        bindings.addAll(CelFunctionBinding.fromOverloads("matches",
                CelFunctionBinding.from("matches", String.class, String.class,
                        (text, pattern) -> matches(text, pattern, options)),
                CelFunctionBinding.from("matches_string", String.class, String.class,
                        (text, pattern) -> matches(text, pattern, options))));
        bindings.addAll(CelFunctionBinding.fromOverloads("regex.replace",
                CelFunctionBinding.from("regex_replaceAll_string_string_string",
                        List.of(String.class, String.class, String.class),
                        arguments -> regexReplace(regexReplaceAll, arguments, -1)),
                CelFunctionBinding.from("regex_replaceCount_string_string_string_int",
                        List.of(String.class, String.class, String.class, Long.class),
                        arguments -> regexReplace(regexReplaceCount, arguments, (Long) arguments[3]))));
        bindings.addAll(CelFunctionBinding.fromOverloads("regex.extract",
                CelFunctionBinding.from("regex_extract_string_string", List.of(String.class, String.class),
                        arguments -> withPattern(extract, arguments))));
        bindings.addAll(CelFunctionBinding.fromOverloads("regex.extractAll",
                CelFunctionBinding.from("regex_extractAll_string_string", List.of(String.class, String.class),
                        arguments -> withPattern(extractAll, arguments))));
        bindings.addAll(CelFunctionBinding.fromOverloads("lists.range",
                CelFunctionBinding.from("lists_range", List.of(Long.class),
                        arguments -> range((Long) arguments[0]))));
        return bindings;
    }

    /**
     * The implementations a library binds, by overload id, recorded from its runtime set-up (the
     * strings and regex libraries set up with the builder alone).
     */
    private static Map<String, CelFunctionOverload> originals(CelRuntimeLibrary library) {
        Map<String, CelFunctionOverload> overloads = new HashMap<>();
        CelRuntimeBuilder recorder = (CelRuntimeBuilder) Proxy.newProxyInstance(
                CelRuntimeBuilder.class.getClassLoader(), new Class<?>[] {CelRuntimeBuilder.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("addFunctionBindings")) {
                        Iterable<?> bindings = arguments[0] instanceof Object[] array ? List.of(array)
                                : (Iterable<?>) arguments[0];
                        for (Object binding : bindings) {
                            CelFunctionBinding function = (CelFunctionBinding) binding;
                            overloads.put(function.getOverloadId(), function.getDefinition());
                        }
                    }
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });
        library.setRuntimeOptions(recorder);
        return overloads;
    }

    /** Fails the environment's construction, not a rule's evaluation, should CEL rename an overload. */
    private static CelFunctionOverload original(Map<String, CelFunctionOverload> originals, String overloadId) {
        CelFunctionOverload overload = originals.get(overloadId);
        if (overload == null) {
            throw new IllegalStateException("CEL binds no overload " + overloadId + " to bound");
        }
        return overload;
    }

    private static Object replace(CelFunctionOverload original, Object[] arguments, long limit)
            throws CelEvaluationException {
        String text = (String) arguments[0];
        String search = (String) arguments[1];
        String replacement = (String) arguments[2];
        long occurrences = search.isEmpty() ? text.codePointCount(0, text.length()) + 1L
                : occurrences(text, search);
        if (limit >= 0) {
            occurrences = Math.min(occurrences, limit);
        }
        checkLength("replace", text.length() + occurrences * (replacement.length() - (long) search.length()));
        return original.apply(arguments);
    }

    private static long occurrences(String text, String search) {
        long count = 0;
        for (int at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + search.length())) {
            count++;
        }
        return count;
    }

    private static Object join(CelFunctionOverload original, Object[] arguments, String separator)
            throws CelEvaluationException {
        Collection<?> parts = (Collection<?>) arguments[0];
        long length = Math.max(0, parts.size() - 1L) * separator.length();
        for (Object part : parts) {
            length += part instanceof String text ? text.length() : 0;
        }
        checkLength("join", length);
        return original.apply(arguments);
    }

    /** CEL's own {@code matches} ({@link RegexPatterns#matches}). */
    private static boolean matches(String text, String pattern, CelOptions options) throws CelEvaluationException {
        try {
            return RegexPatterns.matches(text, pattern, options.enableRegexPartialMatch(),
                    options.maxRegexProgramSize());
        } catch (RuntimeException e) {
            // as CEL's own matches: an unchecked failure would be reported with its arguments
            throw new CelEvaluationException(String.valueOf(e.getMessage()), e);
        }
    }

    private static Object withPattern(CelFunctionOverload original, Object[] arguments)
            throws CelEvaluationException {
        RegexPatterns.check((String) arguments[1]);
        return checked(original, arguments);
    }

    /**
     * Runs CEL's implementation, turning its unchecked failures (a pattern with two groups for
     * {@code regex.extract}) into evaluation errors: CEL would report them with every argument
     * spelled out, a megabyte of document text in the message.
     */
    private static Object checked(CelFunctionOverload original, Object[] arguments) throws CelEvaluationException {
        try {
            return original.apply(arguments);
        } catch (RuntimeException e) {
            throw new CelEvaluationException(String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * Before replacing, adds up what the result would hold: the text between matches, and for each
     * match the replacement with each group reference ({@code \1}) counted at its group's length.
     */
    private static Object regexReplace(CelFunctionOverload original, Object[] arguments, long limit)
            throws CelEvaluationException {
        String text = (String) arguments[0];
        String replacement = (String) arguments[2];
        Matcher matcher = RegexPatterns.compile((String) arguments[1]).matcher(text);
        long length = 0;
        int previousEnd = 0;
        for (long done = 0; (limit < 0 || done < limit) && matcher.find(); done++) {
            length += matcher.start() - previousEnd + replacedLength(matcher, replacement);
            previousEnd = matcher.end();
            if (length > RuleLimits.MAX_STRING_LENGTH) {
                // stop counting at the limit: the matches left could be many
                throw limitExceeded("string size limit exceeded: regex.replace would build a string of more than "
                        + RuleLimits.MAX_STRING_LENGTH + " characters; at most " + RuleLimits.MAX_STRING_LENGTH
                        + " are allowed");
            }
        }
        checkLength("regex.replace", length + text.length() - previousEnd);
        return checked(original, arguments);
    }

    private static long replacedLength(Matcher matcher, String replacement) {
        long length = 0;
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length() && Character.isDigit(replacement.charAt(i + 1))) {
                int group = replacement.charAt(++i) - '0';
                String value = group <= matcher.groupCount() ? matcher.group(group) : null;
                length += value == null ? 0 : value.length();
            } else {
                length++;
            }
        }
        return length;
    }

    private static Object range(long size) throws CelEvaluationException {
        if (size > RuleLimits.MAX_LIST_SIZE) {
            throw limitExceeded("list size limit exceeded: lists.range would build a list of " + size
                    + " elements; at most " + RuleLimits.MAX_LIST_SIZE + " are allowed");
        }
        return CelListsExtensions.genRange(size);
    }

    /**
     * A limit reached in a function. It must be a {@link CelEvaluationException}: CEL reports any
     * unchecked exception of a function with the function's arguments in its message, which for
     * the huge arguments at stake could itself exhaust the heap.
     */
    static CelEvaluationException limitExceeded(String message) {
        return new CelEvaluationException(message, new RuleEvaluation.LimitExceeded(message));
    }

    private static void checkLength(String function, long length) throws CelEvaluationException {
        if (length > RuleLimits.MAX_STRING_LENGTH) {
            throw limitExceeded("string size limit exceeded: " + function
                    + " would build a string of " + length + " characters; at most "
                    + RuleLimits.MAX_STRING_LENGTH + " are allowed");
        }
    }
}
