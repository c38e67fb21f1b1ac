package dev.stagegate;

import dev.stagegate.git.RefUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jgit.lib.Repository;

/**
 * One push as a pre-receive hook sees it.
 *
 * @param repository  opened from git's environment, so quarantined objects are visible
 * @param updates     every ref update of the push
 * @param pusher      who pushes
 * @param pushOptions the {@code -o} options of the push
 * @param policyFile  a server-managed policy that overrides every in-repository one
 * @param auditLog    where audited bypasses are appended
 * @param allowedSignersFile a server-managed allowed-signers file that replaces every policy's
 * @param schemaLocations    {@code --schema-location} templates: absolute paths of a Kubernetes
 *                           schema mirror on the server, tried before every policy's (kubernetes.md)
 * @param deadlineNanoTime   the {@link System#nanoTime()} by which the push must be judged, when
 *                           the caller has one: custom rules still unevaluated then are errors
 *                           (rules-cel.md, "a deadline shared with the rest of the push")
 */
public record PushRequest(
        Repository repository,
        List<RefUpdate> updates,
        Pusher pusher,
        List<String> pushOptions,
        Optional<Path> policyFile,
        Path auditLog,
        Optional<Path> allowedSignersFile,
        List<String> schemaLocations,
        OptionalLong deadlineNanoTime) {

    public PushRequest {
        java.util.Objects.requireNonNull(deadlineNanoTime, "deadlineNanoTime");
        updates = List.copyOf(updates);
        pushOptions = List.copyOf(pushOptions);
        java.util.Objects.requireNonNull(allowedSignersFile, "allowedSignersFile");
        schemaLocations = List.copyOf(schemaLocations);
    }

    /** Without a deadline. */
    public PushRequest(Repository repository, List<RefUpdate> updates, Pusher pusher, List<String> pushOptions,
            Optional<Path> policyFile, Path auditLog, Optional<Path> allowedSignersFile, List<String> schemaLocations) {
        this(repository, updates, pusher, pushOptions, policyFile, auditLog, allowedSignersFile, schemaLocations,
                OptionalLong.empty());
    }

    /** This push, to be judged by {@code deadlineNanoTime} (a {@link System#nanoTime()} value). */
    public PushRequest withDeadline(long deadlineNanoTime) {
        return new PushRequest(repository, updates, pusher, pushOptions, policyFile, auditLog, allowedSignersFile,
                schemaLocations, OptionalLong.of(deadlineNanoTime));
    }

    /** Without server schema locations. */
    public PushRequest(Repository repository, List<RefUpdate> updates, Pusher pusher, List<String> pushOptions,
            Optional<Path> policyFile, Path auditLog, Optional<Path> allowedSignersFile) {
        this(repository, updates, pusher, pushOptions, policyFile, auditLog, allowedSignersFile, List.of());
    }

    /** Without a server allowed-signers file. */
    public PushRequest(Repository repository, List<RefUpdate> updates, Pusher pusher, List<String> pushOptions,
            Optional<Path> policyFile, Path auditLog) {
        this(repository, updates, pusher, pushOptions, policyFile, auditLog, Optional.empty(), List.of());
    }
}
