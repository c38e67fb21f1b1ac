package dev.stagegate.kubernetes;

import java.util.Objects;
import java.util.Optional;

/**
 * What a Kubernetes resource is, from its {@code apiVersion} and {@code kind}: the key by which
 * its schema is found.
 *
 * <p>Only the shape of {@code apiVersion} is checked here ({@code VERSION} or
 * {@code GROUP/VERSION}); the characters of the names are not, so that a resource with a
 * strange kind can still be named in a message. Whether the names may form a file path is
 * {@link SchemaLocationTemplate}'s decision.
 *
 * @param group   the API group, {@code ""} for the core group ({@code apiVersion: v1})
 * @param version the version within the group, e.g. {@code v1}, {@code v1beta2}
 * @param kind    the kind exactly as written, e.g. {@code Deployment}
 */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        if (version.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("a version and a kind are required: " + group + "/" + version + "/" + kind);
        }
    }

    /**
     * The resource's identity, or empty when {@code apiVersion} is not {@code VERSION} or
     * {@code GROUP/VERSION} with non-empty parts, or {@code kind} is empty. kubeconform reads
     * {@code a/b/c} as group {@code a}, version {@code c}; a resource like that cannot exist in
     * a cluster, so it is refused here rather than looked up under a made-up name.
     */
    public static Optional<GroupVersionKind> parse(String apiVersion, String kind) {
        if (apiVersion == null || kind == null || apiVersion.isEmpty() || kind.isEmpty()) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return Optional.of(new GroupVersionKind("", apiVersion, kind));
        }
        if (slash == 0 || slash == apiVersion.length() - 1 || apiVersion.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind));
    }

    /** Whether this is a kind of the core group ({@code apiVersion: v1}). */
    public boolean isCore() {
        return group.isEmpty();
    }

    /** The {@code apiVersion} a resource of this kind carries: {@code apps/v1}, or {@code v1} for the core group. */
    public String apiVersion() {
        return isCore() ? version : group + "/" + version;
    }

    /**
     * Whether a {@code skipKinds} entry names this kind. As kubeconform's {@code -skip}, an
     * entry matches on the kind alone ({@code Deployment}) or on {@code apiVersion/kind}
     * ({@code apps/v1/Deployment}; for the core group {@code v1/ConfigMap}, never
     * {@code core/v1/ConfigMap} or {@code /v1/ConfigMap}), exactly and case-sensitively.
     */
    public boolean matches(String skipKind) {
        return kind.equals(skipKind) || toString().equals(skipKind);
    }

    /** {@code apps/v1/Deployment}, {@code v1/ConfigMap}: the form {@link #matches} accepts and messages use. */
    @Override
    public String toString() {
        return apiVersion() + "/" + kind;
    }
}
