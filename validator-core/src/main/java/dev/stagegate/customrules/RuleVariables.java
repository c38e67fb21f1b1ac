package dev.stagegate.customrules;

import com.google.common.collect.ImmutableMap;
import dev.cel.common.values.NullValue;
import java.util.Map;

/**
 * What one evaluation sees: the document ({@code object}), the same document before the push
 * ({@code oldObject}, null when the file or document is new), the file's {@code path}, and the
 * {@code environment} and {@code branch} the push is headed for. Build one per document and
 * evaluate every rule that applies to it with it: the documents are converted once.
 */
public final class RuleVariables {

    private final Map<String, Object> values;
    private final RuntimeException unrepresentable;

    private RuleVariables(Map<String, Object> values, RuntimeException unrepresentable) {
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
            // an ImmutableMap, which CEL's activation takes as it is, where it copies any other map
            return new RuleVariables(ImmutableMap.of(
                    RuleLanguage.OBJECT, CelValues.of(object),
                    RuleLanguage.OLD_OBJECT, oldObject == null ? NullValue.NULL_VALUE : CelValues.of(oldObject),
                    RuleLanguage.PATH, path,
                    RuleLanguage.ENVIRONMENT, environment,
                    RuleLanguage.BRANCH, branch), null);
        } catch (CelValues.IntegerOutOfRangeException e) {
            // a document that is one huge integer: every rule on it errs, saying why
            // an ImmutableMap, which CEL's activation takes as it is, where it copies any other map
            return new RuleVariables(ImmutableMap.of(), e);
        }
    }

    /** The variables by name, or the reason the document has no CEL value. */
    Map<String, Object> asMap() {
        if (unrepresentable != null) {
            throw unrepresentable;
        }
        return values;
    }
}
