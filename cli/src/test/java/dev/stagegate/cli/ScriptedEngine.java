package dev.stagegate.cli;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.EvidenceRequest;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.PushRequest;
import dev.stagegate.ValidateRequest;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.policytest.PolicyTestRequest;
import dev.stagegate.policytest.PolicyTestRun;
import dev.stagegate.ruleeval.RuleEvalRequest;
import dev.stagegate.ruleeval.RuleEvalRun;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.status.StatusOutcome;
import dev.stagegate.status.StatusRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Stands in for the engine: answers every call the same way and keeps the last request,
 * so that a test sees exactly what the command asked.
 */
final class ScriptedEngine implements Engine {

    private final Supplier<Outcome> answer;
    private volatile Object lastRequest;

    private ScriptedEngine(Supplier<Outcome> answer) {
        this.answer = answer;
    }

    static ScriptedEngine answering(Outcome outcome) {
        return new ScriptedEngine(() -> outcome);
    }

    static ScriptedEngine accepting() {
        return answering(Outcome.of(Verdict.accepted()));
    }

    static ScriptedEngine rejecting(Violation... violations) {
        return answering(Outcome.of(Verdict.of(List.of(violations))));
    }

    static ScriptedEngine throwing(RuntimeException failure) {
        return new ScriptedEngine(() -> {
            throw failure;
        });
    }

    /** Never answers (until interrupted), like an engine stuck on a huge repository. */
    static ScriptedEngine hanging() {
        return new ScriptedEngine(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        });
    }

    /** Never answers and ignores interruption, like a regex that backtracks for ever, until released. */
    static ScriptedEngine ignoringInterrupts(CountDownLatch release) {
        return new ScriptedEngine(() -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignored on purpose: this is the judgement that cannot be stopped
                }
            }
            throw new IllegalStateException("released");
        });
    }

    <T> T lastRequest(Class<T> type) {
        return type.cast(lastRequest);
    }

    @Override
    public Outcome validate(ValidateRequest request) {
        lastRequest = request;
        return answer.get();
    }

    @Override
    public Outcome checkPromotion(PromotionRequest request) {
        lastRequest = request;
        return answer.get();
    }

    @Override
    public Outcome preReceive(PushRequest request) {
        lastRequest = request;
        return answer.get();
    }

    @Override
    public Outcome recordEvidence(EvidenceRequest request) {
        lastRequest = request;
        return answer.get();
    }

    @Override
    public Outcome approve(ApprovalRequest request) {
        lastRequest = request;
        return answer.get();
    }

    @Override
    public EvidenceListing listEvidence(Path repository, Optional<String> commit, Optional<Path> policyFile,
            Optional<Path> allowedSignersFile) {
        lastRequest = repository;
        answer.get();
        return new EvidenceListing("refs/notes/stagegate", List.of(), Optional.empty(), ExitStatus.ACCEPTED);
    }

    @Override
    public PolicyTestRun testPolicy(PolicyTestRequest request) {
        lastRequest = request;
        answer.get();
        return new PolicyTestRun(List.of(), List.of(), Optional.empty());
    }

    /** Answers without a board: the scripted outcome says why there is none. */
    @Override
    public StatusOutcome status(StatusRequest request) {
        lastRequest = request;
        return StatusOutcome.failed(answer.get());
    }

    /** Answers that stagegate failed: the scripted outcome's first message says why. */
    @Override
    public RuleEvalRun evaluateRules(RuleEvalRequest request) {
        lastRequest = request;
        Outcome outcome = answer.get();
        return RuleEvalRun.failed(request, outcome.verdict().violations().isEmpty() ? "scripted"
                : outcome.verdict().violations().get(0).message());
    }
}
