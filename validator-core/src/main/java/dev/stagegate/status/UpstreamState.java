package dev.stagegate.status;

import java.util.Locale;

/** Where an environment's content stands against one of its upstream environments. */
public enum UpstreamState {
    /** The environment carries the content of the upstream's tip. */
    IN_SYNC,
    /** It carries the content of an older upstream commit: newer content waits to be promoted. */
    BEHIND,
    /**
     * It carries content that this upstream never had but that is found further up the
     * chain (or in another of its upstreams): a promotion skipped this stage.
     */
    SKIPPED_STAGE,
    /**
     * It carries content found nowhere upstream: a hotfix (or any change made on the branch
     * itself) that was never back-ported.
     */
    NOT_BACK_PORTED,
    /** The upstream's branch does not exist. */
    UPSTREAM_MISSING;

    /**
     * {@code in-sync}, {@code behind}, {@code skipped-stage}, {@code not-back-ported},
     * {@code upstream-missing}: as JSON and HTML show it.
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
