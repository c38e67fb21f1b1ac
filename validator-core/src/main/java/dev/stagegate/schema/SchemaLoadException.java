package dev.stagegate.schema;

/**
 * A schema that cannot be used: the file is missing or not JSON/YAML, it declares a draft
 * stagegate cannot check, or a {@code $ref} cannot be resolved within the revision. The message
 * names the schema file and says what is wrong.
 */
public final class SchemaLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public SchemaLoadException(String message) {
        super(message);
    }
}
