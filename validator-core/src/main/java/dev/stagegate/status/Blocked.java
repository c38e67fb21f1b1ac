package dev.stagegate.status;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Why the content next in line must not be promoted yet, whatever its evidence and approvals.
 *
 * @param reason       what is in the way
 * @param environments for {@link Reason#UNDOES_HOTFIX}: the entry environments where the
 *                     hotfix is to be made again (back-ported); for
 *                     {@link Reason#NOT_IN_EVERY_UPSTREAM}: the upstreams that lack the content
 * @param paths        for {@link Reason#UNDOES_HOTFIX}: the paths whose hotfix it would undo
 */
public record Blocked(Reason reason, List<String> environments, PathList paths) {

    public enum Reason {
        /** It would overwrite a hotfix made on this branch that its upstream never got. */
        UNDOES_HOTFIX,
        /** With {@code upstreams: all}, some upstream does not carry the content yet. */
        NOT_IN_EVERY_UPSTREAM;

        /** {@code undoes-hotfix}, {@code not-in-every-upstream}: as JSON and HTML show it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Blocked {
        Objects.requireNonNull(reason, "reason");
        environments = List.copyOf(environments);
        Objects.requireNonNull(paths, "paths");
    }
}
