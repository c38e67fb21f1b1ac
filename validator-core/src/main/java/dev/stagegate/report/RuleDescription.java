package dev.stagegate.report;

import java.util.Objects;

/**
 * A rule a policy defines itself (the {@code rules:} section of rules-cel.md), described for
 * formats that list their rules (SARIF's {@code tool.driver.rules}). Built-in rules are described
 * by {@link RuleSummaries}; these come with the verdict, from the policies the run judged under,
 * so that reports still depend on nothing but themselves.
 *
 * @param id              the rule's id, as its violations carry it
 * @param summary         one line: the rule's message, or its expression when it has none
 * @param defaultSeverity the severity its violations get under the policy's {@code mode} and {@code ruleModes}
 * @param enabled         false when {@code ruleModes} turns the rule off
 */
public record RuleDescription(String id, String summary, Severity defaultSeverity, boolean enabled) {

    public RuleDescription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(defaultSeverity, "defaultSeverity");
        // a multi-line YAML block expression reads as one line, as every summary does
        summary = Objects.requireNonNull(summary, "summary").strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
