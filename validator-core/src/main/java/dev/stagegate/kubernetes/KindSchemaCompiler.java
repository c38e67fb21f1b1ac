package dev.stagegate.kubernetes;

import dev.stagegate.Sha256;
import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaLoadException;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.schema.SchemaValidator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the schema of a kind once per content, not per path: kubeconform's directories hold
 * the same schema under several names, every Deployment of a run shares one compiled schema,
 * and in a process that remembers ({@link ProcessMemory}: the resident hook server) the next
 * push reuses it while the file's content is unchanged. A schema that {@code $ref}s other files
 * is keyed by its content only within one run, since the files it refers to may change.
 */
final class KindSchemaCompiler {

    /** Generated Kubernetes schemas are large (a Deployment compiles from 640 KB): a dozen kinds, a few versions. */
    private static final BoundedMemo<String, CompiledSchema> REMEMBERED = new BoundedMemo<>(64);

    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    /** The outcome of one compilation: a schema, or why there is none. */
    private record Compiled(CompiledSchema schema, String failure) {
    }

    /**
     * @param content the schema file's bytes
     * @param path    where it is, for messages and for resolving its {@code $ref}s
     * @param refs    reads the files its {@code $ref}s name
     */
    CompiledSchema compile(byte[] content, String path, SchemaSource refs) throws SchemaLoadException {
        String key = Sha256.hex(content);
        Compiled result = compiled.computeIfAbsent(key, ignored -> compileOnce(key, content, path, refs));
        if (result.schema() == null) {
            throw new SchemaLoadException(result.failure());
        }
        return result.schema();
    }

    private static Compiled compileOnce(String key, byte[] content, String path, SchemaSource refs) {
        boolean remembering = ProcessMemory.enabled();
        if (remembering) {
            CompiledSchema remembered = REMEMBERED.get(key).orElse(null);
            if (remembered != null) {
                return new Compiled(remembered, null);
            }
        }
        AtomicBoolean readOthers = new AtomicBoolean();
        String root = path.startsWith("/") ? path.substring(1) : path;
        SchemaSource source = read -> {
            if (read.equals(root)) {
                return content;
            }
            readOthers.set(true);
            return refs.read(read);
        };
        try {
            CompiledSchema schema = new SchemaValidator(source).load(root);
            if (remembering && !readOthers.get()) {
                REMEMBERED.put(key, schema);
            }
            return new Compiled(schema, null);
        } catch (SchemaLoadException e) {
            return new Compiled(null, e.getMessage());
        }
    }
}
