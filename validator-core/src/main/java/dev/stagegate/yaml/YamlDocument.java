package dev.stagegate.yaml;

import dev.stagegate.report.SourcePosition;
import java.util.Map;

/**
 * One document of a YAML or JSON file, as the org.json values that the schema validator
 * checks, with the source position of every node addressed by JSON pointer.
 *
 * <p>A mapping entry's pointer maps to the position of its key, a sequence item's to the
 * item's first character, and the root pointer {@code ""} to the document's first token.
 * Nodes produced by alias expansion have no position of their own; {@link #positionOf}
 * answers with the nearest enclosing node that has one (the alias or {@code <<} key).
 *
 * @param root      a {@code JSONObject}, {@code JSONArray}, String, Number, Boolean or
 *                  {@code JSONObject.NULL}
 * @param positions JSON pointer (RFC 6901, without the leading {@code #}) to position
 */
public record YamlDocument(Object root, Map<String, SourcePosition> positions) {

    public YamlDocument {
        positions = Map.copyOf(positions);
    }

    /** The position of the node at {@code pointer}, or of its nearest located ancestor. */
    public SourcePosition positionOf(String pointer) {
        String current = pointer.startsWith("#") ? pointer.substring(1) : pointer;
        while (true) {
            SourcePosition position = positions.get(current);
            if (position != null) {
                return position;
            }
            if (current.isEmpty()) {
                return SourcePosition.START;
            }
            int slash = current.lastIndexOf('/');
            current = slash <= 0 ? "" : current.substring(0, slash);
        }
    }

    /** Escapes one reference token of a JSON pointer (RFC 6901). */
    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }
}
