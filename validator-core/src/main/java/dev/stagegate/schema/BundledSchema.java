package dev.stagegate.schema;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A schema shipped in the jar (such as {@code policy.schema.json}), compiled on first use and
 * then kept for the life of the JVM: the hook loads a policy per updated branch, and compiling
 * a schema costs far more than checking a file against it. A bundled schema that does not
 * load means a broken installation; callers report {@link #failure()} and fail closed.
 *
 * @param schema  the compiled schema, empty when it did not load
 * @param failure why it did not load, empty when it did
 */
public record BundledSchema(Optional<CompiledSchema> schema, Optional<String> failure) {

    private static final ConcurrentMap<String, BundledSchema> LOADED = new ConcurrentHashMap<>();

    /** The bundled schema of that file name, compiled once. */
    public static BundledSchema named(String name) {
        return LOADED.computeIfAbsent(name, BundledSchema::compile);
    }

    private static BundledSchema compile(String name) {
        try {
            return new BundledSchema(Optional.of(new SchemaValidator(SchemaSource.bundled()).load(name)),
                    Optional.empty());
        } catch (SchemaLoadException | RuntimeException e) {
            return new BundledSchema(Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
        }
    }
}
