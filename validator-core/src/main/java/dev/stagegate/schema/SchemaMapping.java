package dev.stagegate.schema;

import dev.stagegate.report.SourcePosition;
import java.util.Objects;

/**
 * One entry of the policy's {@code schemas} list.
 *
 * @param files   glob of the repository files to check (git wildmatch, see {@code PathGlob})
 * @param schema  repository-relative path of the JSON Schema, read from the same revision
 * @param filesAt where the policy file gives {@code files}, for findings about the mapping itself
 * @param schemaAt where the policy file gives {@code schema}
 */
public record SchemaMapping(String files, String schema, SourcePosition filesAt, SourcePosition schemaAt) {

    public SchemaMapping {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(filesAt, "filesAt");
        Objects.requireNonNull(schemaAt, "schemaAt");
    }

    /** A mapping not read from a policy file: its findings point at the file's start. */
    public SchemaMapping(String files, String schema) {
        this(files, schema, SourcePosition.START, SourcePosition.START);
    }
}
