package dev.stagegate.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A freeze that recurs every week: on each listed day from {@code from} until {@code until},
 * local time in {@code timezone}. When {@code until} is before {@code from} the window starts
 * on the listed day and continues past midnight into the next one. Local times that a
 * daylight-saving change skips or repeats resolve as {@link ZonedDateTime#of} resolves them:
 * a skipped time moves forward by the gap, a repeated one takes the earlier offset.
 *
 * @param days     the days a window starts on
 * @param from     start of the window, inclusive; null for 00:00
 * @param until    end of the window, exclusive; null for the end of the day ({@code "24:00"})
 * @param timezone the zone {@code from} and {@code until} are read in
 */
public record WeeklyFreeze(String name, Set<DayOfWeek> days, LocalTime from, LocalTime until, ZoneId timezone)
        implements Freeze {

    public WeeklyFreeze {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timezone, "timezone");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("freeze " + name + " lists no days");
        }
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        if (until != null && until.equals(from == null ? LocalTime.MIDNIGHT : from)) {
            throw new IllegalArgumentException("freeze " + name + ": from and until are both " + until);
        }
    }

    @Override
    public boolean covers(Instant instant) {
        LocalDate date = instant.atZone(timezone).toLocalDate();
        // A window that wraps past midnight may have started the day before.
        return covers(date, instant) || covers(date.minusDays(1), instant);
    }

    private boolean covers(LocalDate startDay, Instant instant) {
        if (!days.contains(startDay.getDayOfWeek())) {
            return false;
        }
        LocalTime start = from == null ? LocalTime.MIDNIGHT : from;
        Instant windowStart = ZonedDateTime.of(startDay, start, timezone).toInstant();
        Instant windowEnd = until == null
                ? startDay.plusDays(1).atStartOfDay(timezone).toInstant()
                : ZonedDateTime.of(until.isAfter(start) ? startDay : startDay.plusDays(1), until, timezone)
                        .toInstant();
        return !instant.isBefore(windowStart) && instant.isBefore(windowEnd);
    }

    @Override
    public String describe() {
        String dayList = days.stream()
                .map(day -> day.name().substring(0, 3))
                .collect(Collectors.joining(","));
        String start = from == null ? "00:00" : from.toString();
        String end = until == null ? "24:00" : until.toString();
        return name + " (every " + dayList + " " + start + "-" + end + " " + timezone.getId() + ")";
    }
}
