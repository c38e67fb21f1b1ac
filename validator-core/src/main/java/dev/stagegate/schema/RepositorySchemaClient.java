package dev.stagegate.schema;

import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlReadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.everit.json.schema.loader.SchemaClient;
import org.everit.json.schema.loader.SpecificationVersion;
import org.json.JSONObject;

/**
 * Everit's way to fetch {@code $ref}erenced schemas, answered from the revision through a
 * {@link SchemaSource} and never from the network.
 *
 * <p>Schema files get URIs {@code revision:/<path>}, so Everit resolves relative refs against
 * the referring file's directory. A schema whose {@code $id} is an absolute URL (common in
 * published schemas) moves the resolution scope there; URLs below that {@code $id}'s directory
 * map back to files beside the schema that declared it. Anything else is refused.
 *
 * <p>One instance serves the loading of one root schema; it is not shared between threads.
 */
final class RepositorySchemaClient implements SchemaClient {

    private static final String SCHEME = "revision";
    private static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";

    private final SchemaSource source;
    private final LocatedYamlReader reader;
    private final String rootPath;
    private final Map<String, JSONObject> schemas = new HashMap<>();
    private final Map<URI, String> declaredIds = new LinkedHashMap<>();

    RepositorySchemaClient(SchemaSource source, LocatedYamlReader reader, String rootPath) {
        this.source = source;
        this.reader = reader;
        this.rootPath = rootPath;
    }

    /** The root schema file, read, parsed and checked to be a draft Everit can check. */
    JSONObject rootSchema() throws SchemaLoadException {
        return schema(rootPath);
    }

    static URI uriOf(String path) {
        try {
            return new URI(SCHEME, null, "/" + path, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a usable path: " + path, e);
        }
    }

    /** Everit's messages name our internal URIs; users know the repository paths. */
    static String withRepositoryPaths(String message) {
        return Objects.requireNonNullElse(message, "").replace(SCHEME + ":/", "");
    }

    @Override
    public InputStream get(String url) {
        try {
            JSONObject schema = schema(pathOf(url));
            return new ByteArrayInputStream(asciiJson(schema).getBytes(StandardCharsets.US_ASCII));
        } catch (SchemaLoadException e) {
            throw new SchemaFileFailure(e);
        }
    }

    private String pathOf(String url) throws SchemaLoadException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new SchemaLoadException(rootPath + ": $ref " + url + " is not a valid URI");
        }
        if (SCHEME.equals(uri.getScheme())) {
            return RepositoryPath.normalize(uri.getPath()).orElseThrow(() -> new SchemaLoadException(
                    rootPath + ": $ref to " + withRepositoryPaths(url) + " points outside the repository"));
        }
        for (Map.Entry<URI, String> declared : declaredIds.entrySet()) {
            Optional<String> path = belowDeclaredId(uri, declared.getKey(), declared.getValue());
            if (path.isPresent()) {
                return path.get();
            }
        }
        throw new SchemaLoadException(rootPath + ": $ref " + url + " is not a file of this revision;"
                + " stagegate reads schemas only from the revision, never from the network: copy the schema"
                + " into the repository and refer to it by a relative path");
    }

    private static Optional<String> belowDeclaredId(URI uri, URI id, String declaringPath) {
        if (!sameOrigin(uri, id) || uri.getPath() == null || id.getPath() == null) {
            return Optional.empty();
        }
        String idDirectory = RepositoryPath.directoryOf(id.getPath());
        if (!uri.getPath().startsWith(idDirectory)) {
            return Optional.empty();
        }
        return RepositoryPath.normalize(RepositoryPath.directoryOf(declaringPath)
                + uri.getPath().substring(idDirectory.length()));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && Objects.equals(lowerCase(a.getAuthority()), lowerCase(b.getAuthority()));
    }

    private static String lowerCase(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private JSONObject schema(String path) throws SchemaLoadException {
        JSONObject schema = schemas.get(path);
        if (schema == null) {
            schema = parse(path, read(path));
            requireSupportedDraft(path, schema);
            rememberDeclaredId(path, schema);
            schemas.put(path, schema);
        }
        return schema;
    }

    private byte[] read(String path) throws SchemaLoadException {
        try {
            return source.read(path);
        } catch (NoSuchFileException e) {
            throw new SchemaLoadException(inContext(path, path + " does not exist"));
        } catch (IOException e) {
            throw new SchemaLoadException(inContext(path, path + " cannot be read: " + e.getMessage()));
        }
    }

    private JSONObject parse(String path, byte[] content) throws SchemaLoadException {
        List<YamlDocument> documents;
        try {
            documents = reader.read(content, path);
        } catch (YamlReadException e) {
            throw new SchemaLoadException(inContext(path, path + ":" + e.position() + ": " + e.getMessage()));
        }
        if (documents.size() != 1 || !(documents.get(0).root() instanceof JSONObject schema)) {
            throw new SchemaLoadException(inContext(path,
                    path + " is not a schema: a schema file holds one JSON object"));
        }
        return schema;
    }

    /**
     * Everit checks drafts 4, 6 and 7 and, told to use draft-07, silently applies draft-07
     * rules to a schema that declares anything else; a 2020-12 schema would then pass files
     * its author meant to reject.
     */
    private void requireSupportedDraft(String path, JSONObject schema) throws SchemaLoadException {
        Object declared = schema.opt("$schema");
        if (declared == null
                || declared instanceof String uri && SpecificationVersion.lookupByMetaSchemaUrl(uri).isPresent()) {
            return;
        }
        throw new SchemaLoadException(inContext(path, path + " declares " + draftName(declared)
                + ", which stagegate cannot check; use draft-07 (\"$schema\": \"" + DRAFT_07 + "\")"));
    }

    private static String draftName(Object declared) {
        String uri = String.valueOf(declared);
        for (String draft : List.of("2020-12", "2019-09", "draft-03")) {
            if (uri.contains(draft)) {
                return "JSON Schema " + draft;
            }
        }
        return "$schema '" + uri + "'";
    }

    private void rememberDeclaredId(String path, JSONObject schema) {
        Object id = schema.has("$id") ? schema.opt("$id") : schema.opt("id");
        if (id instanceof String text) {
            try {
                URI uri = new URI(text);
                if (uri.isAbsolute() && !SCHEME.equals(uri.getScheme())) {
                    declaredIds.putIfAbsent(new URI(uri.getScheme(), uri.getSchemeSpecificPart(), null), path);
                }
            } catch (URISyntaxException e) {
                // Not a URI: Everit reports it when it loads the schema.
            }
        }
    }

    private String inContext(String path, String message) {
        return path.equals(rootPath) ? message : message + " (referenced from " + rootPath + ")";
    }

    /**
     * Everit reads the answer with the platform charset; escaping everything outside ASCII
     * keeps non-ASCII enum values and patterns intact whatever that charset is.
     */
    private static String asciiJson(JSONObject schema) {
        String json = schema.toString();
        StringBuilder ascii = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                ascii.append(c);
            } else {
                ascii.append(String.format("\\u%04x", (int) c));
            }
        }
        return ascii.toString();
    }

    /** Carries a {@link SchemaLoadException} through Everit, which only lets unchecked ones pass. */
    static final class SchemaFileFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        SchemaFileFailure(SchemaLoadException cause) {
            super(cause.getMessage(), cause);
        }

        SchemaLoadException reason() {
            return (SchemaLoadException) getCause();
        }
    }
}
