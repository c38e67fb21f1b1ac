package dev.stagegate.approval;

import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.ApprovalRequirement;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.MaxAge;
import dev.stagegate.policy.People;
import dev.stagegate.policy.Policy;
import dev.stagegate.report.Timestamp;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * How the approvals of a promotion stand (approvals-signatures.md, "Which approvals count"):
 * an Approval counts when it is attached to a commit of one of the target's upstream
 * environments that carries the promoted content, names the target, comes from someone
 * {@code from} names, and passes the signature policy. Per approver the newest counting record
 * decides, and on a tie a rejection wins. One judgement serves the {@code missing-approval}
 * rule and the environment board, so the two never disagree.
 *
 * @param requirement the requirement judged
 * @param target      the environment the content is approved into
 * @param counted     the approvers whose approval counts, with their deciding record
 * @param notCounted  approvers with a record that does not count, and why, one entry each
 * @param rejections  deciding records that reject the promotion
 * @param approvable  the newest upstream commit carrying the content: where an approval belongs
 * @param authors     identities {@code from} names who authored or committed a promoted change
 *                    (under {@code notAuthor}): they cannot approve this promotion
 * @param authorsUnknown whether {@code notAuthor} could not be judged: the promotion brings more
 *                    changes than {@code searchDepth}, so no approval counts
 */
