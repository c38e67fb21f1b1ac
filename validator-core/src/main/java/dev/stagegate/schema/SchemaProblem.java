package dev.stagegate.schema;

import dev.stagegate.report.SourcePosition;
import java.util.Objects;

/**
 * One way a document fails its schema.
 *
 * @param pointer  JSON pointer (RFC 6901, without {@code #}) of the offending instance node;
 *                 {@code ""} for the whole document
 * @param position where the problem is in the file: the offending key or item, for a missing
 *                 property the key of the mapping that lacks it
 * @param message  what is wrong, naming the property, e.g. {@code replicas: expected integer, found string}
 */
public record SchemaProblem(String pointer, SourcePosition position, String message) {

    public SchemaProblem {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
    }
}
