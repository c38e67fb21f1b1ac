package dev.stagegate.rules;

import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.approval.PromotedChanges;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Timestamp;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Environments with {@code requiresApproval} take a promotion only when enough of the named
 * people approved the promoted content and none rejected it (approvals-signatures.md).
 * {@link ApprovalJudgement} judges; this rule words what it found: who counted, who did not and
 * why, and the command that records an approval.
 */
public final class MissingApprovalRule implements Rule {

    @Override
    public String id() {
        return RuleIds.MISSING_APPROVAL;
    }

    @Override
    public String summary() {
        return "promotions into an environment with requiresApproval need enough approvals and no rejection";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> target = update.environment();
        if (target.isEmpty() || target.get().requiresApproval().isEmpty() || !update.isPromotion()) {
            return List.of();
        }
        Optional<ObjectId> before = update.update().isCreation() ? Optional.empty()
                : Optional.of(update.update().oldId());
        PromotedChanges changes = PromotedChanges.of(update.repository().reader(), update.update().newId(), before,
                update.policy().promotion().searchDepth());
        ApprovalJudgement judgement = ApprovalJudgement.judge(update.policy(), update.repository(), target.get(),
                update.newContent(), changes, SignaturePolicy.of(update.policy(),
                update.repository().verifiedSignatures()), update.now());
        if (judgement.satisfied()) {
            return List.of();
        }
        return List.of(Violation.error(id(), message(update, judgement)));
    }

    static String message(UpdateContext update, ApprovalJudgement judgement) {
        Environment target = judgement.target();
        StringBuilder message = new StringBuilder();
        if (!judgement.rejections().isEmpty()) {
            message.append(judgement.rejections().stream().map(MissingApprovalRule::rejection)
                    .collect(Collectors.joining("; ")));
            message.append("; a rejection blocks the promotion until that approver records a newer approval");
            return message.toString();
        }
        if (judgement.authorsUnknown()) {
            int depth = update.policy().promotion().searchDepth();
            message.append("this promotion brings more than ").append(depth).append(" changes (promotion.searchDepth),")
                    .append(" so whether an approver wrote one of them cannot be told (notAuthor) and no approval")
                    .append(" counts; promote in smaller steps, or raise promotion.searchDepth");
            return message.toString();
        }
        message.append(target.name()).append(" needs ").append(judgement.requirement().count())
                .append(judgement.requirement().count() == 1 ? " approval" : " approvals").append(" from ")
                .append(String.join(", ", judgement.requirement().from())).append("; ")
                .append(judgement.counted().size()).append(judgement.counted().size() == 1 ? " counts" : " count");
        if (!judgement.counted().isEmpty()) {
            message.append(" (").append(judgement.counted().stream().map(ApprovalRecord::approver)
                    .collect(Collectors.joining(", "))).append(")");
        }
        if (!judgement.notCounted().isEmpty()) {
            message.append("; not counted: ").append(judgement.notCounted().stream()
                    .map(not -> not.approver() + " (" + not.reason() + ")").collect(Collectors.joining(", ")));
        }
        List<String> waiting = judgement.waitingFor(update.policy().people());
        if (!waiting.isEmpty()) {
            message.append("; waiting for ").append(String.join(", ", waiting));
        }
        message.append("; an approver records one with: stagegate approve --environment ").append(target.name());
        judgement.approvable().ifPresent(commit -> message.append(" --commit ").append(commit.name()));
        message.append(" --push");
        return message.toString();
    }

    private static String rejection(ApprovalRecord record) {
        return "rejected by " + record.approver() + " at " + Timestamp.text(record.recordedAt())
                + record.comment().map(comment -> ": " + comment).orElse("");
    }
}
