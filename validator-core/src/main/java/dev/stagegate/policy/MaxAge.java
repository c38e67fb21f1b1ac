package dev.stagegate.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code maxAge} spelling of policy-v1.md: a whole number and a unit, s, m, h or d. */
public final class MaxAge {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)([smhd])");

    private MaxAge() {
    }

    /**
     * The duration {@code text} stands for.
     *
     * @throws IllegalArgumentException when it is malformed, zero, or too large for a Duration
     */
    static Duration parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a number followed by s, m, h or d");
        }
        long amount;
        Duration duration;
        try {
            amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large", e);
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is zero, so no evidence could ever be recent enough");
        }
        return duration;
    }

    /** The spelling in the largest whole unit, so that 72h reads 3d. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** A time that has passed, in days, hours and minutes, such as {@code 3h10m}; under a minute in seconds. */
    public static String formatElapsed(Duration elapsed) {
        long seconds = Math.max(0, elapsed.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        return text.toString();
    }
}
