package dev.stagegate.policy;

import java.time.Instant;
import java.util.Objects;

/** A freeze from one instant (inclusive) until another (exclusive). */
public record AbsoluteFreeze(String name, Instant from, Instant until) implements Freeze {

    public AbsoluteFreeze {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("freeze " + name + ": until " + until + " is not after from " + from);
        }
    }

    @Override
    public boolean covers(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(until);
    }

    @Override
    public String describe() {
        return name + " (" + from + " until " + until + ")";
    }
}
