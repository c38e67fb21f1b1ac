package dev.stagegate.policy;

/**
 * What may happen to an environment's branch that would otherwise be rejected: the policy's
 * top-level {@code protections} are the defaults, an environment's own override them field by
 * field (a rollback by force push allowed on production only, say).
 *
 * @param forcePushAllowed whether an update that is not a fast-forward is accepted (rule force-push)
 * @param deletionAllowed  whether deleting the branch is accepted (rule branch-deletion)
 */
public record Protections(boolean forcePushAllowed, boolean deletionAllowed) {

    /** Both denied, as when the policy says nothing. */
    public static final Protections DEFAULTS = new Protections(false, false);
}
