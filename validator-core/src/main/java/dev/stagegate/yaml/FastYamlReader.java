package dev.stagegate.yaml;

import dev.stagegate.report.SourcePosition;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * A fast path for YAML as values files and manifests are written: block mappings and block
 * sequences of one-line plain or quoted scalars (double quotes with escapes, single quotes
 * with {@code ''}), flow mappings and sequences (also over several lines), literal and folded
 * block scalars with {@code -}/{@code +} chomping, comments, several documents separated by
 * {@code ---}, and UTF-8 text. SnakeYAML through Jackson costs tens of microseconds per small
 * file, most of the time of checking 10,000 of them; this reads such a file in a few.
 *
 * <p>It declines ({@link #read} answers {@code null}) whatever it does not fully understand:
 * tabs, CR, control characters and characters outside the Basic Multilingual Plane (SnakeYAML
 * counts columns in code points), directives, {@code ...} and content on a {@code ---} line,
 * anchors, aliases, tags, complex and implicit keys, multi-line plain and quoted scalars,
 * {@code :} and {@code ?} in plain scalars inside flow collections, empty flow entries, block
 * scalars with an indentation indicator or no content, duplicate and {@code <<} keys, deep
 * nesting, and scalars whose type needs more than a plain decimal (YAML 1.1 booleans, octal,
 * underscores). {@link LocatedYamlReader} then reads the file the full way, which also gives
 * every error its message, so a file the fast path reads comes out exactly as the full reader
 * reads it: the same documents, values of the same Java types and the same positions
 * ({@code FastYamlReaderTest} and {@code FastYamlReaderFuzzTest} compare the two).
 */
final class FastYamlReader {

    /** Jackson resolves plain scalars with SnakeYAML's default resolver; so does the fast path. */
    private static final Resolver RESOLVER = new Resolver();

    /** Deeper documents go the full way, which also reports breaking the configured limit. */
    private static final int MAX_DEPTH = 64;

    /** Every character the int, float and timestamp expressions can match. */
    private static final String NUMBER_OR_TIME_CHARACTERS = "0123456789+-_.:xabcdefABCDEFinfINFtTZ \t";

    /** SnakeYAML tries its int and float expressions on at most this many characters; longer are strings. */
    private static final int RESOLVER_LIMIT = 1024;

    /** SnakeYAML's simple keys end after 1,024 characters; long keys go the full way. */
    private static final int MAX_KEY_LENGTH = 1000;

    /** Characters that start something other than a plain scalar (a {@code -} may: "-1", "--port"). */
    private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

    /** A document: its content lines from {@code firstLine} to {@code endLine}, its text up to {@code endOffset}. */
    private record DocumentLines(int firstLine, int endLine, int endOffset) {
    }

    /** Thrown to give up on the fast path; never leaves this class. */
    private static final class Decline extends Exception {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final int maxDepth;
    /** Start offset and end offset (of its line feed, or the end of the text) of every line. */
    private final int[] rawStarts;
    private final int[] rawEnds;
    private final int rawCount;
    /** Start offset, end offset, indentation and line index of each line with content. */
    private final int[] starts;
    private final int[] ends;
    private final int[] indents;
    private final int[] rawLines;
    /** The current content line, and the end of the current document's content lines. */
    private int line;
    private int lines;
    /** Where the current document's text ends: a flow collection must close before. */
    private int documentEnd;
    /** Inside a flow collection: the offset read next and its line index. */
    private int cursor;
    private int cursorLine;
    /** Each node's position in the current document, by pointer; every pointer once. */
    private List<Map.Entry<String, SourcePosition>> positions;
    /**
     * Whether documents carry positions: without, no pointer is ever spelt out and every
     * document's positions are empty ({@link #readValues}).
     */
    private final boolean located;

    private FastYamlReader(String text, int maxDepth, boolean located, int[] rawStarts, int[] rawEnds, int rawCount,
            int[] starts, int[] ends, int[] indents, int[] rawLines) {
        this.text = text;
        this.located = located;
        this.maxDepth = Math.min(MAX_DEPTH, maxDepth);
        this.rawStarts = rawStarts;
        this.rawEnds = rawEnds;
        this.rawCount = rawCount;
        this.starts = starts;
        this.ends = ends;
        this.indents = indents;
        this.rawLines = rawLines;
    }

    /**
     * The documents of {@code content}, or {@code null} when the fast path does not read it and
     * the full reader must. Documents with no content are left out, as the full reader does.
     */
    static List<YamlDocument> read(byte[] content, int maxDepth) {
        return read(content, maxDepth, true);
    }

    /**
     * As {@link #read}, the same values, without positions: for what only the values of are
     * wanted (a file's old version, for {@code oldObject}): no pointer is spelt out, no position kept.
     */
    static List<YamlDocument> readValues(byte[] content, int maxDepth) {
        return read(content, maxDepth, false);
    }

    private static List<YamlDocument> read(byte[] content, int maxDepth, boolean located) {
        String text = decode(content);
        if (text == null) {
            return null;
        }
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] rawStarts = new int[count];
        int[] rawEnds = new int[count];
        int[] starts = new int[count];
        int[] ends = new int[count];
        int[] indents = new int[count];
        int[] rawLines = new int[count];
        List<DocumentLines> documents = new ArrayList<>(1);
        int lines = 0;
        int documentStart = 0;
        int start = 0;
        for (int raw = 0; raw < count; raw++) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            rawStarts[raw] = start;
            rawEnds[raw] = end;
            if (end - start >= 3 && text.startsWith("---", start)) {
                if (!isDocumentStart(text, start, end)) {
                    return null; // content after the marker, or "---x": the full reader judges
                }
                documents.add(new DocumentLines(documentStart, lines, start));
                documentStart = lines;
            } else if (end - start >= 3 && text.startsWith("...", start)) {
                return null; // a document end marker
            } else if (start < end && text.charAt(start) == '%') {
                return null; // a directive
            } else {
                int first = start;
                while (first < end && text.charAt(first) == ' ') {
                    first++;
                }
                if (first < end && text.charAt(first) != '#') {
                    starts[lines] = start;
                    ends[lines] = end;
                    indents[lines] = first - start;
                    rawLines[lines] = raw;
                    lines++;
                }
            }
            start = end + 1;
        }
        documents.add(new DocumentLines(documentStart, lines, text.length()));
        FastYamlReader reader = new FastYamlReader(text, maxDepth, located, rawStarts, rawEnds, count, starts, ends,
                indents, rawLines);
        List<YamlDocument> read = new ArrayList<>(documents.size());
        try {
            for (DocumentLines document : documents) {
                if (document.firstLine() < document.endLine()) {
                    read.add(reader.document(document));
                }
            }
        } catch (Decline declined) {
            return null;
        }
        return read;
    }

    /**
     * The text, or {@code null} when it holds a character the fast path does not read: control
     * characters other than the line feed, invalid UTF-8, and of the rest of Unicode whatever
     * SnakeYAML reads as a line break, does not print, or counts differently from Java
     * (characters outside the Basic Multilingual Plane take two chars but one column).
     */
    private static String decode(byte[] content) {
        boolean ascii = true;
        for (byte b : content) {
            if (b < 0) {
                ascii = false;
            } else if ((b < 0x20 && b != '\n') || b == 0x7f) {
                return null;
            }
        }
        if (ascii) {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException invalid) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && !((c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029)
                    || (c >= 0xe000 && c <= 0xfffd && c != 0xfeff))) {
                return null;
            }
        }
        return text;
    }

    /** A {@code ---} line with nothing after the marker but spaces and a comment. */
    private static boolean isDocumentStart(String text, int start, int end) {
        int i = start + 3;
        if (i == end) {
            return true;
        }
        if (text.charAt(i) != ' ') {
            return false;
        }
        while (i < end && text.charAt(i) == ' ') {
            i++;
        }
        return i == end || text.charAt(i) == '#';
    }

    private YamlDocument document(DocumentLines document) throws Decline {
        line = document.firstLine();
        lines = document.endLine();
        documentEnd = document.endOffset();
        positions = located ? new ArrayList<>() : null;
        int indent = indents[line];
        locate("", line, indent);
        Object root;
        if (isDash(line, indent)) {
            root = sequence(indent, "", 1);
        } else if (keyEnd(line, indent) >= 0) {
            root = mapping(indent, "", 1);
        } else {
            root = inlineValue(indent, "", 1, -1); // a scalar or flow collection document
        }
        if (line < lines) {
            throw Decline.INSTANCE; // content left over: an error the full reader words
        }
        if (!located) {
            return new YamlDocument(root, Map.of());
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
        return new YamlDocument(root, byPointer);
    }

    private SourcePosition position(int contentLine, int column) {
        return new SourcePosition(rawLines[contentLine] + 1, column + 1);
    }

    /** Keeps where the node at {@code pointer} starts, unless positions are not kept. */
    private void locate(String pointer, int contentLine, int column) {
        if (located) {
            positions.add(Map.entry(pointer, position(contentLine, column)));
        }
    }

    /** As {@link #locate}, at the cursor inside a flow collection. */
    private void locateAtCursor(String pointer) {
        if (located) {
            positions.add(Map.entry(pointer, cursorPosition()));
        }
    }

    /** The pointer of a mapping's entry; null when positions are not kept, as no pointer is needed. */
    private String child(String pointer, String key) {
        return located ? pointer + "/" + YamlDocument.escape(key) : null;
    }

    /** The pointer of a sequence's item; null when positions are not kept. */
    private String child(String pointer, int index) {
        return located ? pointer + "/" + index : null;
    }

    /** The character at {@code offset}, a line feed past the end of the text. */
    private char ch(int offset) {
        return offset < text.length() ? text.charAt(offset) : '\n';
    }

    private char at(int contentLine, int column) {
        int offset = starts[contentLine] + column;
        return offset < ends[contentLine] ? text.charAt(offset) : '\n';
    }

    private boolean isDash(int contentLine, int column) {
        return at(contentLine, column) == '-' && isBlankOrEnd(at(contentLine, column + 1));
    }

    private static boolean isBlankOrEnd(char c) {
        return c == ' ' || c == '\n';
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
            String childPointer = child(pointer, key);
            locate(childPointer, line, column);
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
                value = inlineValue(valueColumn, childPointer, depth + 1, indent);
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
            String childPointer = child(pointer, index);
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
                locate(childPointer, line, itemColumn);
                item = mapping(itemColumn, childPointer, depth + 1);
            } else {
                locate(childPointer, line, itemColumn);
                item = inlineValue(itemColumn, childPointer, depth + 1, indent);
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
            locate(pointer, line, indent);
        }
        return sequence ? sequence(indent, pointer, depth) : mapping(indent, pointer, depth);
    }

    /**
     * The value that starts at {@code column} of the current line and is not a block mapping or
     * sequence: a flow collection, a block scalar or a one-line scalar. Moves past it.
     *
     * @param parentIndent the column of the key or dash the value belongs to (SnakeYAML's
     *                     indentation level, which a block scalar's content must exceed), or
     *                     -1 for a document's root
     */
    private Object inlineValue(int column, String pointer, int depth, int parentIndent) throws Decline {
        char first = at(line, column);
        if (first == '{' || first == '[') {
            return flowCollection(column, pointer, depth);
        }
        if (first == '|' || first == '>') {
            return blockScalar(column, parentIndent);
        }
        Object value = scalar(line, column);
        line++;
        return value;
    }

    private int skipSpaces(int contentLine, int column) {
        while (at(contentLine, column) == ' ') {
            column++;
        }
        return column;
    }

    /** Whether the rest of the line from {@code column} is empty or a comment (after a space). */
    private boolean isCommentOrEnd(int contentLine, int column, int afterIndicator) {
        char c = at(contentLine, column);
        return c == '\n' || (c == '#' && column > afterIndicator);
    }

    /**
     * Where the key starting at {@code column} ends (the offset of its {@code :}), or -1 when
     * the line holds no key the fast path reads there.
     */
    private int keyEnd(int contentLine, int column) {
        int start = starts[contentLine] + column;
        int end = keyTextEnd(start);
        if (end < 0 || ch(end) != ':' || !isBlankOrEnd(ch(end + 1)) || end - start > MAX_KEY_LENGTH) {
            return -1;
        }
        return end - starts[contentLine];
    }

    /** Past a plain ({@code [A-Za-z0-9_][A-Za-z0-9_./-]*}) or one-line quoted key at {@code start}, or -1. */
    private int keyTextEnd(int start) {
        char first = ch(start);
        if (first == '"' || first == '\'') {
            return quotedEnd(start);
        }
        if (!isKeyStart(first)) {
            return -1;
        }
        int i = start + 1;
        while (isKeyPart(ch(i))) {
            i++;
        }
        return i;
    }

    private static boolean isKeyStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isKeyPart(char c) {
        return isKeyStart(c) || c == '-' || c == '.' || c == '/';
    }

    private String key(int contentLine, int column, int end) throws Decline {
        return keyText(starts[contentLine] + column, starts[contentLine] + end);
    }

    /**
     * The key's text. A plain key never is {@code <<}; a quoted one may be, and the full reader
     * takes any {@code <<} key for a merge key, so such a file goes the full way (found by
     * {@code FastYamlReaderFuzzTest}).
     */
    private String keyText(int start, int end) throws Decline {
        char first = ch(start);
        if (first == '"' || first == '\'') {
            String key = unquote(start, end);
            if (key.equals("<<")) {
                throw Decline.INSTANCE;
            }
            return key;
        }
        return text.substring(start, end);
    }

    /**
     * Past the closing quote of the quoted scalar at {@code start}, or -1 when it does not close
     * on its line. A backslash in double quotes escapes the next character.
     */
    private int quotedEnd(int start) {
        char quote = ch(start);
        int i = start + 1;
        while (true) {
            char c = ch(i);
            if (c == '\n') {
                return -1;
            }
            if (quote == '"' && c == '\\') {
                if (ch(i + 1) == '\n') {
                    return -1; // an escaped line break: a multi-line scalar
                }
                i += 2;
                continue;
            }
            if (c == quote) {
                if (quote == '\'' && ch(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
    }

    /** The value of the quoted scalar from {@code start} to {@code end} (past its closing quote). */
    private String unquote(int start, int end) throws Decline {
        String inner = text.substring(start + 1, end - 1);
        if (ch(start) == '\'') {
            return inner.indexOf('\'') < 0 ? inner : inner.replace("''", "'");
        }
        return inner.indexOf('\\') < 0 ? inner : unescape(inner);
    }

    /** SnakeYAML's double-quoted escapes; the rest (and lone surrogates) go the full way. */
    private static String unescape(String inner) throws Decline {
        StringBuilder out = new StringBuilder(inner.length());
        int i = 0;
        while (i < inner.length()) {
            char c = inner.charAt(i++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = inner.charAt(i++);
            switch (escape) {
                case '0' -> out.append('\0');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'v' -> out.append('\u000b');
                case 'f' -> out.append('\f');
                case 'r' -> out.append('\r');
                case 'e' -> out.append('\u001b');
                case ' ', '"', '\\' -> out.append(escape);
                case 'N' -> out.append('\u0085');
                case '_' -> out.append('\u00a0');
                case 'L' -> out.append('\u2028');
                case 'P' -> out.append('\u2029');
                case 'x', 'u', 'U' -> {
                    int digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
                    if (i + digits > inner.length()) {
                        throw Decline.INSTANCE;
                    }
                    int codePoint = 0;
                    for (int j = i; j < i + digits; j++) {
                        int digit = hexDigit(inner.charAt(j));
                        if (digit < 0) {
                            throw Decline.INSTANCE;
                        }
                        codePoint = codePoint * 16 + digit;
                        if (codePoint > Character.MAX_CODE_POINT) {
                            throw Decline.INSTANCE;
                        }
                    }
                    if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                        throw Decline.INSTANCE;
                    }
                    out.appendCodePoint(codePoint);
                    i += digits;
                }
                default -> throw Decline.INSTANCE;
            }
        }
        return out.toString();
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** A scalar that is the rest of the line from {@code column}, with an optional comment after it. */
    private Object scalar(int contentLine, int column) throws Decline {
        char first = at(contentLine, column);
        if (first == '"' || first == '\'') {
            int start = starts[contentLine] + column;
            int end = quotedEnd(start);
            if (end < 0) {
                throw Decline.INSTANCE;
            }
            int after = skipSpaces(contentLine, end - starts[contentLine]);
            if (!isCommentOrEnd(contentLine, after, end - starts[contentLine])) {
                throw Decline.INSTANCE;
            }
            return unquote(start, end);
        }
        if (INDICATORS.indexOf(first) >= 0) {
            if (first != '-' || !isKeyPart(at(contentLine, column + 1))) {
                throw Decline.INSTANCE; // an indicator: anchors, tags, aliases, complex keys ...
            }
        }
        int end = column;
        int length = ends[contentLine] - starts[contentLine];
        while (end < length) {
            char c = text.charAt(starts[contentLine] + end);
            if (c == '#' && text.charAt(starts[contentLine] + end - 1) == ' ') {
                break;
            }
            if (c == ':' && isBlankOrEnd(at(contentLine, end + 1))) {
                throw Decline.INSTANCE; // a key where a value belongs
            }
            end++;
        }
        while (text.charAt(starts[contentLine] + end - 1) == ' ') {
            end--;
        }
        return resolve(text.substring(starts[contentLine] + column, starts[contentLine] + end));
    }

    /**
     * A flow mapping or sequence starting at {@code column} of the current line, perhaps ending
     * on a later line, with nothing but a comment after it. Moves to the line after its end.
     */
    private Object flowCollection(int column, String pointer, int depth) throws Decline {
        cursor = starts[line] + column;
        cursorLine = rawLines[line];
        Object value = flowNode(pointer, depth);
        int after = cursor;
        while (ch(cursor) == ' ') {
            cursor++;
        }
        if (ch(cursor) != '\n' && !(ch(cursor) == '#' && cursor > after)) {
            throw Decline.INSTANCE; // "[a]: b" (a complex key), or something after the collection
        }
        while (line < lines && rawLines[line] <= cursorLine) {
            line++;
        }
        return value;
    }

    /** The node at the cursor inside a flow collection (or the collection itself). */
    private Object flowNode(String pointer, int depth) throws Decline {
        char first = ch(cursor);
        if (first == '{') {
            return flowMapping(pointer, depth);
        }
        if (first == '[') {
            return flowSequence(pointer, depth);
        }
        if (first == '"' || first == '\'') {
            int end = quotedEnd(cursor);
            if (end < 0) {
                throw Decline.INSTANCE;
            }
            String value = unquote(cursor, end);
            cursor = end;
            return value;
        }
        return flowPlainScalar();
    }

    private JSONObject flowMapping(String pointer, int depth) throws Decline {
        if (depth > maxDepth) {
            throw Decline.INSTANCE;
        }
        cursor++;
        JSONObject object = new JSONObject();
        while (true) {
            skipFlowSpace();
            if (ch(cursor) == '}') {
                cursor++;
                return object;
            }
            int keyStart = cursor;
            int keyEnd = keyTextEnd(keyStart);
            // "a: b" only: no implicit null values ("{a, b: 1}"), no "a:b", no long or empty keys
            if (keyEnd < 0 || ch(keyEnd) != ':' || ch(keyEnd + 1) != ' ' || keyEnd - keyStart > MAX_KEY_LENGTH) {
                throw Decline.INSTANCE;
            }
            String key = keyText(keyStart, keyEnd);
            if (key.equals("<<") || object.has(key)) {
                throw Decline.INSTANCE;
            }
            String childPointer = child(pointer, key);
            locateAtCursor(childPointer);
            cursor = keyEnd + 1;
            while (ch(cursor) == ' ') {
                cursor++;
            }
            if (",}#\n".indexOf(ch(cursor)) >= 0) {
                throw Decline.INSTANCE; // an empty value, or one on a later line
            }
            object.put(key, flowNode(childPointer, depth + 1));
            skipFlowSpace();
            char next = ch(cursor++);
            if (next == '}') {
                return object;
            }
            if (next != ',') {
                throw Decline.INSTANCE;
            }
        }
    }

    private JSONArray flowSequence(String pointer, int depth) throws Decline {
        if (depth > maxDepth) {
            throw Decline.INSTANCE;
        }
        cursor++;
        JSONArray array = new JSONArray();
        int index = 0;
        while (true) {
            skipFlowSpace();
            if (ch(cursor) == ']') {
                cursor++;
                return array;
            }
            String childPointer = child(pointer, index);
            locateAtCursor(childPointer);
            array.put(flowNode(childPointer, depth + 1));
            index++;
            skipFlowSpace();
            char next = ch(cursor++);
            if (next == ']') {
                return array;
            }
            if (next != ',') {
                throw Decline.INSTANCE; // "[a: b]" (a single-pair mapping), or an error
            }
        }
    }

    /**
     * A plain scalar inside a flow collection: it ends at {@code ,[]{}}, a comment or the end of
     * the line. SnakeYAML reads {@code :} inside it unlike YAML 1.2 and stops at {@code ?}, so
     * both go the full way.
     */
    private Object flowPlainScalar() throws Decline {
        int start = cursor;
        char first = ch(start);
        if (INDICATORS.indexOf(first) >= 0) {
            if (first != '-' || !isKeyPart(ch(start + 1))) {
                throw Decline.INSTANCE;
            }
        }
        int end = start;
        while (true) {
            char c = ch(end);
            if (c == '\n' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}'
                    || (c == '#' && text.charAt(end - 1) == ' ')) {
                break;
            }
            if (c == ':' || c == '?') {
                throw Decline.INSTANCE;
            }
            end++;
        }
        cursor = end;
        while (text.charAt(end - 1) == ' ') {
            end--;
        }
        return resolve(text.substring(start, end));
    }

    /** Past spaces, line breaks and comments between the tokens of a flow collection. */
    private void skipFlowSpace() throws Decline {
        while (true) {
            char c = ch(cursor);
            if (c == ' ') {
                cursor++;
            } else if (c == '\n') {
                cursor++;
                cursorLine++;
                if (cursor >= documentEnd) {
                    throw Decline.INSTANCE; // the collection does not close in its document
                }
            } else if (c == '#') {
                char before = text.charAt(cursor - 1);
                if (before != ' ' && before != '\n') {
                    throw Decline.INSTANCE; // SnakeYAML reads "[a,#b]" as a comment, YAML does not
                }
                cursor = rawEnds[cursorLine];
            } else {
                return;
            }
        }
    }

    private SourcePosition cursorPosition() {
        return new SourcePosition(cursorLine + 1, cursor - rawStarts[cursorLine] + 1);
    }

    /**
     * A literal ({@code |}) or folded ({@code >}) block scalar whose header is at {@code column}
     * of the current line, read as SnakeYAML's {@code ScannerImpl.scanBlockScalar} reads it:
     * the content's indentation is its first non-blank line's, which must exceed the parent's;
     * lines are kept or folded, and the final line breaks clipped, stripped or kept. Moves to
     * the first line after it.
     */
    private String blockScalar(int column, int parentIndent) throws Decline {
        if (parentIndent < 0) {
            throw Decline.INSTANCE; // a block scalar document
        }
        int header = starts[line] + column;
        boolean folded = ch(header) == '>';
        int i = header + 1;
        char chomping = ch(i);
        if (chomping == '-' || chomping == '+') {
            i++;
        } else {
            chomping = ' ';
        }
        int afterIndicators = i;
        while (ch(i) == ' ') {
            i++;
        }
        if (ch(i) != '\n' && !(ch(i) == '#' && i > afterIndicators)) {
            throw Decline.INSTANCE; // an indentation indicator, or something else after the header
        }
        // leading blank lines, and the first line with content, which sets the indentation
        int raw = rawLines[line] + 1;
        int breaks = 0;
        int widest = 0;
        while (true) {
            if (raw >= rawCount) {
                throw Decline.INSTANCE; // no content: an empty scalar
            }
            int spaces = leadingSpaces(raw);
            widest = Math.max(widest, spaces);
            if (rawStarts[raw] + spaces < rawEnds[raw]) {
                break;
            }
            if (rawEnds[raw] == text.length()) {
                throw Decline.INSTANCE;
            }
            breaks++;
            raw++;
        }
        int indent = Math.max(parentIndent + 1, widest);
        if (leadingSpaces(raw) != indent) {
            throw Decline.INSTANCE; // no content at the indentation SnakeYAML settles on
        }
        StringBuilder value = new StringBuilder();
        boolean lineBreak;
        while (true) {
            appendLineBreaks(value, breaks);
            breaks = 0;
            int from = rawStarts[raw] + indent;
            boolean leadingNonSpace = text.charAt(from) != ' ';
            value.append(text, from, rawEnds[raw]);
            lineBreak = rawEnds[raw] < text.length();
            raw++;
            if (!lineBreak) {
                break;
            }
            // blank lines (up to the indentation), then whether the next line continues the scalar
            boolean continues = false;
            while (raw < rawCount) {
                int consumed = Math.min(leadingSpaces(raw), indent);
                if (rawStarts[raw] + consumed < rawEnds[raw]) {
                    continues = consumed == indent;
                    break;
                }
                if (rawEnds[raw] == text.length()) {
                    break;
                }
                breaks++;
                raw++;
            }
            if (!continues) {
                break;
            }
            if (folded && leadingNonSpace && text.charAt(rawStarts[raw] + indent) != ' ') {
                if (breaks == 0) {
                    value.append(' ');
                }
            } else {
                value.append('\n');
            }
        }
        if (chomping != '-' && lineBreak) {
            value.append('\n');
        }
        if (chomping == '+') {
            appendLineBreaks(value, breaks);
        }
        while (line < lines && rawLines[line] < raw) {
            line++;
        }
        return value.toString();
    }

    private int leadingSpaces(int raw) {
        int i = rawStarts[raw];
        while (i < rawEnds[raw] && text.charAt(i) == ' ') {
            i++;
        }
        return i - rawStarts[raw];
    }

    private static void appendLineBreaks(StringBuilder value, int count) {
        for (int i = 0; i < count; i++) {
            value.append('\n');
        }
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
            // past a double's range the full reader keeps the text (as Go's yaml, which Helm uses)
            if (isPlainDecimal(value, true) && Double.isFinite(Double.parseDouble(value))) {
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
            if (value.length() <= RESOLVER_LIMIT && isPlainDecimal(value, true)) {
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
        return Tag.STR;
    }

    /** ASCII only: the resolver's expressions say [0-9], where Java's digits include other scripts'. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code 0}, {@code 12}, {@code -3} (or with a fraction, {@code 1.50}): no sign +, underscores or leading zeros. */
    private static boolean isPlainDecimal(String value, boolean fraction) {
        int i = value.startsWith("-") ? 1 : 0;
        int digits = i;
        while (digits < value.length() && isDigit(value.charAt(digits))) {
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
            if (!isDigit(value.charAt(j))) {
                return false;
            }
        }
        return true;
    }
}
