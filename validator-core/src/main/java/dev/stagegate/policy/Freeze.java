package dev.stagegate.policy;

import java.time.Instant;

/** A window in which an environment's branch accepts no update (rule freeze-window). */
public sealed interface Freeze permits AbsoluteFreeze, WeeklyFreeze {

    String name();

    /** Whether {@code instant} lies inside the window. */
    boolean covers(Instant instant);

    /** The name and the window, for messages: {@code year-end (2026-12-20T00:00:00Z until ...)}. */
    String describe();
}
