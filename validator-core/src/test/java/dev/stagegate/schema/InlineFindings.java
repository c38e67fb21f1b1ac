package dev.stagegate.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The findings a fixture states in its own comments, checkstyle style.
 *
 * <p>{@code key: value  # violation 3: message} expects {@code message} at column 3 of that
 * line. A comment line of its own ({@code # violation 1: message}) states another finding for
 * the nearest line above it that has content, for lines with more than one.
 */
final class InlineFindings {

    private static final Pattern VIOLATION = Pattern.compile("#\\s*violation (\\d+): (.*)$");

    private InlineFindings() {
    }

    /** Each expected finding as {@code line:column message}. */
    static List<String> in(String fixture) {
        List<String> expected = new ArrayList<>();
        String[] lines = fixture.split("\n", -1);
        int contentLine = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher violation = VIOLATION.matcher(lines[i]);
            boolean commentOnly = lines[i].strip().startsWith("#");
            if (!commentOnly) {
                contentLine = i + 1;
            }
            if (violation.find()) {
                int line = commentOnly ? contentLine : i + 1;
                expected.add(line + ":" + violation.group(1) + " " + violation.group(2).strip());
            }
        }
        return expected;
    }
}
