package dev.stagegate.report;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An instant as people read it in output: ISO-8601 in UTC to the second. A record may carry
 * fractions of a second (a clock's micro- or nanoseconds), which only make lines longer.
 */
public final class Timestamp {

    private Timestamp() {
    }

    /** {@code 2026-11-27T10:00:00Z}, whatever fraction of a second the instant carries. */
    public static String text(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
