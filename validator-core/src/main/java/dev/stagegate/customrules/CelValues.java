package dev.stagegate.customrules;

import dev.cel.common.values.NullValue;
import dev.stagegate.yaml.YamlDocument;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * A YAML document's values (what {@link YamlDocument#root()} holds: {@code JSONObject},
 * {@code JSONArray}, String, Integer, Long, BigInteger, BigDecimal, Boolean,
 * {@code JSONObject.NULL}) as the values CEL works on: maps with string keys, lists, int
 * (Long), double, string, bool and null.
 *
 * <p>Mappings and sequences are read-only views converted as the expression reaches into them,
 * so a rule that reads two keys of a large document costs two look-ups, not a copy. An integer
 * beyond CEL's 64-bit int has no faithful CEL value (a double would round it and let a rule
 * pass on a number the file does not hold): reaching one is an evaluation error that names it.
 */
public final class CelValues {

    private CelValues() {
    }

    /** An integer in the document that CEL cannot hold. */
    static final class IntegerOutOfRangeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        IntegerOutOfRangeException(String pointer, BigInteger value) {
            super("the integer " + value + " at " + (pointer.isEmpty() ? "the document's root" : pointer)
                    + " is beyond CEL's 64-bit int range", null, false, false);
        }
    }

    /** The CEL value of a document's root (null, or absent, gives CEL's null). */
    public static Object of(Object yamlValue) {
        return convert(yamlValue, null, null);
    }

    /**
     * @param parent where the enclosing node is, null for the root; with {@code token}, where this one is
     * @param token  the key (a String) or index (an Integer) within the parent, or null for the root
     */
    static Object convert(Object value, Place parent, Object token) {
        if (value == null || value == JSONObject.NULL) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new IntegerOutOfRangeException(pointer(parent, token), big);
            }
            return big.longValue();
        }
        if (value instanceof BigDecimal || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof JSONObject object) {
            return new MappingView(object, new Place(parent, token));
        }
        if (value instanceof JSONArray array) {
            return new SequenceView(array, new Place(parent, token));
        }
        return String.valueOf(value);
    }

    private static String pointer(Place parent, Object token) {
        return new Place(parent, token).pointer();
    }

    /**
     * Where a node is in the document, spelt as a JSON pointer only when a message needs it: a
     * rule reads nested keys on every evaluation, and joining their pointers each time cost more.
     */
    private static final class Place {

        private final Place parent;
        private final Object token;

        Place(Place parent, Object token) {
            this.parent = parent;
            this.token = token;
        }

        /** The root's place has neither parent nor token. */
        String pointer() {
            if (token == null) {
                return "";
            }
            String parentPointer = parent == null ? "" : parent.pointer();
            return parentPointer + "/" + (token instanceof String key ? YamlDocument.escape(key) : token);
        }
    }

    private static final class MappingView extends AbstractMap<String, Object> {

        private final JSONObject object;
        private final Place place;

        MappingView(JSONObject object, Place place) {
            this.object = object;
            this.place = place;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name) || !object.has(name)) {
                return null;
            }
            return convert(object.opt(name), place, name);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && object.has(name);
        }

        @Override
        public int size() {
            return object.length();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<String> keys = object.keys();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return keys.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            String key = keys.next();
                            return new SimpleImmutableEntry<>(key, get(key));
                        }
                    };
                }

                @Override
                public int size() {
                    return object.length();
                }
            };
        }
    }

    private static final class SequenceView extends AbstractList<Object> {

        private final JSONArray array;
        private final Place place;

        SequenceView(JSONArray array, Place place) {
            this.array = array;
            this.place = place;
        }

        @Override
        public Object get(int index) {
            java.util.Objects.checkIndex(index, array.length());
            return convert(array.opt(index), place, index);
        }

        @Override
        public int size() {
            return array.length();
        }
    }

    /** For messages: the CEL type name of a value. */
    static String typeName(Object value) {
        if (value == null || value instanceof NullValue) {
            return "null";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof java.util.List) {
            return "list";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }
}
