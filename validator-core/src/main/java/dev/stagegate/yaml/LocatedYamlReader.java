package dev.stagegate.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.stagegate.report.SourcePosition;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML (every document of a multi-document stream) and JSON into {@link YamlDocument}s,
 * keeping the line and column of every node.
 *
 * <p>Anchors, aliases and {@code <<} merge keys are expanded, so the schema sees what Argo CD
 * and Helm see. Aliased subtrees are shared, not copied, but every node an alias or merge
 * produces counts against {@link YamlLimits#maxAliasNodes()}, which stops alias bombs before
 * they reach the validator. Duplicate keys are errors, as they are for the Kubernetes API.
 */
public final class LocatedYamlReader {

    private static final String MERGE_KEY = "<<";
    private static final Pattern YAML_INFINITY_OR_NAN =
            Pattern.compile("[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

    private final YamlLimits limits;
    private final YAMLFactory yamlFactory;
    private final JsonFactory jsonFactory;

    public LocatedYamlReader(YamlLimits limits) {
        this(limits, false);
    }

    /**
     * @param booleanWordsAsStrings read unquoted {@code yes}, {@code no}, {@code on} and
     *                              {@code off} as strings (YAML 1.2), not booleans (YAML 1.1,
     *                              as Helm and kubectl read values files); stagegate's own files
     *                              use 1.2, so {@code freeze-window: off} means "off"
     */
    public LocatedYamlReader(YamlLimits limits, boolean booleanWordsAsStrings) {
        this.limits = limits;
        // Our own checks give the clear messages; the parser's bounds sit just above them
        // and only guard what our checks cannot see.
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth() + 1)
                .maxDocumentLength(limits.maxBytes() + 1)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxBytes() + 1))
                .build();
        LoaderOptions loaderOptions = new LoaderOptions();
        loaderOptions.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes() + 1));
        loaderOptions.setNestingDepthLimit(limits.maxDepth() + 1);
        loaderOptions.setAllowDuplicateKeys(true);
        YAMLFactory yaml = YAMLFactory.builder()
                .loaderOptions(loaderOptions)
                .streamReadConstraints(constraints)
                .build();
        if (booleanWordsAsStrings) {
            yaml.enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS);
        }
        this.yamlFactory = yaml;
        this.jsonFactory = JsonFactory.builder().streamReadConstraints(constraints).build();
    }

    public LocatedYamlReader() {
        this(YamlLimits.DEFAULTS);
    }

    /** Whether {@code path} is read as JSON rather than YAML. */
    public static boolean isJson(String path) {
        return path.endsWith(".json");
    }

    /**
     * Every document in {@code content}; an empty file (or one with only comments) has none.
     *
     * @throws YamlReadException when the content is not valid YAML/JSON, not UTF-8, binary,
     *                           or breaks one of the limits
     */
    public List<YamlDocument> read(byte[] content, String path) throws YamlReadException {
        return read(content, path, true);
    }

    /**
     * As {@link #read}, for when only the values are wanted (a file's old version, which rules
     * compare with): a document the fast path reads has no positions ({@link YamlDocument#positionOf}
     * answers the start of the file), and costs less to read; any other still has them.
     */
    public List<YamlDocument> readValues(byte[] content, String path) throws YamlReadException {
        return read(content, path, false);
    }

    /** The fast path for simple YAML, with or without positions, and the full reader for the rest. */
    private List<YamlDocument> read(byte[] content, String path, boolean located) throws YamlReadException {
        if (content.length > limits.maxBytes()) {
            throw new YamlReadException("file is " + content.length + " bytes, more than the limit of "
                    + limits.maxBytes() + " bytes", SourcePosition.START);
        }
        if (!isJson(path)) {
            List<YamlDocument> simple = located ? FastYamlReader.read(content, limits.maxDepth())
                    : FastYamlReader.readValues(content, limits.maxDepth());
            if (simple != null) {
                return simple;
            }
        }
        return readFully(content, path);
    }

    /** {@link #read} without the fast path for simple YAML: what the fast path must agree with. */
    List<YamlDocument> readFully(byte[] content, String path) throws YamlReadException {
        if (content.length > limits.maxBytes()) {
            throw new YamlReadException("file is " + content.length + " bytes, more than the limit of "
                    + limits.maxBytes() + " bytes", SourcePosition.START);
        }
        String text = decodeUtf8(content);
        try (JsonParser parser = isJson(path)
                ? jsonFactory.createParser(text)
                : yamlFactory.createParser(text)) {
            return new TreeBuilder(parser, text).documents();
        } catch (JsonProcessingException e) {
            throw describe(e);
        } catch (IOException e) {
            throw new YamlReadException("cannot read: " + e.getMessage(), SourcePosition.START);
        } catch (RuntimeException e) {
            // SnakeYAML reports some scanner errors as unchecked exceptions.
            throw new YamlReadException("not valid YAML: " + firstLine(e.getMessage()), SourcePosition.START);
        }
    }

    private static String decodeUtf8(byte[] content) throws YamlReadException {
        int line = 1;
        int column = 1;
        for (byte b : content) {
            if (b == 0) {
                throw new YamlReadException("binary file (contains NUL bytes), not YAML or JSON",
                        new SourcePosition(line, column));
            }
            if (b == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new YamlReadException("not valid UTF-8", firstInvalidUtf8(content));
        }
    }

    private static SourcePosition firstInvalidUtf8(byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int line = 1;
        int lineStart = 0;
        int validEnd = 0;
        ByteBuffer in = ByteBuffer.wrap(content);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(content.length + 1);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            validEnd = in.position();
        }
        for (int i = 0; i < validEnd; i++) {
            if (content[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String linePrefix = new String(content, lineStart, validEnd - lineStart, StandardCharsets.UTF_8);
        return new SourcePosition(line, linePrefix.codePointCount(0, linePrefix.length()) + 1);
    }

    /** Jackson's "[Source: REDACTED (...); line: 1, column: 1]": only the line and column mean anything here. */
    private static final Pattern JACKSON_SOURCE =
            Pattern.compile("\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]");

    private static final Pattern SNAKE_MARK =
            Pattern.compile("^\\s*in '[^']*', line (\\d+), column (\\d+):?\\s*$");

    /**
     * SnakeYAML's messages span several lines with a source excerpt and a caret; keep the
     * words ("while parsing a flow node: expected the node content, but found '}'") and
     * the position of the problem, which is the last mark it names.
     */
    private static YamlReadException describe(JsonProcessingException e) {
        String kind = e.getProcessor() instanceof YAMLParser ? "YAML" : "JSON";
        String original = e.getOriginalMessage();
        if (original == null || original.isBlank()) {
            return new YamlReadException("not valid " + kind, positionOf(e.getLocation()));
        }
        List<String> words = new ArrayList<>();
        SourcePosition problem = null;
        String[] lines = original.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher mark = SNAKE_MARK.matcher(lines[i]);
            if (mark.matches()) {
                problem = new SourcePosition(Integer.parseInt(mark.group(1)), Integer.parseInt(mark.group(2)));
                i += 2; // the excerpt line and the caret line
            } else if (!lines[i].isBlank()) {
                words.add(lines[i].strip());
            }
        }
        String message = words.isEmpty() ? "syntax error" : String.join(": ", words);
        if (kind.equals("JSON")) {
            message = JACKSON_SOURCE.matcher(firstLine(original)).replaceAll("line $1, column $2");
        }
        return new YamlReadException("not valid " + kind + ": " + message,
                problem != null ? problem : positionOf(e.getLocation()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    static SourcePosition positionOf(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return SourcePosition.START;
        }
        return new SourcePosition(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    /** Turns the parser's token stream into org.json values while tracking positions. */
    private final class TreeBuilder {

        private final JsonParser parser;
        private final String text;
        private final YAMLParser yaml;
        private final Map<String, Anchored> anchors = new HashMap<>();
        private final IdentityHashMap<Object, Long> sizes = new IdentityHashMap<>();
        private long aliasNodes;
        private Map<String, SourcePosition> positions;

        TreeBuilder(JsonParser parser, String text) {
            this.parser = parser;
            this.text = text;
            this.yaml = parser instanceof YAMLParser y ? y : null;
        }

        List<YamlDocument> documents() throws IOException, YamlReadException {
            List<YamlDocument> documents = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (isEmptyDocument(token)) {
                    continue;
                }
                if (yaml == null && !documents.isEmpty()) {
                    // Jackson reads whitespace-separated JSON values as a stream; a JSON file holds one.
                    throw new YamlReadException("not valid JSON: more than one top-level value", position());
                }
                // An anchor belongs to its document, as YAML and every Kubernetes tool read it.
                anchors.clear();
                positions = new HashMap<>();
                positions.put("", position());
                Object root = value(token, "", 1);
                documents.add(new YamlDocument(root, positions));
            }
            return documents;
        }

        /**
         * A YAML document with no content ({@code ---} followed by {@code ---}, or a trailing
         * separator, common in Kubernetes manifests) reads as an empty plain scalar; it holds
         * nothing to validate, unlike an explicit {@code ""}.
         */
        private boolean isEmptyDocument(JsonToken token) throws IOException {
            if (yaml == null || token != JsonToken.VALUE_STRING || !parser.getText().isEmpty()
                    || yaml.isCurrentAlias()) {
                return false;
            }
            long offset = parser.currentTokenLocation().getCharOffset();
            if (offset < 0 || offset >= text.length()) {
                return true;
            }
            char first = text.charAt((int) offset);
            return first != '"' && first != '\'';
        }

        private SourcePosition position() {
            return positionOf(parser.currentTokenLocation());
        }

        private Object value(JsonToken token, String pointer, int depth) throws IOException, YamlReadException {
            if (yaml != null && yaml.isCurrentAlias()) {
                return alias(parser.getText(), pointer);
            }
            String anchor = yaml == null ? null : yaml.getCurrentAnchor();
            if (anchor == null && yaml != null && token.isScalarValue()) {
                anchor = scalarAnchor();
            }
            Object value;
            switch (token) {
                case START_OBJECT -> value = mapping(pointer, depth);
                case START_ARRAY -> value = sequence(pointer, depth);
                case VALUE_STRING -> value = parser.getText();
                case VALUE_NUMBER_INT -> value = parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> value = floatValue();
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = JSONObject.NULL;
                case VALUE_EMBEDDED_OBJECT -> value = String.valueOf(parser.getEmbeddedObject());
                default -> throw new YamlReadException("unexpected " + token, position());
            }
            if (anchor != null) {
                anchors.put(anchor, new Anchored(value, sizeOf(value)));
            }
            return value;
        }

        /**
         * Jackson reports anchors of mappings and sequences but not of scalar values
         * (jackson-dataformats-text#6), so {@code port: &p 80} is read from the source: the
         * token starts at the node's properties, an anchor and a tag in either order.
         */
        private String scalarAnchor() {
            long offset = parser.currentTokenLocation().getCharOffset();
            int i = offset < 0 ? text.length() : (int) offset;
            while (i < text.length() && (text.charAt(i) == '&' || text.charAt(i) == '!')) {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && ",[]{}".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                if (text.charAt(start) == '&') {
                    return text.substring(start + 1, i);
                }
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
            }
            return null;
        }

        private Object floatValue() throws IOException {
            if (yaml != null && YAML_INFINITY_OR_NAN.matcher(parser.getText()).matches()) {
                // Jackson cannot convert these; the schema sees YAML's spelling as a string.
                return parser.getText();
            }
            double d = parser.getDoubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                // JSON has no NaN or infinity; the schema sees YAML's spelling as a string.
                return parser.getText();
            }
            if (yaml != null) {
                return new BigDecimal(parser.getText().replace("_", ""));
            }
            return parser.getDecimalValue();
        }

        private Object alias(String name, String pointer) throws YamlReadException {
            Anchored anchored = anchors.get(name);
            if (anchored == null) {
                throw new YamlReadException("alias *" + name + " refers to no anchor defined before it",
                        position());
            }
            countAliasNodes(anchored.size());
            positions.put(pointer, position());
            return anchored.value();
        }

        private void countAliasNodes(long count) throws YamlReadException {
            aliasNodes += count;
            if (aliasNodes > limits.maxAliasNodes()) {
                throw new YamlReadException("aliases and merge keys expand to more than "
                        + limits.maxAliasNodes() + " nodes (an alias bomb?)", position());
            }
        }

        private void checkDepth(int depth) throws YamlReadException {
            if (depth > limits.maxDepth()) {
                throw new YamlReadException("nested more than " + limits.maxDepth() + " levels deep", position());
            }
        }

        private JSONObject mapping(String pointer, int depth) throws IOException, YamlReadException {
            checkDepth(depth);
            Map<String, Object> entries = new LinkedHashMap<>();
            Map<String, SourcePosition> keyPositions = new HashMap<>();
            List<Object> mergeSources = new ArrayList<>();
            SourcePosition mergePosition = null;
            long size = 1;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) {
                    throw new YamlReadException("expected a key, found " + token, position());
                }
                String key = parser.currentName();
                SourcePosition keyPosition = position();
                JsonToken valueToken = parser.nextToken();
                if (MERGE_KEY.equals(key) && yaml != null) {
                    if (mergePosition != null) {
                        throw duplicateKey(key, mergePosition, keyPosition);
                    }
                    mergePosition = keyPosition;
                    Object source = value(valueToken, pointer + "/" + YamlDocument.escape(key), depth + 1);
                    positions.remove(pointer + "/" + YamlDocument.escape(key));
                    mergeSources.add(source);
                    continue;
                }
                SourcePosition first = keyPositions.get(key);
                if (first != null) {
                    throw duplicateKey(key, first, keyPosition);
                }
                keyPositions.put(key, keyPosition);
                String childPointer = pointer + "/" + YamlDocument.escape(key);
                positions.put(childPointer, keyPosition);
                Object child = value(valueToken, childPointer, depth + 1);
                size += sizeOf(child);
                entries.put(key, child);
            }
            size += merge(entries, mergeSources, pointer, mergePosition);
            JSONObject object = new JSONObject();
            for (Map.Entry<String, Object> entry : entries.entrySet()) {
                object.put(entry.getKey(), entry.getValue());
            }
            sizes.put(object, size);
            return object;
        }

        /** YAML merge keys: entries of the sources fill in keys the mapping does not set itself. */
        private long merge(Map<String, Object> entries, List<Object> sources, String pointer,
                SourcePosition mergePosition) throws YamlReadException {
            long added = 0;
            for (Object source : sources) {
                List<Object> mappings = source instanceof JSONArray array ? arrayItems(array) : List.of(source);
                for (Object mapping : mappings) {
                    if (!(mapping instanceof JSONObject object)) {
                        throw new YamlReadException("a << merge key needs a mapping or a list of mappings",
                                mergePosition);
                    }
                    for (String key : object.keySet()) {
                        if (!entries.containsKey(key)) {
                            Object value = object.get(key);
                            long size = sizeOf(value);
                            countAliasNodes(size);
                            added += size;
                            entries.put(key, value);
                            positions.put(pointer + "/" + YamlDocument.escape(key), mergePosition);
                        }
                    }
                }
            }
            return added;
        }

        private List<Object> arrayItems(JSONArray array) {
            List<Object> items = new ArrayList<>(array.length());
            for (int i = 0; i < array.length(); i++) {
                items.add(array.get(i));
            }
            return items;
        }

        private YamlReadException duplicateKey(String key, SourcePosition first, SourcePosition second) {
            return new YamlReadException("duplicate key '" + printable(key) + "' (first defined at line "
                    + first.line() + ", column " + first.column() + ")", second);
        }

        /** A key as a double-quoted scalar would escape it: a message is one line, whatever the key holds. */
        private static String printable(String key) {
            StringBuilder out = new StringBuilder(key.length());
            key.codePoints().forEach(c -> {
                if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.toString();
        }

        private JSONArray sequence(String pointer, int depth) throws IOException, YamlReadException {
            checkDepth(depth);
            JSONArray array = new JSONArray();
            long size = 1;
            int index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                String childPointer = pointer + "/" + index;
                positions.put(childPointer, position());
                Object child = value(token, childPointer, depth + 1);
                size += sizeOf(child);
                array.put(child);
                index++;
            }
            sizes.put(array, size);
            return array;
        }

        private long sizeOf(Object value) {
            Long size = sizes.get(value);
            return size == null ? 1 : size;
        }
    }

    private record Anchored(Object value, long size) {
    }
}
