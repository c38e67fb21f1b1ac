package dev.stagegate.signature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) canonical JSON: object members sorted by their names' UTF-16 code units, no
 * whitespace, strings escaped as ECMAScript's JSON.stringify escapes them. Numbers are limited to
 * integers of at most 2^53 in magnitude, which JCS writes as plain digits; a fraction or exponent would
 * need ECMAScript's double formatting, and stagegate's records hold none, so such a number is refused
 * rather than approximated.
 *
 * <p>Read with Jackson's streaming parser, which reading records already loads, into plain maps
 * and lists: a hook that checks one signature must not pay for the data-binding layer.
 */
public final class CanonicalJson {

    /** The member that carries a record's signature; it is not part of what is signed. */
    public static final String SIGNATURE_MEMBER = "signature";

    private static final BigInteger MAX_EXACT_INTEGER = BigInteger.TWO.pow(53);
    private static final int MAX_DEPTH = 1000;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** JSON's null, as a value of the maps and lists this class reads. */
    private static final Object NULL = new Object();

    private CanonicalJson() {
    }

    /**
     * The signed payload of a record line: the line's JSON object without its "signature" member, as JCS, UTF-8.
     *
     * @throws IllegalArgumentException when the line is not one JSON object, has duplicate members, or holds a
     *         number JCS cannot represent exactly
     */
    public static byte[] signedPayload(String jsonLine) {
        Map<String, Object> record = readObject(jsonLine);
        record.remove(SIGNATURE_MEMBER);
        StringBuilder out = new StringBuilder();
        write(record, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** JCS of one JSON text of any kind. @throws IllegalArgumentException for what JCS cannot represent exactly */
    public static String canonicalize(String json) {
        StringBuilder out = new StringBuilder();
        write(read(json), out);
        return out.toString();
    }

    /**
     * The members of a line that holds exactly one JSON object, in the line's order.
     *
     * @throws IllegalArgumentException when it does not, or a member is there twice
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String jsonLine) {
        Object value = read(jsonLine);
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the record is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static Object read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("there is no record");
        }
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("the record is not a JSON object");
            }
            Object value = value(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("the record is not valid JSON: more than one value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the record is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException("the record cannot be read: " + e.getMessage());
        }
    }

    private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the JSON is nested more than " + MAX_DEPTH + " levels deep");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    String name = parser.currentName();
                    members.put(name, value(parser, parser.nextToken(), depth + 1));
                }
                yield members;
            }
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    items.add(value(parser, next, depth + 1));
                }
                yield items;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> exactInteger(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> throw new IllegalArgumentException("the number " + parser.getText()
                    + " is not an integer; signed records hold only integers, which JCS writes exactly");
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> NULL;
            default -> throw new IllegalArgumentException("the record is not valid JSON: unexpected " + token);
        };
    }

    private static BigInteger exactInteger(BigInteger value) {
        if (value.abs().compareTo(MAX_EXACT_INTEGER) > 0) {
            throw new IllegalArgumentException("the number " + value + " is beyond 2^53, which JCS cannot write exactly");
        }
        return value;
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> members) {
            List<String> names = new ArrayList<>();
            members.keySet().forEach(name -> names.add((String) name));
            // String.compareTo compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 asks for.
            names.sort(String::compareTo);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(names.get(i), out);
                out.append(':');
                write(members.get(names.get(i)), out);
            }
            out.append('}');
        } else if (value instanceof List<?> items) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(items.get(i), out);
            }
            out.append(']');
        } else if (value instanceof String text) {
            writeString(text, out);
        } else if (value == NULL) {
            out.append("null");
        } else {
            out.append(value);
        }
    }

    /** RFC 8785 section 3.2.2.2: the short escapes, \\u00xx for other control characters, everything else as is. */
    static void writeString(String text, StringBuilder out) {
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
