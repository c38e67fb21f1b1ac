package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleDescriptionTest {

    @Test
    void aSummaryOnSeveralLinesReadsAsOneLine() {
        RuleDescription folded = new RuleDescription("limits", "  has(object.resources)\n  && has(object.limits)\r\n"
                + "    && true  ", Severity.ERROR, true);

        assertThat(folded.summary()).isEqualTo("has(object.resources) && has(object.limits) && true");
    }

    @Test
    void everyUnicodeLineBreakCounts() {
        for (char lineBreak : new char[] {'\u000B', '\f', '\u0085', '\u2028', '\u2029'}) {
            RuleDescription described = new RuleDescription("r", "a " + lineBreak + " b", Severity.ERROR, true);

            assertThat(described.summary()).as("U+%04X", (int) lineBreak).isEqualTo("a b");
        }
    }

    @Test
    void aSummaryOnOneLineIsKeptAsItIsButForItsEnds() {
        RuleDescription plain = new RuleDescription("r", " at least  two replicas\t", Severity.WARNING, false);

        assertThat(plain.summary()).isEqualTo("at least  two replicas");
    }
}
