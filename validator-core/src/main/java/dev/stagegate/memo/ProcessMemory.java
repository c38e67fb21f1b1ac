package dev.stagegate.memo;

/**
 * Whether this process remembers, from one judgement to the next, what cannot change: results
 * that are pure functions of git objects or file contents (the filtered tree of a tree, the
 * compiled form of a schema, that a file passed it). A command or a hook that judges one push
 * and exits would only pay for the bookkeeping; the resident hook server turns it on.
 */
public final class ProcessMemory {

    private static volatile boolean enabled;

    private ProcessMemory() {
    }

    /** Turns memoisation on for the rest of this process. */
    public static void enable() {
        enabled = true;
    }

    /** Turns it off again; for tests, which share one JVM. */
    public static void disable() {
        enabled = false;
    }

    public static boolean enabled() {
        return enabled;
    }
}
