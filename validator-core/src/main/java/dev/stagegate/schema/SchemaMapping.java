package dev.stagegate.schema;

import java.util.Objects;

/**
 * One entry of the policy's {@code schemas} list.
 *
 * @param files  glob of the repository files to check (git wildmatch, see {@code PathGlob})
 * @param schema repository-relative path of the JSON Schema, read from the same revision
 */
public record SchemaMapping(String files, String schema) {

    public SchemaMapping {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(schema, "schema");
    }
}
