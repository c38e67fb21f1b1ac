package dev.stagegate.customrules;

import dev.stagegate.report.SourcePosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each character of an expression written in the YAML policy file stands in that file,
 * so that a CEL error at an offset in the expression is reported at the file's line and
 * column. The scalar is re-read from the source as YAML reads it (plain, single- and
 * double-quoted with their escapes and line folding, literal {@code |} and folded {@code >}
 * block scalars with their indicators), recording where each character of the value came from.
 *
 * <p>What the re-reading gives is compared with the value the YAML reader gave; when they
 * differ (a style this scanner does not follow, such as a tag or an alias), every offset maps to
 * the scalar's first character: a coarser location, never a wrong one.
 */
public final class ExpressionSource {

    private final int[] lineStarts;
    private final int scalarStart;
    private final int[] sources;
    private final int textLength;

    private ExpressionSource(int[] lineStarts, int scalarStart, int[] sources, int textLength) {
        this.lineStarts = lineStarts;
        this.scalarStart = scalarStart;
        this.sources = sources;
        this.textLength = textLength;
    }

    /**
     * The expression that is the value of the mapping entry whose key starts at
     * {@code keyPosition} (what {@code YamlDocument.positionOf("/rules/0/expression")} gives).
     *
     * @param policyText the policy file's text
     * @param expression the value the YAML reader read for that entry
     */
    public static ExpressionSource ofEntry(String policyText, SourcePosition keyPosition, String expression) {
        int[] lineStarts = lineStarts(policyText);
        int key = indexOf(lineStarts, policyText.length(), keyPosition);
        int parentIndent = key - lineStarts[keyPosition.line() - 1];
        int colon = afterKey(policyText, key);
        if (colon < 0) {
            return coarse(lineStarts, key, expression);
        }
        int value = skipSeparation(policyText, colon + 1);
        return read(policyText, lineStarts, value, parentIndent, expression);
    }

    /**
     * The expression that is a scalar starting at {@code scalarStart} (its quote, its block
     * indicator, or its first character), in a block whose parent is indented like the
     * scalar's line.
     */
    public static ExpressionSource ofScalar(String policyText, SourcePosition scalarStart, String expression) {
        int[] lineStarts = lineStarts(policyText);
        int start = indexOf(lineStarts, policyText.length(), scalarStart);
        int lineStart = lineStarts[scalarStart.line() - 1];
        int indent = 0;
        while (lineStart + indent < policyText.length() && policyText.charAt(lineStart + indent) == ' ') {
            indent++;
        }
        return read(policyText, lineStarts, start, indent, expression);
    }

    /** True when every offset maps to its own character, false when all map to the scalar's start. */
    public boolean exact() {
        return sources != null;
    }

    /**
     * The file position of the expression's character at {@code offset} (0-based); an offset at
     * the expression's end (where "unexpected end of input" points) maps just after its last
     * character.
     */
    public SourcePosition positionOf(int offset) {
        if (sources == null || sources.length == 0 || offset < 0) {
            return positionOfIndex(scalarStart);
        }
        if (offset >= sources.length) {
            SourcePosition last = positionOfIndex(sources[sources.length - 1]);
            return new SourcePosition(last.line(), last.column() + 1);
        }
        return positionOfIndex(sources[offset]);
    }

    private SourcePosition positionOfIndex(int index) {
        int clamped = Math.max(0, Math.min(index, textLength));
        int line = Arrays.binarySearch(lineStarts, clamped);
        if (line < 0) {
            line = -line - 2;
        }
        return new SourcePosition(line + 1, clamped - lineStarts[line] + 1);
    }

    private static ExpressionSource read(String text, int[] lineStarts, int start, int parentIndent,
            String expression) {
        if (start >= text.length()) {
            return coarse(lineStarts, Math.min(start, text.length()), expression);
        }
        Scanner scanner = new Scanner(text, parentIndent);
        char first = text.charAt(start);
        boolean read = switch (first) {
            case '"' -> scanner.quoted(start, '"');
            case '\'' -> scanner.quoted(start, '\'');
            case '|', '>' -> scanner.block(start);
            case '!', '&', '*', '[', '{' -> false;
            default -> scanner.plain(start);
        };
        if (!read || !scanner.value.toString().equals(expression)) {
            return coarse(lineStarts, start, expression);
        }
        return new ExpressionSource(lineStarts, start, scanner.sources.stream().mapToInt(Integer::intValue).toArray(),
                text.length());
    }

