package dev.stagegate.kubernetes;

import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.FileSchemaCheck;
import dev.stagegate.schema.SchemaLoadException;
import dev.stagegate.schema.SchemaSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds the schema of a kind: the server's schema locations (absolute paths on this machine),
 * then a CRD kept in the repository, then the policy's locations (read from the revision
 * checked), the first existing file winning. kubernetes.md puts a repository CRD before the
 * policy's locations and the server's before the policy's; the server's come first of all so
 * that no repository can replace the platform's schema of a kind. One lookup per kind and run.
 */
final class KindSchemaLookup {

    /** What was found for a kind. */
    sealed interface Found permits Schema, Missing, Unusable {
    }

    /** A schema, and where it came from for messages: {@code schema schemas/k8s/...json}, {@code schema from CRD crds/x.yaml}. */
    record Schema(CompiledSchema schema, String source) implements Found {
    }

    /** No location has a file for the kind; {@code tried} lists where it looked. */
    record Missing(List<String> tried) implements Found {
    }

    /** A schema exists but cannot be used, or the kind cannot be looked up at all: never a pass. */
    record Unusable(String reason) implements Found {
    }

    private final RevisionFiles files;
    private final KubernetesSettings settings;
    private final List<SchemaLocationTemplate> serverLocations;
    private final List<SchemaLocationTemplate> policyLocations;
    private final Supplier<RepositoryCrds> crds;
    private final long maxBytes;
    private final KindSchemaCompiler compiler = new KindSchemaCompiler();
    private final Map<GroupVersionKind, Found> found = new ConcurrentHashMap<>();

    KindSchemaLookup(RevisionFiles files, KubernetesSettings settings, List<SchemaLocationTemplate> serverLocations,
            List<SchemaLocationTemplate> policyLocations, Supplier<RepositoryCrds> crds, long maxBytes) {
        this.files = files;
        this.settings = settings;
        this.serverLocations = serverLocations;
        this.policyLocations = policyLocations;
        this.crds = crds;
        this.maxBytes = maxBytes;
    }

    Found find(GroupVersionKind gvk) {
        return found.computeIfAbsent(gvk, this::lookUp);
    }

    private Found lookUp(GroupVersionKind gvk) {
        Optional<String> unsafe = SchemaLocationTemplate.unsafeName(gvk);
        if (unsafe.isPresent()) {
            return new Unusable(unsafe.get());
        }
        List<String> tried = new ArrayList<>();
        // The server's mirror first: what the platform team keeps is the one schema a
        // repository cannot replace, not with a CRD of its own for the kind either.
        for (SchemaLocationTemplate template : serverLocations) {
            String path = render(template, gvk);
            tried.add(path);
            Optional<Found> result = serverSchema(path);
            if (result.isPresent()) {
                return result.get();
            }
        }
        List<RepositoryCrds.Crd> claims = crds.get().claiming(RepositoryCrds.groupKind(gvk));
        if (claims.size() > 1) {
            return new Unusable("its kind is defined by " + claims.size() + " CustomResourceDefinitions ("
                    + String.join(", ", claims.stream().map(RepositoryCrds.Crd::describe).toList()) + ")");
        }
        if (claims.size() == 1) {
            RepositoryCrds.Crd crd = claims.get(0);
            if (!crd.translation().translated()) {
                return new Unusable("its CustomResourceDefinition " + crd.describe() + " cannot be used (see the"
                        + " violation there)");
            }
            for (CrdTranslation.VersionSchema version : crd.translation().schemas()) {
                if (version.gvk().equals(gvk)) {
                    return compileCrdSchema(version, crd);
                }
            }
            tried.add("CRD " + crd.path() + " (serves " + String.join(", ", crd.translation().schemas().stream()
                    .map(schema -> schema.gvk().version()).toList()) + ")");
        }
        for (SchemaLocationTemplate template : policyLocations) {
            String path = ManifestCheck.normalize(render(template, gvk));
            tried.add(path);
            Optional<Found> result = repositorySchema(path);
            if (result.isPresent()) {
                return result.get();
            }
        }
        return new Missing(tried);
    }

    /** unsafeName was checked first, so every template renders. */
    private String render(SchemaLocationTemplate template, GroupVersionKind gvk) {
        return template.render(gvk, settings.version(), settings.strict()).orElseThrow();
    }

    private Found compileCrdSchema(CrdTranslation.VersionSchema version, RepositoryCrds.Crd crd) {
        byte[] content = version.schema().toString().getBytes(StandardCharsets.UTF_8);
        try {
            return new Schema(compiler.compile(content, "crd-schema.json", path -> {
                throw new NoSuchFileException(path, null, "a CRD's schema refers to no file");
            }), "schema from CRD " + crd.path());
        } catch (SchemaLoadException e) {
            return new Unusable("the schema of its CustomResourceDefinition " + crd.describe() + " does not compile ("
                    + e.getMessage() + ")");
        }
    }

    /** A schema in the revision checked; empty when the revision has no such file. */
    private Optional<Found> repositorySchema(String path) {
        if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
            return Optional.of(new Unusable("schema location " + path + " is not a path inside the repository"));
        }
        Optional<FileContent> file;
        try {
            file = files.readFile(path, maxBytes);
        } catch (FileTooLargeException e) {
            return Optional.of(new Unusable("its schema " + path + " is " + e.size() + " bytes, more than the limit of "
                    + e.limit()));
        } catch (IOException e) {
            return Optional.of(new Unusable("its schema " + path + " cannot be read from " + files.describe() + " ("
                    + e.getClass().getSimpleName() + ")"));
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (!file.get().isFile()) {
            return Optional.of(new Unusable("its schema " + path + " is a "
                    + file.get().otherKind().name().toLowerCase(Locale.ROOT) + ", not a regular file"));
        }
        return Optional.of(compiled(file.get().bytes(), path, ref -> FileSchemaCheck.readSchema(files, ref, maxBytes)));
    }

    /** A schema in the server's mirror; empty when there is no such file. */
    private Optional<Found> serverSchema(String path) {
        Path file = Path.of(path);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            if (!Files.isRegularFile(file)) {
                return Optional.of(new Unusable("its schema " + path + " is not a regular file"));
            }
            if (Files.size(file) > maxBytes) {
                return Optional.of(new Unusable("its schema " + path + " is " + Files.size(file)
                        + " bytes, more than the limit of " + maxBytes));
            }
            return Optional.of(compiled(Files.readAllBytes(file), path, ref -> readServerFile("/" + ref)));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Unusable("its schema " + path + " cannot be read (" + e.getClass().getSimpleName()
                    + ")"));
        }
    }

    private byte[] readServerFile(String path) throws IOException {
        Path file = Path.of(path);
        if (Files.size(file) > maxBytes) {
            throw new IOException(path + " is larger than " + maxBytes + " bytes");
        }
        return Files.readAllBytes(file);
    }

    private Found compiled(byte[] content, String path, SchemaSource refs) {
        try {
            return new Schema(compiler.compile(content, path, refs), "schema " + path);
        } catch (SchemaLoadException e) {
            return new Unusable("its schema " + path + " cannot be used (" + e.getMessage() + ")");
        }
    }
}
