package dev.stagegate;

import java.time.Clock;

/**
 * The one entry point the adapters (command line, hook, Maven plugin) call. Every method
 * returns an {@link Outcome} and never throws for bad input: an internal error becomes a
 * rejecting outcome (fail closed).
 */
public final class Validator {

    private final Clock clock;

    /** @param clock the time freeze windows and evidence age are judged at */
    public Validator(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Outcome validate(ValidateRequest request) {
        throw new IllegalStateException("validate: being implemented");
    }

    public Outcome checkPromotion(PromotionRequest request) {
        throw new IllegalStateException("check-promotion: being implemented");
    }

    public Outcome preReceive(PushRequest request) {
        throw new IllegalStateException("pre-receive: being implemented");
    }
}
