package dev.stagegate.bench;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaLoadException;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * YAML reading with locations ({@link LocatedYamlReader}) and JSON Schema validation
 * ({@link SchemaValidator}, Everit) of one application values file, the work done per changed
 * file by a push and per file by {@code validate}; and loading the schema, done once per run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class YamlSchemaBenchmark {

    private static final String SCHEMA_PATH = "schemas/app-values.schema.json";
    private static final String FILE_PATH = "apps/team-00/app-0042/values.yaml";

    private byte[] schema;
    private byte[] values;
    private LocatedYamlReader reader;
    private CompiledSchema compiled;
    private List<YamlDocument> parsed;

    @Setup(Level.Trial)
    public void load() throws IOException, SchemaLoadException, YamlReadException {
        schema = fixture("app-values.schema.json");
        values = fixture("values.yaml");
        reader = new LocatedYamlReader();
        compiled = new SchemaValidator(this::schemaFile).load(SCHEMA_PATH);
        parsed = reader.read(values, FILE_PATH);
        if (!validate(parsed).isEmpty()) {
            throw new IllegalStateException("the fixture values file should be valid: " + validate(parsed));
        }
    }

    @Benchmark
    public List<YamlDocument> readYaml() throws YamlReadException {
        return reader.read(values, FILE_PATH);
    }

    @Benchmark
    public List<SchemaProblem> validateParsed() {
        return validate(parsed);
    }

    @Benchmark
    public List<SchemaProblem> readAndValidate() throws YamlReadException {
        return validate(reader.read(values, FILE_PATH));
    }

    @Benchmark
    public CompiledSchema loadSchema() throws SchemaLoadException {
        return new SchemaValidator(this::schemaFile).load(SCHEMA_PATH);
    }

    private List<SchemaProblem> validate(List<YamlDocument> documents) {
        List<SchemaProblem> problems = new ArrayList<>();
        for (YamlDocument document : documents) {
            problems.addAll(compiled.validate(document));
        }
        return problems;
    }

    private byte[] schemaFile(String path) throws IOException {
        if (!path.equals(SCHEMA_PATH)) {
            throw new NoSuchFileException(path);
        }
        return schema;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = YamlSchemaBenchmark.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new NoSuchFileException("fixtures/" + name);
            }
            return in.readAllBytes();
        }
    }
}
