package dev.stagegate.status;

import dev.stagegate.git.RepositoryView.BranchSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where every environment of a policy stands: what {@code stagegate status} shows.
 *
 * @param policySource  where the governing policy came from, for the reader
 * @param branchSource  whether branches were read from {@code refs/remotes/origin/*} first
 * @param searchDepth   the policy's search depth, which bounds every search on the board
 * @param generatedAt   the time evidence age was judged at
 * @param environments  every environment of the policy, upstreams before downstreams
 * @param notes         what the reader should know about the board itself (an invalid
 *                      policy replaced by an older one, a shallow clone, no evidence notes)
 */
public record EnvironmentBoard(
        String policySource,
        BranchSource branchSource,
        int searchDepth,
        Instant generatedAt,
        List<EnvironmentStatus> environments,
        List<String> notes) {

    public EnvironmentBoard {
        Objects.requireNonNull(policySource, "policySource");
        Objects.requireNonNull(branchSource, "branchSource");
        Objects.requireNonNull(generatedAt, "generatedAt");
        environments = List.copyOf(environments);
        notes = List.copyOf(notes);
    }

    public Optional<EnvironmentStatus> environment(String name) {
        return environments.stream().filter(environment -> environment.name().equals(name)).findFirst();
    }
}
