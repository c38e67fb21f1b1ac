package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeeklyFreezeTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The example of policy-v1.md. */
    private static final WeeklyFreeze FRIDAY_EVENING = new WeeklyFreeze("friday-evening",
            Set.of(DayOfWeek.FRIDAY), LocalTime.of(16, 0), null, BERLIN);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // winter: Berlin is UTC+1
        "2026-01-09T14:59:59Z, false",
        "2026-01-09T15:00:00Z, true",
        "2026-01-09T22:59:59Z, true",
        "2026-01-09T23:00:00Z, false",
        // summer: Berlin is UTC+2, the window moves with local time
        "2026-07-03T13:59:59Z, false",
        "2026-07-03T14:00:00Z, true",
        "2026-07-03T21:59:59Z, true",
        "2026-07-03T22:00:00Z, false",
        // a Thursday at the same local time
        "2026-07-02T15:00:00Z, false"})
    void coversFridayEveningInBerlinTime(Instant instant, boolean covered) {
        assertThat(FRIDAY_EVENING.covers(instant)).isEqualTo(covered);
    }

    @Test
    void explicit2400IsTheEndOfTheDay() {
        WeeklyFreeze untilMidnight = new WeeklyFreeze("until-midnight", Set.of(DayOfWeek.FRIDAY),
                LocalTime.of(16, 0), LocalTime.MIDNIGHT, BERLIN);

        for (Instant instant : new Instant[] {
                Instant.parse("2026-07-03T13:59:59Z"), Instant.parse("2026-07-03T14:00:00Z"),
                Instant.parse("2026-07-03T21:59:59Z"), Instant.parse("2026-07-03T22:00:00Z")}) {
            assertThat(untilMidnight.covers(instant)).as(instant.toString())
                    .isEqualTo(FRIDAY_EVENING.covers(instant));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-27T23:59:59Z, false",
        "2026-11-28T00:00:00Z, true",
        "2026-11-29T23:59:59Z, true",
        "2026-11-30T00:00:00Z, false"})
    void withoutFromAndUntilTheWholeDayIsFrozen(Instant instant, boolean covered) {
        WeeklyFreeze weekend = new WeeklyFreeze("weekend",
                Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), null, null, ZoneOffset.UTC);

        assertThat(weekend.covers(instant)).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-30T21:59:59Z, false",
        "2026-11-30T22:00:00Z, true",
        "2026-12-01T00:00:00Z, true",
        "2026-12-01T05:59:59Z, true",
        "2026-12-01T06:00:00Z, false",
        // the window starts only on Monday: Monday morning and Tuesday night are open
        "2026-11-30T03:00:00Z, false",
        "2026-12-01T23:00:00Z, false"})
    void untilBeforeFromWrapsPastMidnightIntoTheNextDay(Instant instant, boolean covered) {
        WeeklyFreeze mondayNight = new WeeklyFreeze("monday-night",
                Set.of(DayOfWeek.MONDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneOffset.UTC);

        assertThat(mondayNight.covers(instant)).isEqualTo(covered);
    }

    @Test
    void aWrappingWindowOnSundayEndsOnMondayOfTheNextWeek() {
        WeeklyFreeze sundayNight = new WeeklyFreeze("sunday-night",
                Set.of(DayOfWeek.SUNDAY), LocalTime.of(20, 0), LocalTime.of(2, 0), ZoneOffset.UTC);

        assertThat(sundayNight.covers(Instant.parse("2026-11-30T01:59:59Z"))).isTrue();
        assertThat(sundayNight.covers(Instant.parse("2026-11-30T02:00:00Z"))).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist and
        // the window starts an hour later by the clock, at 03:30 CEST (01:30Z)
        "2026-03-29T01:00:00Z, false",
        "2026-03-29T01:29:59Z, false",
        "2026-03-29T01:30:00Z, true",
        "2026-03-29T01:59:59Z, true",
        "2026-03-29T02:00:00Z, false"})
    void aStartSkippedBySpringForwardMovesForwardByTheGap(Instant instant, boolean covered) {
        WeeklyFreeze early = new WeeklyFreeze("early", Set.of(DayOfWeek.SUNDAY),
                LocalTime.of(2, 30), LocalTime.of(4, 0), BERLIN);

        assertThat(early.covers(instant)).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:00-02:59 happens
        // twice; the window takes the first (CEST) occurrence
        "2026-10-24T23:59:59Z, false",
        "2026-10-25T00:00:00Z, true",
        "2026-10-25T00:29:59Z, true",
        "2026-10-25T00:30:00Z, false",
        "2026-10-25T01:15:00Z, false"})
    void aRepeatedTimeAfterFallBackTakesTheEarlierOffset(Instant instant, boolean covered) {
        WeeklyFreeze repeated = new WeeklyFreeze("repeated", Set.of(DayOfWeek.SUNDAY),
                LocalTime.of(2, 0), LocalTime.of(2, 30), BERLIN);

        assertThat(repeated.covers(instant)).isEqualTo(covered);
    }

    @Test
    void aWholeDayOnADaylightSavingChangeIsTwentyThreeOrTwentyFiveHoursLong() {
        WeeklyFreeze sunday = new WeeklyFreeze("sunday", Set.of(DayOfWeek.SUNDAY), null, null, BERLIN);

        assertThat(sunday.covers(Instant.parse("2026-03-28T22:59:59Z"))).isFalse();
        assertThat(sunday.covers(Instant.parse("2026-03-28T23:00:00Z"))).isTrue();
        assertThat(sunday.covers(Instant.parse("2026-03-29T21:59:59Z"))).isTrue();
        assertThat(sunday.covers(Instant.parse("2026-03-29T22:00:00Z"))).isFalse();

        assertThat(sunday.covers(Instant.parse("2026-10-24T21:59:59Z"))).isFalse();
        assertThat(sunday.covers(Instant.parse("2026-10-24T22:00:00Z"))).isTrue();
        assertThat(sunday.covers(Instant.parse("2026-10-25T22:59:59Z"))).isTrue();
        assertThat(sunday.covers(Instant.parse("2026-10-25T23:00:00Z"))).isFalse();
    }

    @Test
    void describesItself() {
        assertThat(FRIDAY_EVENING.describe()).isEqualTo("friday-evening (every FRI 16:00-24:00 Europe/Berlin)");
        assertThat(new WeeklyFreeze("weekend", Set.of(DayOfWeek.SUNDAY, DayOfWeek.SATURDAY), null, null,
                ZoneId.of("UTC")).describe()).isEqualTo("weekend (every SAT,SUN 00:00-24:00 UTC)");
    }

    @Test
    void rejectsAWindowWithoutDaysOrLength() {
        assertThatThrownBy(() -> new WeeklyFreeze("none", Set.of(), null, null, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeeklyFreeze("empty", Set.of(DayOfWeek.MONDAY),
                LocalTime.of(9, 0), LocalTime.of(9, 0), ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeeklyFreeze("empty", Set.of(DayOfWeek.MONDAY),
                null, LocalTime.MIDNIGHT, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
