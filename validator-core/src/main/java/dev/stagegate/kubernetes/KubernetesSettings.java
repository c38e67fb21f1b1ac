package dev.stagegate.kubernetes;

import dev.stagegate.git.PathSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The policy's {@code kubernetes} section (kubernetes.md): which files hold resources, and
 * where the schema of each kind is found.
 *
 * @param manifests       globs of the files holding resources (multi-document YAML)
 * @param exclude         globs of files {@code manifests} matches that are not checked
 * @param version         the Kubernetes version the templates render, {@code 1.31.0} or {@code master}
 * @param strict          unknown fields are errors; also picks the {@code -strict} schemas
 * @param schemaLocations repository-relative templates, tried in order (checked by the interpreter)
 * @param crds            globs of files holding CustomResourceDefinitions, schemas for their kinds
 * @param missingSchema   what a resource whose schema is found nowhere gets
 * @param skipKinds       {@code Kind} or {@code group/version/Kind} entries that are not checked
 */
public record KubernetesSettings(
        List<String> manifests,
        List<String> exclude,
        String version,
        boolean strict,
        List<String> schemaLocations,
        List<String> crds,
        MissingSchema missingSchema,
        List<String> skipKinds) {

    /** kubeconform's default: the version whose schemas track the newest API. */
    public static final String DEFAULT_VERSION = "master";

    /** What a resource whose schema is found nowhere gets: a violation, a warning, or nothing. */
    public enum MissingSchema {
        ERROR, WARN, IGNORE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KubernetesSettings {
        manifests = List.copyOf(manifests);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(version, "version");
        schemaLocations = List.copyOf(schemaLocations);
        crds = List.copyOf(crds);
        Objects.requireNonNull(missingSchema, "missingSchema");
        skipKinds = List.copyOf(skipKinds);
    }

    /** {@link #manifests} compiled. */
    public PathSet manifestFiles() {
        return PathSet.of(manifests);
    }

    /** {@link #exclude} compiled. */
    public PathSet excludedFiles() {
        return PathSet.of(exclude);
    }

    /** {@link #crds} compiled. */
    public PathSet crdFiles() {
        return PathSet.of(crds);
    }

    /** {@link #schemaLocations} parsed; the interpreter admitted only templates that parse. */
    public List<SchemaLocationTemplate> templates() {
        return schemaLocations.stream().map(KubernetesSettings::parseKnownGood).toList();
    }

    private static SchemaLocationTemplate parseKnownGood(String template) {
        try {
            return SchemaLocationTemplate.parse(template);
        } catch (InvalidSchemaLocationException e) {
            throw new IllegalStateException("the policy admitted an invalid schema location: " + template, e);
        }
    }
}
