package dev.stagegate.schema;

import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathGlob;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.git.SortedPaths;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.ParsedFiles;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code schema-violation} check of policy-v1.md: files matched by the policy's
 * {@code schemas} globs must be regular YAML/JSON files that pass their schema, read from the
 * same revision. It fails closed: whatever keeps a file from being checked is a violation on it.
 */
public final class FileSchemaCheck {

    public static final String RULE = "schema-violation";

    private static final byte[] LFS_POINTER =
            "version https://git-lfs.github.com/spec/v1".getBytes(StandardCharsets.US_ASCII);

    private final List<MappedSchema> mappings;
    private final List<String> globs;
    private final YamlLimits limits;
    /** The revision whose schemas {@link #schemas} holds (by identity), and those schemas. */
    private RevisionFiles schemasRevision;
    private SchemaValidator schemas;

    public FileSchemaCheck(List<SchemaMapping> mappings, YamlLimits limits) {
        this.mappings = mappings.stream()
                .map(mapping -> new MappedSchema(PathGlob.compile(mapping.files()), mapping.schema()))
                .toList();
        this.globs = mappings.stream().map(SchemaMapping::files).toList();
        this.limits = limits;
    }

    /**
     * Every path of {@code paths} matched by some mapping's {@code files} glob, checked against
     * that schema read from {@code files}. Paths the revision does not have are skipped.
     */
    public List<Violation> check(RevisionFiles files, Collection<String> paths) {
        return check(files, paths, ParsedFiles.none());
    }

    /**
     * As {@link #check(RevisionFiles, Collection)}, keeping in {@code parsed} the documents of
     * the files it parses, for the next check of the same files (the custom rules).
     */
    public List<Violation> check(RevisionFiles files, Collection<String> paths, ParsedFiles parsed) {
        SchemaValidator schemas = schemasOf(files);
        LocatedYamlReader reader = new LocatedYamlReader(limits);
        Stream<String> sorted = SortedPaths.of(paths).stream();
        // Files are independent: where the revision allows it, check them on every core,
        // keeping the sorted order of the findings.
        if (files.supportsConcurrentReads()) {
            sorted = sorted.parallel();
        }
        return sorted.map(path -> checkSafely(files, path, schemas, reader, parsed))
                .flatMap(List::stream)
                .toList();
    }

    /**
     * The schemas of {@code files}, compiled once for every call on the same revision: {@code
     * validate} with custom rules checks a large revision a slice at a time.
     */
    private synchronized SchemaValidator schemasOf(RevisionFiles files) {
        if (schemasRevision != files) {
            schemasRevision = files;
            schemas = new SchemaValidator(schemaPath -> readSchema(files, schemaPath, limits.maxBytes()));
        }
        return schemas;
    }

    private List<Violation> checkSafely(RevisionFiles files, String path, SchemaValidator schemas,
            LocatedYamlReader reader, ParsedFiles parsed) {
        List<String> schemaPaths = schemasFor(path);
        if (schemaPaths.isEmpty()) {
            return List.of();
        }
        try {
            return checkFile(files, path, schemaPaths, schemas, reader, parsed);
        } catch (IOException e) {
            return List.of(violation(path, SourcePosition.START, "cannot be read from " + files.describe()
                    + " (" + describe(e) + "), so it cannot be checked"));
        } catch (RuntimeException | StackOverflowError e) {
            return List.of(violation(path, SourcePosition.START, "could not be checked (" + describe(e)
                    + "); it is rejected to be safe"));
        }
    }

    /** Convenience: the paths of the whole revision that some mapping matches. */
    public List<Violation> checkAll(RevisionFiles files) throws IOException {
        return check(files, mappedPaths(files));
    }

    /** The paths of the whole revision that some mapping matches, sorted; subtrees none can reach are not walked. */
    public List<String> mappedPaths(RevisionFiles files) throws IOException {
        return files.paths(mappedSet());
    }

    /** The paths some mapping matches. */
    public PathSet mappedSet() {
        return PathSet.of(globs);
    }

    /** The schemas whose globs match, each once, in the policy's order (a loop: it runs for every file). */
    private List<String> schemasFor(String path) {
        List<String> schemas = null;
        for (MappedSchema mapping : mappings) {
            if (mapping.files().matches(path)) {
                if (schemas == null) {
                    schemas = new ArrayList<>(1);
                }
                if (!schemas.contains(mapping.schema())) {
                    schemas.add(mapping.schema());
                }
            }
        }
        return schemas == null ? List.of() : schemas;
    }

