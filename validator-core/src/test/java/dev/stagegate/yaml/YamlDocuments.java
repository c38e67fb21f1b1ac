package dev.stagegate.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.json.JSONArray;
import org.json.JSONObject;

/** Documents as text, for tests that compare two ways of reading the same YAML. */
final class YamlDocuments {

    private YamlDocuments() {
    }

    /** Values with their Java types, in document order, and every position. */
    static String describe(List<YamlDocument> documents) {
        List<String> out = new ArrayList<>();
        for (YamlDocument document : documents) {
            out.add(value(document.root()) + " @ " + new TreeMap<>(document.positions()));
        }
        return String.join("\n", out);
    }

    /** The values alone, with their Java types, in document order: what {@code readValues} must agree on. */
    static String describeValues(List<YamlDocument> documents) {
        List<String> out = new ArrayList<>();
        for (YamlDocument document : documents) {
            out.add(value(document.root()));
        }
        return String.join("\n", out);
    }

    private static String value(Object value) {
        if (value instanceof JSONObject object) {
            StringBuilder out = new StringBuilder("{");
            // org.json keeps a HashMap: the order its iteration yields is part of what must agree
            for (String key : object.keySet()) {
                out.append(key).append('=').append(value(object.get(key))).append(", ");
            }
            return out.append('}').toString();
        }
        if (value instanceof JSONArray array) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : array) {
                out.append(value(item)).append(", ");
            }
            return out.append(']').toString();
        }
        return value.getClass().getSimpleName() + ":" + value;
    }
}
