package dev.stagegate.report;

import java.util.Objects;
import java.util.regex.Pattern;

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
        summary = oneLine(Objects.requireNonNull(summary, "summary").strip());
    }

    /**
     * Line breaks with the blanks around them as one space. Every push under rules describes
     * each rule: the pattern is compiled once, and only for a summary that has a break.
     */
    private static String oneLine(String summary) {
        for (int i = 0; i < summary.length(); i++) {
            char c = summary.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028'
                    || c == '\u2029') {
                return LineBreaks.PATTERN.matcher(summary).replaceAll(" ");
            }
        }
        return summary;
    }

    /** What {@link #oneLine} replaces ({@code \R}: every Unicode line break); compiled on first need. */
    private static final class LineBreaks {

        static final Pattern PATTERN = Pattern.compile("\\s*\\R\\s*");
    }
}