public record ApprovalJudgement(
        ApprovalRequirement requirement,
        Environment target,
        List<ApprovalRecord> counted,
        List<NotCounted> notCounted,
        List<ApprovalRecord> rejections,
        Optional<ObjectId> approvable,
        Set<String> authors,
        boolean authorsUnknown) {

    /** An approver whose record does not count, and why ("an author of 1a2b3c4d5e6f"). */
    public record NotCounted(String approver, String reason) {
    }

    public ApprovalJudgement {
        counted = List.copyOf(counted);
        notCounted = List.copyOf(notCounted);
        rejections = List.copyOf(rejections);
        authors = Set.copyOf(authors);
    }

    /** Whether the promotion has its approvals: none rejects, and at least {@code count} count. */
    public boolean satisfied() {
        return rejections.isEmpty() && !authorsUnknown && counted.size() >= requirement.count();
    }

    /**
     * The identities {@code from} names whose approval could still count, in policy order:
     * not those who approved, nor the authors of the promoted changes.
     */
    public List<String> waitingFor(People people) {
        Set<String> approvers = people.expand(requirement.from());
        counted.forEach(record -> approvers.remove(record.approver()));
        approvers.removeAll(authors);
        return List.copyOf(approvers);
    }

    /**
     * Judges the approvals for promoting {@code content} into {@code target}.
     *
     * @param promoted the promoted changes, whose authors and committers do not count under
     *                {@code notAuthor}
     * @param now     the time {@code maxAge} is measured to
     */
    public static ApprovalJudgement judge(Policy policy, RepositoryView repository, Environment target,
            ContentKey content, PromotedChanges promoted, SignaturePolicy signatures, Instant now)
            throws IOException {
        ApprovalRequirement requirement = target.requiresApproval().orElseThrow();
        Set<String> named = policy.people().expand(requirement.from());
        Map<String, String> authorship = requirement.notAuthor()
                ? authorship(policy, named, promoted.commits()) : Map.of();
        ContentKeys contentKeys = repository.contentKeys(policy.environmentSpecific());
        EvidenceStore store = repository.evidence(policy.evidence().notesRef());
        Map<String, List<ApprovalRecord>> byApprover = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        RevCommit approvable = null;
        for (String upstreamName : target.promotesFrom()) {
            Optional<Environment> upstream = policy.environment(upstreamName);
            Optional<ObjectId> tip = upstream.isPresent() ? repository.branchTip(upstream.get().branch())
                    : Optional.empty();
            if (tip.isEmpty()) {
                continue;
            }
            for (RevCommit candidate : repository.history(policy.promotion().searchDepth()).firstParents(tip.get())) {
                if (!contentKeys.of(candidate).equals(content)) {
                    continue;
                }
                if (approvable == null) {
                    approvable = candidate;
                }
                for (NoteLine line : store.validLines(candidate)) {
                    Optional<ApprovalRecord> approval = line.approval()
                            .filter(record -> record.environment().equals(target.name()));
                    if (approval.isEmpty()) {
                        continue;
                    }
                    String approver = approval.get().approver();
                    Optional<String> refusal = named.contains(approver)
                            ? signatures.whyNotCounted(line)
                            : Optional.of("not named by from (" + String.join(", ", requirement.from()) + ")");
                    if (refusal.isPresent()) {
                        refused.putIfAbsent(approver, refusal.get());
                    } else {
                        byApprover.computeIfAbsent(approver, a -> new ArrayList<>()).add(approval.get());
                    }
                }
            }
        }
        List<ApprovalRecord> counted = new ArrayList<>();
        List<ApprovalRecord> rejections = new ArrayList<>();
        Map<String, String> notCounted = new LinkedHashMap<>();
        for (Map.Entry<String, List<ApprovalRecord>> entry : byApprover.entrySet()) {
            ApprovalRecord deciding = entry.getValue().stream()
                    .max(Comparator.comparing(ApprovalRecord::recordedAt).thenComparing(r -> !r.approved()))
                    .orElseThrow();
            if (!deciding.approved()) {
                // A rejection blocks whoever gives it: refusing is never a way around the gate.
                rejections.add(deciding);
                continue;
            }
            Optional<String> exclusion = exclusion(requirement, deciding, authorship, now);
            if (exclusion.isPresent()) {
                notCounted.put(entry.getKey(), exclusion.get());
            } else {
                counted.add(deciding);
            }
        }
        refused.forEach((approver, reason) -> {
            if (!byApprover.containsKey(approver)) {
                notCounted.putIfAbsent(approver, reason);
            }
        });
        counted.sort(Comparator.comparing(ApprovalRecord::recordedAt));
        List<NotCounted> reasons = new ArrayList<>();
        notCounted.forEach((approver, reason) -> reasons.add(new NotCounted(approver, reason)));
        return new ApprovalJudgement(requirement, target, counted, reasons, rejections,
                Optional.ofNullable(approvable).map(commit -> commit.getId().copy()), authorship.keySet(),
                requirement.notAuthor() && !promoted.complete());
    }

    /** Why an approving deciding record does not count: too old, or given by an author. */
    private static Optional<String> exclusion(ApprovalRequirement requirement, ApprovalRecord deciding,
            Map<String, String> authorship, Instant now) {
        if (requirement.maxAge() != null && deciding.recordedAt().plus(requirement.maxAge()).isBefore(now)) {
            return Optional.of("too old (recorded " + Timestamp.text(deciding.recordedAt()) + ", maxAge "
                    + MaxAge.format(requirement.maxAge()) + ")");
        }
        return Optional.ofNullable(authorship.get(deciding.approver()));
    }

    /**
     * The identities of {@code named} that wrote or committed one of {@code changes}, each with
     * the first such change ("the author of promoted change 1a2b3c4d5e6f"), in one pass over
     * the changes: each commit's people are parsed once, not once per approver.
     */
    private static Map<String, String> authorship(Policy policy, Set<String> named, List<RevCommit> changes) {
        Map<String, String> authors = new LinkedHashMap<>();
        for (RevCommit change : changes) {
            String author = email(change.getAuthorIdent());
            String committer = email(change.getCommitterIdent());
            for (String identity : named) {
                if (authors.containsKey(identity)) {
                    continue;
                }
                if (policy.people().isEmailOf(identity, author)) {
                    authors.put(identity, "the author of promoted change " + change.abbreviate(12).name());
                } else if (policy.people().isEmailOf(identity, committer)) {
                    authors.put(identity, "the committer of promoted change " + change.abbreviate(12).name());
                }
            }
        }
        return authors;
    }

    private static String email(PersonIdent person) {
        return person == null ? null : person.getEmailAddress();
    }
}
