package dev.stagegate.cli;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.EvidenceRequest;
import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.PushRequest;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.policytest.PolicyTestRequest;
import dev.stagegate.policytest.PolicyTestRun;
import dev.stagegate.ruleeval.RuleEvalRequest;
import dev.stagegate.ruleeval.RuleEvalRun;
import dev.stagegate.status.StatusOutcome;
import dev.stagegate.status.StatusRequest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The engine calls the commands make. An interface rather than {@link Validator} itself so
 * that tests can stand in an engine that hangs or throws, which the real one must not do
 * but the command has to survive.
 */
interface Engine {

    Outcome validate(ValidateRequest request);

    Outcome checkPromotion(PromotionRequest request);

    Outcome preReceive(PushRequest request);

    Outcome recordEvidence(EvidenceRequest request);

    Outcome approve(ApprovalRequest request);

    EvidenceListing listEvidence(Path repository, Optional<String> commit, Optional<Path> policyFile,
            Optional<Path> allowedSignersFile);

    PolicyTestRun testPolicy(PolicyTestRequest request);

    StatusOutcome status(StatusRequest request);

    RuleEvalRun evaluateRules(RuleEvalRequest request);

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

            @Override
            public Outcome recordEvidence(EvidenceRequest request) {
                return validator.recordEvidence(request);
            }

            @Override
            public Outcome approve(ApprovalRequest request) {
                return validator.approve(request);
            }

            @Override
            public EvidenceListing listEvidence(Path repository, Optional<String> commit, Optional<Path> policyFile,
                    Optional<Path> allowedSignersFile) {
                return validator.listEvidence(repository, commit, policyFile, allowedSignersFile);
            }

            @Override
            public PolicyTestRun testPolicy(PolicyTestRequest request) {
                return validator.testPolicy(request);
            }

            @Override
            public StatusOutcome status(StatusRequest request) {
                return validator.status(request);
            }

            @Override
            public RuleEvalRun evaluateRules(RuleEvalRequest request) {
                return validator.evaluateRules(request);
            }
        };
    }
}
