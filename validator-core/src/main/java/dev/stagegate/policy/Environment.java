package dev.stagegate.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment of the promotion graph and the branch that holds its content.
 *
 * @param name             unique name, such as {@code staging}
 * @param branch           short name of the environment's branch, such as {@code main}
 * @param promotesFrom     names of the upstream environments, in policy order; empty for an entry
 * @param upstreams        whether promoted content must be in all upstreams or in one
 * @param requiresEvidence evidence a promotion into this environment needs
 * @param requiresApproval approvals a promotion into this environment needs, when any
 * @param freezes          windows in which the branch accepts no update
 * @param protections      whether the branch may be rewritten or deleted: the environment's own
 *                         {@code protections}, each unset field taken from the policy's defaults
 */
public record Environment(
        String name,
        String branch,
        List<String> promotesFrom,
        UpstreamMode upstreams,
        List<EvidenceRequirement> requiresEvidence,
        Optional<ApprovalRequirement> requiresApproval,
        List<Freeze> freezes,
        Protections protections) {

    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(upstreams, "upstreams");
        promotesFrom = List.copyOf(promotesFrom);
        requiresEvidence = List.copyOf(requiresEvidence);
        Objects.requireNonNull(requiresApproval, "requiresApproval");
        freezes = List.copyOf(freezes);
        Objects.requireNonNull(protections, "protections");
    }

    /** Whether content enters the graph here: the environment promotes from no other. */
    public boolean isEntry() {
        return promotesFrom.isEmpty();
    }

    /** {@code refs/heads/<branch>}. */
    public String ref() {
        return "refs/heads/" + branch;
    }
}
