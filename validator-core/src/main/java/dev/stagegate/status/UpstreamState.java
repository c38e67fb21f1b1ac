package dev.stagegate.status;

import java.util.Locale;

/** Where an environment's content stands against one of its upstream environments. */
public enum UpstreamState {
    /** The environment carries the content of the upstream's tip. */
    IN_SYNC,
    /** It carries the content of an older upstream commit: newer content waits to be promoted. */
    BEHIND,
    /** It carries content that no commit in the upstream carries: it changed on its own. */
    DRIFTED,
    /** The upstream's branch does not exist. */
    UPSTREAM_MISSING;

    /** {@code in-sync}, {@code behind}, {@code drifted}, {@code upstream-missing}: as JSON and HTML show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
