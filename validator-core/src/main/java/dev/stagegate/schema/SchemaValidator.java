package dev.stagegate.schema;

import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.memo.ProcessMemory;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.everit.json.schema.Schema;
import org.everit.json.schema.SchemaException;
import org.everit.json.schema.Validator;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;

/**
 * Loads JSON Schemas (draft-07; draft-04 and -06 when they declare it) from one revision
 * through Everit, {@code $ref}s included, and keeps each compiled schema for the next file.
 * Safe to share between threads.
 */
public final class SchemaValidator {

    /*
     * Everit's default validator reports every violation (failEarly is off) and checks the
     * formats of the schema's draft (date-time, email, uri, ...); readOnly/writeOnly need a
     * ReadWriteContext, which does not apply to files at rest, so none is set.
     */
    private static final Validator VALIDATOR = Validator.builder().build();

    private final SchemaSource source;
    private final ConcurrentMap<String, Loaded> cache = new ConcurrentHashMap<>();

    public SchemaValidator(SchemaSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Loads and compiles the schema at schemaPath (repository-relative), caching by path. */
    public CompiledSchema load(String schemaPath) throws SchemaLoadException {
        String path = RepositoryPath.normalize(schemaPath).orElseThrow(() -> new SchemaLoadException(
                "schema path '" + schemaPath + "' is not a file inside the repository"));
        return cache.computeIfAbsent(path, this::compile).schema();
    }

    /** A failure is kept too: a broken schema mapped to 10,000 files is read once, not 10,000 times. */
    private Loaded compile(String path) {
        boolean remembering = ProcessMemory.enabled();
        if (remembering) {
            Optional<CompiledSchema> remembered = RememberedSchemas.find(path, source);
            if (remembered.isPresent()) {
                return new Loaded(remembered.get(), null);
            }
        }
        try {
            if (!remembering) {
                return new Loaded(compileOrThrow(path, source), null);
            }
            Map<String, byte[]> read = new ConcurrentHashMap<>();
            CompiledSchema compiled = compileOrThrow(path, schemaPath -> {
                byte[] content = source.read(schemaPath);
                read.put(schemaPath, content);
                return content;
            });
            return new Loaded(RememberedSchemas.remember(path, read, compiled), null);
        } catch (SchemaLoadException e) {
            return new Loaded(null, e.getMessage());
        }
    }

    private CompiledSchema compileOrThrow(String path, SchemaSource documents) throws SchemaLoadException {
        RepositorySchemaClient client = new RepositorySchemaClient(documents, new LocatedYamlReader(), path);
        JSONObject root = client.rootSchema();
        Schema schema;
        try {
            schema = SchemaLoader.builder()
                    .schemaClient(client)
                    .resolutionScope(RepositorySchemaClient.uriOf(path))
                    .schemaJson(root)
                    .draftV7Support()
                    .build()
                    .load()
                    .build();
        } catch (RepositorySchemaClient.SchemaFileFailure e) {
            throw e.reason();
        } catch (SchemaException e) {
            throw new SchemaLoadException(path + " is not a valid schema: "
                    + RepositorySchemaClient.withRepositoryPaths(e.getMessage()));
        } catch (RuntimeException e) {
            // Everit lets some problems through raw, such as a pattern that is no regex.
            throw new SchemaLoadException(path + " is not a valid schema: "
                    + RepositorySchemaClient.withRepositoryPaths(firstLine(e)));
        } catch (StackOverflowError e) {
            throw new SchemaLoadException(path + " is nested too deeply to load");
        }
        String cycle = ReferenceCycle.find(schema).orElse(null);
        if (cycle != null) {
            throw new SchemaLoadException(path + " has a $ref cycle that never reaches a value to check: "
                    + RepositorySchemaClient.withRepositoryPaths(cycle));
        }
        return new CompiledEveritSchema(schema, VALIDATOR);
    }

    private static String firstLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).strip();
    }

    private record Loaded(CompiledSchema compiled, String failure) {

        CompiledSchema schema() throws SchemaLoadException {
            if (compiled == null) {
                throw new SchemaLoadException(failure);
            }
            return compiled;
        }
    }
}
