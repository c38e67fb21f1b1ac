package dev.stagegate.status;

/**
 * What waits in an upstream environment to be promoted into this one.
 *
 * @param commits the upstream's first-parent commits newer than the one whose content this
 *                environment last took (see {@link UpstreamStatus})
 * @param atLeast whether {@code commits} stopped at the search depth, so there may be more
 * @param paths   the paths whose content a promotion of the upstream's tip would change,
 *                because the upstream changed them
 */
public record Waiting(int commits, boolean atLeast, PathList paths) {

    public static Waiting nothing() {
        return new Waiting(0, false, PathList.empty());
    }

    public boolean isEmpty() {
        return commits == 0 && paths.isEmpty();
    }
}
