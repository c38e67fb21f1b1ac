package dev.stagegate.cli;

import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.PushRequest;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;

/**
 * The engine calls the commands make. An interface rather than {@link Validator} itself so
 * that tests can stand in an engine that hangs or throws, which the real one must not do
 * but the command has to survive.
 */
interface Engine {

    Outcome validate(ValidateRequest request);

    Outcome checkPromotion(PromotionRequest request);

    Outcome preReceive(PushRequest request);

    static Engine of(Validator validator) {
        return new Engine() {
            @Override
            public Outcome validate(ValidateRequest request) {
                return validator.validate(request);
            }

            @Override
            public Outcome checkPromotion(PromotionRequest request) {
                return validator.checkPromotion(request);
            }

            @Override
            public Outcome preReceive(PushRequest request) {
                return validator.preReceive(request);
            }
        };
    }
}
