package dev.stagegate.signature;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The valid-after and valid-before times of an allowed-signers line, in ssh-keygen's formats
 * (misc.c parse_absolute_time): YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, then {@code Z} or {@code UTC}.
 *
 * <p>Without the suffix ssh-keygen reads the time in the local time zone of whichever machine runs
 * it, so the same file would open and close a key's window at different instants on a laptop, a CI
 * runner and the git server. stagegate refuses such a time (a located problem that names the fix)
 * instead of guessing a zone.
 */
final class SshTimestamp {

    private SshTimestamp() {
    }

    /** @throws IllegalArgumentException with the reason the text is not such a time */
    static Instant parse(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        String digits;
        if (upper.endsWith("UTC")) {
            digits = text.substring(0, text.length() - 3);
        } else if (upper.endsWith("Z")) {
            digits = text.substring(0, text.length() - 1);
        } else {
            throw new IllegalArgumentException("'" + text + "' has no Z: ssh-keygen would read it in the local time zone"
                    + " of each machine; write '" + text + "Z' for UTC");
        }
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (digits.length() != 8 && digits.length() != 12 && digits.length() != 14)) {
            throw new IllegalArgumentException("'" + text + "' is not YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]");
        }
        try {
            Instant instant = LocalDateTime.of(
                    Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)),
                    Integer.parseInt(digits.substring(6, 8)),
                    digits.length() > 8 ? Integer.parseInt(digits.substring(8, 10)) : 0,
                    digits.length() > 8 ? Integer.parseInt(digits.substring(10, 12)) : 0,
                    digits.length() > 12 ? Integer.parseInt(digits.substring(12, 14)) : 0).toInstant(ZoneOffset.UTC);
            // ssh-keygen keeps times as seconds since 1970 and reads 0 as "no limit".
            if (instant.getEpochSecond() <= 0) {
                throw new IllegalArgumentException("'" + text + "' is not after 1970-01-01T00:00:00Z");
            }
            return instant;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a real date and time");
        }
    }
}
