package dev.stagegate.policytest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems an invalid test file states in its own comments, checkstyle style:
 * {@code key: value  # problem 3: text} expects a problem at column 3 of that line whose
 * message contains {@code text}.
 */
final class StatedProblems {

    private static final Pattern PROBLEM = Pattern.compile("#\\s*problem (\\d+): (.*)$");

    private StatedProblems() {
    }

    record Stated(int line, int column, String text) {
    }

    static List<Stated> in(String fixture) {
        List<Stated> stated = new ArrayList<>();
        String[] lines = fixture.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher problem = PROBLEM.matcher(lines[i]);
            if (problem.find()) {
                stated.add(new Stated(i + 1, Integer.parseInt(problem.group(1)), problem.group(2).strip()));
            }
        }
        return stated;
    }
}
