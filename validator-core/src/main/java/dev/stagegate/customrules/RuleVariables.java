package dev.stagegate.customrules;

import com.google.common.collect.ImmutableMap;
import dev.cel.common.values.NullValue;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation sees: the document ({@code object}), the same document before the push
 * ({@code oldObject}, null when the file or document is new), the file's {@code path}, and the
 * {@code environment} and {@code branch} the push is headed for. Build one per document and
 * evaluate every rule that applies to it with it: the documents are converted once.
 */
public final class RuleVariables {

    /** The variables' names, in the order {@link #copyInto} gives their values. */
    static final List<String> NAMES = List.of(RuleLanguage.OBJECT, RuleLanguage.OLD_OBJECT, RuleLanguage.PATH,
            RuleLanguage.ENVIRONMENT, RuleLanguage.BRANCH);

    private final Object[] values;
    private final RuntimeException unrepresentable;
    /** For cel-java, made on first need: the fast path reads {@link #values} directly. */
    private volatile Map<String, Object> asMap;

    private RuleVariables(Object[] values, RuntimeException unrepresentable) {
        this.values = values;
        this.unrepresentable = unrepresentable;
    }

    /**
     * @param object      the document's root as {@code YamlDocument.root()} holds it
     * @param oldObject   the old document's root, or null when there is none
     * @param path        the file's path in the repository
     * @param environment the environment's name ("" when there is none, as for {@code validate}
     *                    without one)
     * @param branch      the branch's short name ("" when there is none)
     */
    public static RuleVariables of(Object object, Object oldObject, String path, String environment,
            String branch) {
        try {
            return new RuleVariables(new Object[] {
                CelValues.of(object),
                oldObject == null ? NullValue.NULL_VALUE : CelValues.of(oldObject),
                path,
                environment,
                branch}, null);
        } catch (CelValues.IntegerOutOfRangeException e) {
            // a document that is one huge integer: every rule on it errs, saying why
            return new RuleVariables(new Object[0], e);
        }
    }

    /** Puts the values, in the order of {@link #NAMES}, at the start of {@code slots}. */
    void copyInto(Object[] slots) {
        if (unrepresentable != null) {
            throw unrepresentable;
        }
        System.arraycopy(values, 0, slots, 0, values.length);
    }

    /** The variables by name, or the reason the document has no CEL value. */
    Map<String, Object> asMap() {
        if (unrepresentable != null) {
            throw unrepresentable;
        }
        Map<String, Object> map = asMap;
        if (map == null) {
            // an ImmutableMap, which CEL's activation takes as it is, where it copies any other map
            ImmutableMap.Builder<String, Object> builder = ImmutableMap.builderWithExpectedSize(NAMES.size());
            for (int i = 0; i < NAMES.size(); i++) {
                builder.put(NAMES.get(i), values[i]);
            }
            map = builder.build();
            asMap = map;
        }
        return map;
    }
}
