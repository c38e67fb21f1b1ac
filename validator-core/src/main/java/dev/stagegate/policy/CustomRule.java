package dev.stagegate.policy;

import dev.stagegate.git.PathSet;
import dev.stagegate.report.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the policy's {@code rules} section (rules-cel.md): a check written by the
 * platform team in CEL, judged on each document of each changed file it matches, with its own
 * id. Pure data; the expressions are compiled in {@code dev.stagegate.customrules}, so a policy
 * without rules never loads CEL.
 *
 * @param id                the rule's id: lower-case letters, digits and dashes, not a built-in id nor
 *                          a {@linkplain #RESERVED_IDS reserved} one
 * @param environments      the environments it judges; empty means every environment
 * @param files             globs of the files whose documents it judges ({@code .gitignore} semantics)
 * @param kinds             {@code group/version/Kind} (or {@code version/Kind} for the core group)
 *                          entries: only Kubernetes resources of these kinds; empty means every document
 * @param expression        the CEL expression, which must give a bool; true means the document is fine
 * @param fieldPath         where a violation points, a dotted path in the document
 * @param message           what a violation says
 * @param messageExpression a CEL expression giving the message, which wins over {@code message}
 * @param mode              enforce or warn; empty means the policy's {@code mode}
 */
public record CustomRule(
        String id,
        List<String> environments,
        List<String> files,
        List<String> kinds,
        String expression,
        Optional<String> fieldPath,
        Optional<String> message,
        Optional<String> messageExpression,
        Optional<RuleMode> mode) {

    /** The spelling of an id; the policy schema says the same. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /**
     * The pseudo ids reports give stagegate's own errors (of the run, of its usage): a rule taking
     * one would have its violations presented as internal errors.
     */
    public static final Set<String> RESERVED_IDS = Set.of(Violation.RUN_ERROR, Violation.USAGE_ERROR);

    public CustomRule {
        Objects.requireNonNull(id, "id");
        environments = List.copyOf(environments);
        files = List.copyOf(files);
        kinds = List.copyOf(kinds);
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(fieldPath, "fieldPath");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(messageExpression, "messageExpression");
        Objects.requireNonNull(mode, "mode");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a rule id is lower-case letters, digits and dashes: " + id);
        }
        if (RuleIds.ALL.contains(id)) {
            throw new IllegalArgumentException("a custom rule cannot take the built-in id " + id);
        }
        if (RESERVED_IDS.contains(id)) {
            throw new IllegalArgumentException("a custom rule cannot take the reserved id " + id);
        }
        if (mode.isPresent() && mode.get() == RuleMode.OFF) {
            throw new IllegalArgumentException("a rule's mode is enforce or warn; turn it off with ruleModes");
        }
    }

    /**
     * The id and the expression only: records with equal fields still hash alike, and this is
     * what memos keyed by rules (the resident server's, per changed file) can afford, where the
     * generated hash walks every field and, on its first call in a JVM, spins method handles.
     */
    @Override
    public int hashCode() {
        return 31 * id.hashCode() + expression.hashCode();
    }

    /** As the generated equals, spelt out for the same reason as {@link #hashCode}. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CustomRule rule && id.equals(rule.id) && expression.equals(rule.expression)
                && environments.equals(rule.environments) && files.equals(rule.files) && kinds.equals(rule.kinds)
                && fieldPath.equals(rule.fieldPath) && message.equals(rule.message)
                && messageExpression.equals(rule.messageExpression) && mode.equals(rule.mode);
    }

    /** Whether this rule judges the branch of {@code environment}. */
    public boolean judges(String environment) {
        return environments.isEmpty() || environments.contains(environment);
    }

    /** Whether this rule judges {@code environment}; with none (validate without one), only a rule naming none does. */
    public boolean judges(Optional<String> environment) {
        return environment.isPresent() ? judges(environment.get()) : environments.isEmpty();
    }

    /** {@link #files} compiled. */
    public PathSet fileSet() {
        return PathSet.of(files);
    }
}