    private List<Violation> checkFile(RevisionFiles files, String path, List<String> schemaPaths,
            SchemaValidator schemas, LocatedYamlReader reader, ParsedFiles parsed) throws IOException {
        Optional<FileContent> file;
        try {
            file = files.readFile(path, limits.maxBytes());
        } catch (FileTooLargeException e) {
            return List.of(violation(path, SourcePosition.START, "is " + e.size()
                    + " bytes, more than the limit of " + e.limit() + " bytes for a checked file; split it up"));
        }
        if (file.isEmpty()) {
            return List.of();
        }
        if (!file.get().isFile()) {
            return List.of(violation(path, SourcePosition.START, describeNotRegular(file.get().otherKind())));
        }
        byte[] content = file.get().bytes();
        if (startsWith(content, LFS_POINTER)) {
            return List.of(violation(path, SourcePosition.START, "is a Git LFS pointer, not the file's content;"
                    + " files checked against a schema must be committed to Git itself (git lfs untrack it)"));
        }
        String fileKey = ProcessMemory.enabled() ? RememberedSchemas.fileKey(path, content, limits) : null;
        if (fileKey != null && passedBefore(fileKey, schemaPaths, schemas)) {
            return List.of();
        }
        List<YamlDocument> documents;
        try {
            documents = reader.read(content, path);
        } catch (YamlReadException e) {
            return List.of(violation(path, e.position(), e.getMessage()));
        }
        parsed.keep(path, content, documents);
        List<Violation> violations = new ArrayList<>();
        List<CompiledSchema> loaded = new ArrayList<>();
        for (String schemaPath : schemaPaths) {
            CompiledSchema schema;
            try {
                schema = schemas.load(schemaPath);
            } catch (SchemaLoadException e) {
                violations.add(violation(path, SourcePosition.START, "cannot be checked against its schema: "
                        + e.getMessage()));
                continue;
            }
            loaded.add(schema);
            for (YamlDocument document : documents) {
                for (SchemaProblem problem : schema.validate(document)) {
                    violations.add(violation(path, problem.position(),
                            problem.message() + " (schema " + schemaPath + ")"));
                }
            }
        }
        if (fileKey != null && violations.isEmpty()) {
            loaded.forEach(schema -> schema.rememberPassed(fileKey));
        }
        return violations;
    }

    /** Whether the same file passed every one of its schemas before (a process that remembers only). */
    private static boolean passedBefore(String fileKey, List<String> schemaPaths, SchemaValidator schemas) {
        for (String schemaPath : schemaPaths) {
            try {
                if (!schemas.load(schemaPath).passedBefore(fileKey)) {
                    return false;
                }
            } catch (SchemaLoadException e) {
                return false;
            }
        }
        return true;
    }

    private static String describeNotRegular(FileKind kind) {
        return switch (kind) {
            case REGULAR, EXECUTABLE -> throw new IllegalArgumentException(kind + " is a regular file");
            case SYMLINK -> "is a symbolic link; files checked against a schema must be regular"
                    + " files (commit the content instead of a link)";
            case SUBMODULE -> "is a submodule; files checked against a schema must be regular files";
            case OTHER -> "is not a regular file; files checked against a schema must be";
        };
    }

    /** Schemas are read from the checked revision, with the same size bound as checked files. */
    public static byte[] readSchema(RevisionFiles files, String schemaPath, long maxBytes) throws IOException {
        FileContent schema = files.readFile(schemaPath, maxBytes)
                .orElseThrow(() -> new NoSuchFileException(schemaPath));
        if (!schema.isFile()) {
            throw new IOException("it is a " + schema.otherKind().name().toLowerCase(Locale.ROOT)
                    + ", not a regular file");
        }
        return schema.bytes();
    }

    /** One line, however the exception words itself: violations are printed one per line. */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline).strip();
        return e.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        return content.length >= prefix.length
                && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static Violation violation(String path, SourcePosition position, String message) {
        return Violation.error(RULE, message).at(path, position);
    }

    private record MappedSchema(PathGlob files, String schema) {
    }
}
