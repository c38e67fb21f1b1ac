package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.runtime.CelEvaluationException;
import org.junit.jupiter.api.Test;

class RegexPatternsTest {

    @Test
    void nestedCountedRepeatsMultiply() {
        assertThat(RegexPatterns.worstRepeatProduct("a{100}")).isEqualTo(100);
        assertThat(RegexPatterns.worstRepeatProduct("(a{10}b){20}")).isEqualTo(200);
        assertThat(RegexPatterns.worstRepeatProduct("((a{2,3}){4}){5,}")).isEqualTo(60);
        assertThat(RegexPatterns.worstRepeatProduct("((((a{100}){100}){100}){100}){100}")).isEqualTo(10_000_000_000L);
    }

    @Test
    void repeatsSideBySideDoNotMultiply() {
        assertThat(RegexPatterns.worstRepeatProduct("a{1000}b{1000}(c{1000})")).isEqualTo(1_000);
        assertThat(RegexPatterns.worstRepeatProduct("(a{30})(b{30}){2}")).isEqualTo(60);
    }

    @Test
    void repeatedRepeatsMultiply() {
        assertThat(RegexPatterns.worstRepeatProduct("a{100}{100}")).isEqualTo(10_000);
    }

    @Test
    void bracesThatAreNoRepeatAndEscapedOrClassedParenthesesAreLiterals() {
        assertThat(RegexPatterns.worstRepeatProduct("a{x}(b{,5}){9}")).isEqualTo(9);
        assertThat(RegexPatterns.worstRepeatProduct("\\p{Greek}{10}\\x{41}{10}")).isEqualTo(10);
        assertThat(RegexPatterns.worstRepeatProduct("[(]{10}\\({10}[^])]{10}[[:alpha:])]{10}")).isEqualTo(10);
        assertThat(RegexPatterns.worstRepeatProduct("(\\Q){99}\\E{10}){10}")).isEqualTo(100);
    }

    @Test
    void aHugeCountIsRefusedWithoutOverflow() {
        assertThatThrownBy(() -> RegexPatterns.check("(a{99999999999999999999}){99999999999}"))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessage("regex limit exceeded: the pattern's nested repeat counts multiply to "
                        + Long.MAX_VALUE + "; at most 1000 are allowed");
    }

    @Test
    void ordinaryPatternsPass() throws CelEvaluationException {
        RegexPatterns.check("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$");
        RegexPatterns.check("(a{10}){100}");
        assertThat(RegexPatterns.compile("^v[0-9]+\\.[0-9]+$").matcher("v1.20").find()).isTrue();
    }

    @Test
    void aPatternIsCompiledOnceAndOneOverTheLimitsIsRefusedEveryTime() throws Exception {
        assertThat(RegexPatterns.compile("^[0-9]+$")).isSameAs(RegexPatterns.compile("^[0-9]+$"));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> RegexPatterns.compile("((a{100}){100})"))
                    .hasMessageContaining("nested repeat counts multiply to 10000");
        }
    }
}
