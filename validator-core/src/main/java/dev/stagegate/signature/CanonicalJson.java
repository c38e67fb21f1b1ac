package dev.stagegate.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 8785 (JCS) canonical JSON: object members sorted by their names' UTF-16 code units, no
 * whitespace, strings escaped as ECMAScript's JSON.stringify escapes them. Numbers are limited to
 * integers of at most 2^53 in magnitude, which JCS writes as plain digits; a fraction or exponent would
 * need ECMAScript's double formatting, and stagegate's records hold none, so such a number is refused
 * rather than approximated.
 */
public final class CanonicalJson {

    /** The member that carries a record's signature; it is not part of what is signed. */
    public static final String SIGNATURE_MEMBER = "signature";

    private static final BigInteger MAX_EXACT_INTEGER = BigInteger.TWO.pow(53);
    private static final int MAX_DEPTH = 1000;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {
    }

    /**
     * The signed payload of a record line: the line's JSON object without its "signature" member, as JCS, UTF-8.
     *
     * @throws IllegalArgumentException when the line is not one JSON object, has duplicate members, or holds a
     *         number JCS cannot represent exactly
     */
    public static byte[] signedPayload(String jsonLine) {
        ObjectNode record = readObject(jsonLine);
        record.remove(SIGNATURE_MEMBER);
        return canonicalize(record).getBytes(StandardCharsets.UTF_8);
    }

    /** JCS of any Jackson tree. @throws IllegalArgumentException for what JCS cannot represent exactly */
    public static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, 0);
        return out.toString();
    }

    /** @throws IllegalArgumentException when the line is not exactly one JSON object without duplicate members */
    static ObjectNode readObject(String jsonLine) {
        if (jsonLine == null) {
            throw new IllegalArgumentException("there is no record");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(jsonLine);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the record is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the record is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void write(JsonNode node, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the JSON is nested more than " + MAX_DEPTH + " levels deep");
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                // String.compareTo compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 asks for.
                names.sort(String::compareTo);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out, depth + 1);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out, depth + 1);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("a " + node.getNodeType() + " node has no JSON form");
        }
    }

    private static void writeNumber(JsonNode node, StringBuilder out) {
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("the number " + node.asText() + " is not an integer; signed records"
                    + " hold only integers, which JCS writes exactly");
        }
        BigInteger value = node.bigIntegerValue();
        if (value.abs().compareTo(MAX_EXACT_INTEGER) > 0) {
            throw new IllegalArgumentException("the number " + value + " is beyond 2^53, which JCS cannot write exactly");
        }
        out.append(value);
    }

    /** RFC 8785 section 3.2.2.2: the short escapes, \\u00xx for other control characters, everything else as is. */
    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    out.append(c).append(text.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException(String.format("a string holds a lone UTF-16 surrogate (\\u%04x),"
                        + " which is not Unicode text", (int) c));
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
