package dev.stagegate.yaml;

import dev.stagegate.report.SourcePosition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A fast path for the YAML that values files mostly are: ASCII block mappings and block
 * sequences of one-line plain or simply quoted scalars, with comments. SnakeYAML through
 * Jackson costs tens of microseconds per small file, most of the time of checking 10,000 of
 * them; this reads such a file in a few.
 *
 * <p>It declines ({@link #read} answers {@code null}) whatever it does not fully understand:
 * anything not printable ASCII (tabs, CR, UTF-8, NUL), directives and document markers,
 * anchors, aliases, tags, flow collections, block scalars, multi-line scalars, escapes in
 * double quotes, duplicate and {@code <<} keys, deep nesting, and scalars whose type needs more
 * than a plain decimal (YAML 1.1 booleans, octal, underscores). {@link LocatedYamlReader} then
 * reads the file the full way, which also gives every error its message, so a file the fast
 * path reads comes out exactly as the full reader reads it: the same values of the same Java
 * types and the same positions (the tests compare the two).
 */
final class PlainBlockYaml {

    /** Jackson resolves plain scalars with SnakeYAML's default resolver; so does the fast path. */
    private static final Resolver RESOLVER = new Resolver();

    /** Deeper documents go the full way, which also reports breaking the configured limit. */
    private static final int MAX_DEPTH = 64;

    /** SnakeYAML's simple keys end after 1,024 characters; long keys go the full way. */
    private static final int MAX_KEY_LENGTH = 1000;

    /** Thrown to give up on the fast path; never leaves this class. */
    private static final class Decline extends Exception {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private final byte[] text;
    private final int maxDepth;
    /** Start offset, end offset (before the line feed) and indentation of each line with content. */
    private final int[] starts;
    private final int[] ends;
    private final int[] indents;
    private final int[] lineNumbers;
    private final int lines;
    /** Each node's position, by pointer; every pointer once (keys are distinct, items numbered). */
    private final List<Map.Entry<String, SourcePosition>> positions = new ArrayList<>();
    /** The current content line. */
    private int line;

    private PlainBlockYaml(byte[] text, int maxDepth, int[] starts, int[] ends, int[] indents, int[] lineNumbers,
            int lines) {
        this.text = text;
        this.maxDepth = Math.min(MAX_DEPTH, maxDepth);
        this.starts = starts;
        this.ends = ends;
        this.indents = indents;
        this.lineNumbers = lineNumbers;
        this.lines = lines;
    }

    /**
     * The documents of {@code content} (none or one), or {@code null} when the fast path does
     * not read it and the full reader must.
     */
    static List<YamlDocument> read(byte[] content, int maxDepth) {
        int count = 0;
        for (byte b : content) {
            if (b == '\n') {
                count++;
            } else if (b < 0x20 || b > 0x7e) {
                return null;
            }
        }
        count++;
        int[] starts = new int[count];
        int[] ends = new int[count];
        int[] indents = new int[count];
        int[] lineNumbers = new int[count];
        int lines = 0;
        int lineNumber = 0;
        int start = 0;
        while (start <= content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            if (end - start >= 3 && start < content.length
                    && ((content[start] == '-' && content[start + 1] == '-' && content[start + 2] == '-')
                    || (content[start] == '.' && content[start + 1] == '.' && content[start + 2] == '.'))) {
                return null; // document markers: several documents, or none
            }
            if (start < end && content[start] == '%') {
                return null; // a directive
            }
            int first = start;
            while (first < end && content[first] == ' ') {
                first++;
            }
            if (first < end && content[first] != '#') {
                starts[lines] = start;
                ends[lines] = end;
                indents[lines] = first - start;
                lineNumbers[lines] = lineNumber;
                lines++;
            }
            start = end + 1;
        }
        try {
            return new PlainBlockYaml(content, maxDepth, starts, ends, indents, lineNumbers, lines).document();
        } catch (Decline declined) {
            return null;
        }
    }

    private List<YamlDocument> document() throws Decline {
        if (lines == 0) {
            return List.of(); // nothing but comments and blank lines: no document
        }
        int indent = indents[0];
        Object root;
        if (isDash(0, indent)) {
            positions.add(Map.entry("", position(0, indent)));
            root = sequence(indent, "", 1);
        } else {
            int keyEnd = keyEnd(0, indent);
            if (keyEnd < 0) {
                throw Decline.INSTANCE; // a scalar document, or something the full reader must judge
            }
            positions.add(Map.entry("", position(0, indent)));
            root = mapping(indent, "", 1);
        }
        if (line < lines) {
            throw Decline.INSTANCE; // content left over: an error the full reader words
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, SourcePosition>[] entries = positions.toArray(new Map.Entry[0]);
        Map<String, SourcePosition> byPointer;
        try {
            // built immutable at once: the document keeps it as it is instead of copying a HashMap
            byPointer = Map.ofEntries(entries);
        } catch (IllegalArgumentException duplicatePointer) {
            throw Decline.INSTANCE; // cannot happen (keys are distinct); the full reader would know
        }
        return List.of(new YamlDocument(root, byPointer));
    }

    private SourcePosition position(int contentLine, int column) {
        return new SourcePosition(lineNumbers[contentLine], column + 1);
    }

    private byte at(int contentLine, int column) {
        int offset = starts[contentLine] + column;
        return offset < ends[contentLine] ? text[offset] : (byte) '\n';
    }

    private boolean isDash(int contentLine, int column) {
        return at(contentLine, column) == '-' && isBlankOrEnd(at(contentLine, column + 1));
    }

    private static boolean isBlankOrEnd(byte b) {
        return b == ' ' || b == '\n';
    }

    /** A block mapping whose keys start at {@code indent}; the first key is on the current line. */
    private JSONObject mapping(int indent, String pointer, int depth) throws Decline {
        if (depth > maxDepth) {
            throw Decline.INSTANCE;
        }
        JSONObject object = new JSONObject();
        int column = indent;
        while (true) {
            int keyEnd = keyEnd(line, column);
            if (keyEnd < 0) {
                throw Decline.INSTANCE;
            }
            String key = key(line, column, keyEnd);
            if (object.has(key)) {
                throw Decline.INSTANCE; // a duplicate: the full reader words the error
            }
            String childPointer = pointer + "/" + YamlDocument.escape(key);
            positions.add(Map.entry(childPointer, position(line, column)));
            int valueColumn = skipSpaces(line, keyEnd + 1);
            Object value;
            if (isCommentOrEnd(line, valueColumn, keyEnd + 1)) {
                line++;
                if (line < lines && indents[line] > indent) {
                    value = block(indents[line], childPointer, depth + 1, false);
                } else if (line < lines && indents[line] == indent && isDash(line, indent)) {
                    value = sequence(indent, childPointer, depth + 1);
                } else {
                    value = ""; // "key:" alone reads as an empty string
                }
            } else {
                value = scalar(line, valueColumn);
                line++;
            }
            object.put(key, value);
            if (line >= lines || indents[line] < indent) {
                return object;
            }
            if (indents[line] > indent) {
                throw Decline.INSTANCE; // a continuation line, or an error
            }
            if (isDash(line, indent)) {
                return object; // let the caller decide; a sequence here is an error or its own
            }
            column = indent;
        }
    }

    /** A block sequence whose dashes are at {@code indent}; the first dash is on the current line. */
    private JSONArray sequence(int indent, String pointer, int depth) throws Decline {
        if (depth > maxDepth) {
            throw Decline.INSTANCE;
        }
        JSONArray array = new JSONArray();
        int index = 0;
        while (true) {
            String childPointer = pointer + "/" + index;
            int itemColumn = skipSpaces(line, indent + 1);
            Object item;
            if (isCommentOrEnd(line, itemColumn, indent + 1)) {
                line++;
                if (line < lines && indents[line] > indent) {
                    item = block(indents[line], childPointer, depth + 1, true);
                } else {
                    throw Decline.INSTANCE; // an empty item
                }
            } else if (isDash(line, itemColumn)) {
                throw Decline.INSTANCE; // "- - a": a sequence in a sequence on one line
            } else if (keyEnd(line, itemColumn) >= 0) {
                positions.add(Map.entry(childPointer, position(line, itemColumn)));
                item = mapping(itemColumn, childPointer, depth + 1);
            } else {
                positions.add(Map.entry(childPointer, position(line, itemColumn)));
                item = scalar(line, itemColumn);
                line++;
            }
            array.put(item);
            index++;
            if (line >= lines || indents[line] < indent) {
                return array;
            }
            if (indents[line] > indent) {
                throw Decline.INSTANCE;
            }
            if (!isDash(line, indent)) {
                return array; // the next key of the mapping this sequence is the indentless value of
            }
        }
    }

    /**
     * A mapping or sequence starting at the first character of the current line. A sequence
     * item's position is its node's first character; a mapping value's is its key, already
     * recorded.
     */
    private Object block(int indent, String pointer, int depth, boolean item) throws Decline {
        boolean sequence = isDash(line, indent);
        if (!sequence && keyEnd(line, indent) < 0) {
            throw Decline.INSTANCE; // a scalar on a line of its own
        }
        if (item) {
            positions.add(Map.entry(pointer, position(line, indent)));
        }
        return sequence ? sequence(indent, pointer, depth) : mapping(indent, pointer, depth);
    }

    private int skipSpaces(int contentLine, int column) {
        while (at(contentLine, column) == ' ') {
            column++;
        }
        return column;
    }

    /** Whether the rest of the line from {@code column} is empty or a comment (after a space). */
    private boolean isCommentOrEnd(int contentLine, int column, int afterIndicator) {
        byte b = at(contentLine, column);
        return b == '\n' || (b == '#' && column > afterIndicator);
    }

    /**
     * Where the key starting at {@code column} ends (the offset of its {@code :}), or -1 when
     * the line holds no key the fast path reads there.
     */
    private int keyEnd(int contentLine, int column) {
        byte first = at(contentLine, column);
        int i;
        if (first == '"' || first == '\'') {
            i = quotedEnd(contentLine, column);
            if (i < 0) {
                return -1;
            }
        } else {
            if (!isKeyStart(first)) {
                return -1;
            }
            i = column + 1;
            while (isKeyPart(at(contentLine, i))) {
                i++;
            }
        }
        if (at(contentLine, i) != ':' || !isBlankOrEnd(at(contentLine, i + 1)) || i - column > MAX_KEY_LENGTH) {
            return -1;
        }
        return i;
    }

    private static boolean isKeyStart(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
    }

    private static boolean isKeyPart(byte b) {
        return isKeyStart(b) || b == '-' || b == '.' || b == '/';
    }

    /**
     * The key's text. A plain key never is {@code <<}; a quoted one may be, and the full reader
     * takes any {@code <<} key for a merge key, so such a file goes the full way (found by
     * {@code PlainBlockYamlFuzzTest}).
     */
    private String key(int contentLine, int column, int end) throws Decline {
        byte first = at(contentLine, column);
        if (first == '"' || first == '\'') {
            String key = unquote(contentLine, column, end);
            if (key.equals("<<")) {
                throw Decline.INSTANCE;
            }
            return key;
        }
        return ascii(contentLine, column, end);
    }

    /** Past the closing quote of the quoted scalar at {@code column}, or -1 (no closing quote, an escape). */
    private int quotedEnd(int contentLine, int column) {
        byte quote = at(contentLine, column);
        int i = column + 1;
        while (true) {
            byte b = at(contentLine, i);
            if (b == '\n' || (quote == '"' && b == '\\')) {
                return -1;
            }
            if (b == quote) {
                if (quote == '\'' && at(contentLine, i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
    }

    private String unquote(int contentLine, int column, int end) {
        String inner = ascii(contentLine, column + 1, end - 1);
        return at(contentLine, column) == '\'' ? inner.replace("''", "'") : inner;
    }

    private String ascii(int contentLine, int from, int to) {
        return new String(text, starts[contentLine] + from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** A scalar that is the rest of the line from {@code column}, with an optional comment after it. */
    private Object scalar(int contentLine, int column) throws Decline {
        byte first = at(contentLine, column);
        if (first == '"' || first == '\'') {
            int end = quotedEnd(contentLine, column);
            if (end < 0) {
                throw Decline.INSTANCE;
            }
            int after = skipSpaces(contentLine, end);
            if (!isCommentOrEnd(contentLine, after, end)) {
                throw Decline.INSTANCE;
            }
            return unquote(contentLine, column, end);
        }
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(first) >= 0) {
            byte next = at(contentLine, column + 1);
            if (first != '-' || !(isKeyStart(next) || next == '.')) {
                throw Decline.INSTANCE; // an indicator: flow collections, anchors, tags, block scalars ...
            }
        }
        int end = column;
        int length = ends[contentLine] - starts[contentLine];
        while (end < length) {
            byte b = text[starts[contentLine] + end];
            if (b == '#' && text[starts[contentLine] + end - 1] == ' ') {
                break;
            }
            if (b == ':' && isBlankOrEnd(at(contentLine, end + 1))) {
                throw Decline.INSTANCE; // a key where a value belongs
            }
            end++;
        }
        while (text[starts[contentLine] + end - 1] == ' ') {
            end--;
        }
        return resolve(ascii(contentLine, column, end));
    }

    /** What Jackson's YAMLParser makes of a plain scalar, for the types the fast path reads. */
    private static Object resolve(String value) throws Decline {
        Tag tag = tagOf(value);
        if (tag == Tag.STR) {
            return value;
        }
        if (tag == Tag.NULL) {
            return JSONObject.NULL;
        }
        if (tag == Tag.BOOL) {
            if (value.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (value.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw Decline.INSTANCE; // yes, no, on, off: depends on the reader's YAML version
        }
        if (tag == Tag.INT) {
            if (isPlainDecimal(value, false) && value.length() <= 9) {
                return Integer.valueOf(value);
            }
            throw Decline.INSTANCE;
        }
        if (tag == Tag.FLOAT) {
            if (isPlainDecimal(value, true)) {
                return new BigDecimal(value);
            }
            throw Decline.INSTANCE;
        }
        return value; // timestamps and the like: Jackson leaves them strings
    }

    /**
     * The tag SnakeYAML's resolver gives a plain scalar, without its regular expressions where
     * the answer is plain: most values are words or decimals. The resolver tries only the
     * expressions registered for the value's first character, then those for any character
     * (null and the empty string, at most ten characters long).
     */
    static Tag tagOf(String value) {
        char first = value.charAt(0);
        if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
            if (isPlainDecimal(value, false) && value.length() <= 9) {
                return Tag.INT; // the int expression's decimal branch, tried first
            }
            if (isPlainDecimal(value, true)) {
                return Tag.FLOAT; // no int branch has a '.', the float expression takes it
            }
            for (int i = 0; i < value.length(); i++) {
                if (NUMBER_OR_TIME_CHARACTERS.indexOf(value.charAt(i)) < 0) {
                    return Tag.STR; // "400m", "1Gi": no number or timestamp has such a character
                }
            }
            return RESOLVER.resolve(NodeId.scalar, value, true);
        }
        if ("yYnNtTfFoO~<!&*".indexOf(first) >= 0) {
            // booleans, null, <<, ... : all ten characters at most
            return value.length() > 10 ? Tag.STR : RESOLVER.resolve(NodeId.scalar, value, true);
        }
        return value.equals(" ") ? RESOLVER.resolve(NodeId.scalar, value, true) : Tag.STR;
    }

    /** Every character the int, float and timestamp expressions can match. */
    private static final String NUMBER_OR_TIME_CHARACTERS = "0123456789+-_.:xabcdefABCDEFinfINFtTZ \t";

    /** {@code 0}, {@code 12}, {@code -3} (or with a fraction, {@code 1.50}): no sign +, underscores or leading zeros. */
    private static boolean isPlainDecimal(String value, boolean fraction) {
        int i = value.startsWith("-") ? 1 : 0;
        int digits = i;
        while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
            digits++;
        }
        if (digits == i || (value.charAt(i) == '0' && digits - i > 1)) {
            return false;
        }
        if (!fraction) {
            return digits == value.length() && !value.equals("-0");
        }
        if (digits >= value.length() - 1 || value.charAt(digits) != '.') {
            return false;
        }
        for (int j = digits + 1; j < value.length(); j++) {
            if (!Character.isDigit(value.charAt(j))) {
                return false;
            }
        }
        return true;
    }
}