    private static ExpressionSource coarse(int[] lineStarts, int start, String expression) {
        return new ExpressionSource(lineStarts, start, null, Integer.MAX_VALUE);
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int indexOf(int[] lineStarts, int length, SourcePosition position) {
        int line = Math.min(position.line(), lineStarts.length) - 1;
        return Math.min(length, lineStarts[line] + position.column() - 1);
    }

    /** The index of the {@code :} that ends the key starting at {@code key}, or -1. */
    private static int afterKey(String text, int key) {
        int i = key;
        if (i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            char quote = text.charAt(i++);
            while (i < text.length() && text.charAt(i) != quote) {
                i += text.charAt(i) == '\\' && quote == '"' ? 2 : 1;
            }
            i++;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return i < text.length() && text.charAt(i) == ':' ? i : -1;
        }
        for (; i < text.length() && !isBreak(text.charAt(i)); i++) {
            if (text.charAt(i) == ':' && (i + 1 >= text.length() || isBlank(text.charAt(i + 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** Past spaces, a comment and line breaks between a key's {@code :} and its value. */
    private static int skipSeparation(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || isBreak(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && !isBreak(text.charAt(i))) {
                    i++;
                }
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || isBreak(c);
    }

    /** Re-reads one scalar, appending each character of its value with the index it came from. */
    private static final class Scanner {

        private final String text;
        private final int parentIndent;
        final StringBuilder value = new StringBuilder();
        final List<Integer> sources = new ArrayList<>();
        /** Spaces read but not yet kept: YAML drops them when a line break follows. */
        private final StringBuilder pending = new StringBuilder();
        private final List<Integer> pendingSources = new ArrayList<>();

        Scanner(String text, int parentIndent) {
            this.text = text;
            this.parentIndent = parentIndent;
        }

        private void append(char c, int source) {
            flushPending();
            value.append(c);
            sources.add(source);
        }

        private void appendCodePoint(int codePoint, int source) {
            for (char c : Character.toChars(codePoint)) {
                append(c, source);
            }
        }

        private void holdSpace(char c, int source) {
            pending.append(c);
            pendingSources.add(source);
        }

        private void flushPending() {
            value.append(pending);
            sources.addAll(pendingSources);
            dropPending();
        }

        private void dropPending() {
            pending.setLength(0);
            pendingSources.clear();
        }

        /** The index after a line break starting at {@code i}. */
        private int afterBreak(int i) {
            return text.charAt(i) == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
        }

        private int skipSpaces(int i) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }

        /**
         * Folds the line break at {@code i} inside a flow or plain scalar: trailing spaces go,
         * a single break becomes a space, each empty line after it a line feed. Returns the
         * index of the next line's first non-space character.
         */
        private int fold(int i) {
            dropPending();
            int breakAt = i;
            int next = skipSpaces(afterBreak(i));
            List<Integer> emptyLines = new ArrayList<>();
            while (next < text.length() && isBreak(text.charAt(next))) {
                emptyLines.add(next);
                next = skipSpaces(afterBreak(next));
            }
            if (emptyLines.isEmpty()) {
                append(' ', breakAt);
            } else {
                for (int empty : emptyLines) {
                    append('\n', empty);
                }
            }
            return next;
        }

        boolean quoted(int start, char quote) {
            int i = start + 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == quote) {
                    if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        append('\'', i);
                        i += 2;
                        continue;
                    }
                    flushPending();
                    return true;
                }
                if (quote == '"' && c == '\\') {
                    i = escape(i);
                    if (i < 0) {
                        return false;
                    }
                } else if (isBreak(c)) {
                    i = fold(i);
                } else if (c == ' ' || c == '\t') {
                    holdSpace(c, i);
                    i++;
                } else {
                    append(c, i);
                    i++;
                }
            }
            return false;
        }

        /** Reads the escape at {@code i} (a backslash); returns the index after it, or -1. */
        private int escape(int i) {
            if (i + 1 >= text.length()) {
                return -1;
            }
            char c = text.charAt(i + 1);
            if (isBreak(c)) {
                flushPending(); // spaces before an escaped line break are kept
                return skipSpaces(afterBreak(i + 1));
            }
            int digits = switch (c) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            };
            if (digits > 0) {
                if (i + 2 + digits > text.length()) {
                    return -1;
                }
                try {
                    appendCodePoint(Integer.parseInt(text.substring(i + 2, i + 2 + digits), 16), i);
                } catch (IllegalArgumentException e) {
                    return -1;
                }
                return i + 2 + digits;
            }
            char escaped = switch (c) {
                case '0' -> '\0';
                case 'a' -> '\u0007';
                case 'b' -> '\b';
                case 't', '\t' -> '\t';
                case 'n' -> '\n';
                case 'v' -> '\u000B';
                case 'f' -> '\f';
                case 'r' -> '\r';
                case 'e' -> '\u001B';
                case ' ' -> ' ';
                case '"' -> '"';
                case '/' -> '/';
                case '\\' -> '\\';
                case 'N' -> '\u0085';
                case '_' -> '\u00A0';
                case 'L' -> '\u2028';
                case 'P' -> '\u2029';
                default -> '\uFFFF';
            };
            if (escaped == '\uFFFF') {
                return -1;
            }
            append(escaped, i);
            return i + 2;
        }

        boolean plain(int start) {
            int i = start;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ':' && (i + 1 >= text.length() || isBlank(text.charAt(i + 1)))) {
                    break;
                }
                if (c == '#' && i > start && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
                    break;
                }
                if (isBreak(c)) {
                    if (!continues(i)) {
                        break;
                    }
                    i = fold(i);
                } else if (c == ' ' || c == '\t') {
                    holdSpace(c, i);
                    i++;
                } else {
                    append(c, i);
                    i++;
                }
            }
            dropPending();
            return true;
        }

        /** Whether the plain scalar goes on after the line break at {@code i}. */
        private boolean continues(int i) {
            int next = afterBreak(i);
            while (next < text.length()) {
                int lineStart = next;
                int indentEnd = lineStart;
                while (indentEnd < text.length() && text.charAt(indentEnd) == ' ') {
                    indentEnd++;
                }
                int content = skipSpaces(indentEnd);
                if (content >= text.length()) {
                    return false;
                }
                if (isBreak(text.charAt(content))) {
                    next = afterBreak(content);
                    continue;
                }
                return indentEnd - lineStart > parentIndent && text.charAt(content) != '#'
                        && !text.startsWith("---", lineStart) && !text.startsWith("...", lineStart);
            }
            return false;
        }

        boolean block(int start) {
            boolean literal = text.charAt(start) == '|';
            char chomping = 'c';
            int explicitIndent = 0;
            int i = start + 1;
            for (int header = 0; header < 2 && i < text.length(); header++) {
                char c = text.charAt(i);
                if (c == '+' || c == '-') {
                    chomping = c;
                    i++;
                } else if (c >= '1' && c <= '9') {
                    explicitIndent = c - '0';
                    i++;
                }
            }
            i = skipSpaces(i);
            if (i < text.length() && text.charAt(i) == '#') {
                while (i < text.length() && !isBreak(text.charAt(i))) {
                    i++;
                }
            }
            if (i < text.length() && !isBreak(text.charAt(i))) {
                return false;
            }
            List<int[]> lines = new ArrayList<>(); // {start, end (at its break or the text's end)}
            int lineStart = i < text.length() ? afterBreak(i) : text.length();
            int indent = explicitIndent > 0 ? Math.max(parentIndent, 0) + explicitIndent : -1;
            while (lineStart < text.length()) {
                int end = lineStart;
                while (end < text.length() && !isBreak(text.charAt(end))) {
                    end++;
                }
                int spaces = 0;
                while (lineStart + spaces < end && text.charAt(lineStart + spaces) == ' ') {
                    spaces++;
                }
                boolean empty = lineStart + spaces == end;
                if (!empty && indent < 0) {
                    if (spaces <= parentIndent) {
                        break;
                    }
                    indent = spaces;
                }
                if (!empty && spaces < indent) {
                    break;
                }
                lines.add(new int[] {lineStart, end});
                lineStart = end < text.length() ? afterBreak(end) : text.length();
            }
            if (indent < 0) {
                indent = 0;
            }
            // content: each line's text past the indentation, then its break
            int lastContent = -1;
            for (int l = 0; l < lines.size(); l++) {
                if (lines.get(l)[1] - lines.get(l)[0] > indent) {
                    lastContent = l;
                }
            }
            boolean previousNormal = false;
            boolean pendingFold = false;
            int pendingBreak = -1;
            int emptyRun = 0;
            for (int l = 0; l <= lastContent; l++) {
                int from = lines.get(l)[0] + indent;
                int end = lines.get(l)[1];
                if (from >= end) {
                    emptyRun++;
                    if (literal) {
                        append('\n', end);
                    }
                    continue;
                }
                boolean normal = text.charAt(from) != ' ' && text.charAt(from) != '\t';
                if (!literal && pendingFold) {
                    if (previousNormal && normal) {
                        if (emptyRun == 0) {
                            append(' ', pendingBreak);
                        }
                    } else {
                        append('\n', pendingBreak);
                    }
                    for (int e = l - emptyRun; e < l; e++) {
                        append('\n', lines.get(e)[1]);
                    }
                }
                for (int c = from; c < end; c++) {
                    append(text.charAt(c), c);
                }
                if (literal && l < lastContent) {
                    append('\n', end);
                }
                previousNormal = normal;
                pendingFold = true;
                pendingBreak = end;
                emptyRun = 0;
            }
            if (lastContent < 0) {
                return true;
            }
            int finalBreak = lines.get(lastContent)[1];
            if (chomping != '-') {
                append('\n', finalBreak);
            }
            if (chomping == '+') {
                for (int l = lastContent + 1; l < lines.size(); l++) {
                    append('\n', lines.get(l)[1]);
                }
            }
            return true;
        }
    }
}
