package dev.stagegate.rules;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.Policy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * How one evidence requirement stands for some content (policy-v1.md, "Which evidence
 * counts"): a record counts when it is attached to a commit in the requirement's
 * environment that carries the content, names the suite and the environment, and comes from
 * a trusted producer when the policy names them; the newest counting record decides, and on
 * a tie in {@code recordedAt} a failure wins. One judgement serves both the
 * {@code missing-evidence} rule and the environment board, so the two can never disagree.
 *
 * @param requirement the requirement judged
 * @param finding     what was found
 * @param source      the environment the suite must have run in, when the policy defines it
 * @param tested      the newest commit of {@code source} that carries the content: where a
 *                    record belongs
 * @param decisive    the newest counting record, when any counts
 */
public record EvidenceJudgement(
        EvidenceRequirement requirement,
        Finding finding,
        Optional<Environment> source,
        Optional<ObjectId> tested,
        Optional<EvidenceRecord> decisive) {

    /** The outcomes of a judgement; only {@link #PASSED} satisfies the requirement. */
    public enum Finding {
        /** The requirement names an environment the policy does not define. */
        UNKNOWN_ENVIRONMENT,
        /** The environment's branch does not exist. */
        BRANCH_MISSING,
        /** No commit in the environment carries the content, so it was never tested there. */
        CONTENT_NOT_IN_ENVIRONMENT,
        /** The content is in the environment, but no record counts. */
        NO_RECORD,
        /** The decisive record is a failure. */
        FAILED,
        /** The decisive record passed, longer ago than {@code maxAge}. */
        TOO_OLD,
        /** The decisive record passed, recently enough. */
        PASSED;

        public boolean satisfied() {
            return this == PASSED;
        }

        /** {@code passed}, {@code too-old}, {@code content-not-in-environment}, ...: as reports show it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Judges {@code requirement} for {@code content} under {@code policy}, with the evidence
     * under the policy's notes ref as {@code repository} reads it.
     *
     * @param now the time {@code maxAge} is measured to
     */
    public static EvidenceJudgement judge(Policy policy, RepositoryView repository, EvidenceRequirement requirement,
            ContentKey content, Instant now) throws IOException {
        Optional<Environment> source = policy.environment(requirement.environment());
        if (source.isEmpty()) {
            return new EvidenceJudgement(requirement, Finding.UNKNOWN_ENVIRONMENT, source, Optional.empty(),
                    Optional.empty());
        }
        Optional<ObjectId> tip = repository.branchTip(source.get().branch());
        if (tip.isEmpty()) {
            return new EvidenceJudgement(requirement, Finding.BRANCH_MISSING, source, Optional.empty(),
                    Optional.empty());
        }
        EvidenceStore store = repository.evidence(policy.evidence().notesRef());
        ContentKeys contentKeys = repository.contentKeys(policy.environmentSpecific());
        Optional<Set<String>> trusted = policy.evidence().trustedProducers();
        List<EvidenceRecord> counting = new ArrayList<>();
        RevCommit tested = null;
        for (RevCommit candidate : repository.history(policy.promotion().searchDepth()).firstParents(tip.get())) {
            if (!contentKeys.of(candidate).equals(content)) {
                continue;
            }
            if (tested == null) {
                tested = candidate;
            }
            for (EvidenceRecord record : store.records(candidate)) {
                if (record.suite().equals(requirement.suite())
                        && record.environment().equals(requirement.environment())
                        && (trusted.isEmpty() || trusted.get().contains(record.producer()))) {
                    counting.add(record);
                }
            }
        }
        if (tested == null) {
            return new EvidenceJudgement(requirement, Finding.CONTENT_NOT_IN_ENVIRONMENT, source, Optional.empty(),
                    Optional.empty());
        }
        Optional<ObjectId> testedId = Optional.of(tested.getId().copy());
        if (counting.isEmpty()) {
            return new EvidenceJudgement(requirement, Finding.NO_RECORD, source, testedId, Optional.empty());
        }
        EvidenceRecord decisive = counting.stream()
                .max(Comparator.comparing(EvidenceRecord::recordedAt)
                        .thenComparing(r -> !r.passed()))
                .orElseThrow();
        Finding finding;
        Duration maxAge = requirement.maxAge();
        if (!decisive.passed()) {
            finding = Finding.FAILED;
        } else if (maxAge != null && decisive.recordedAt().plus(maxAge).isBefore(now)) {
            finding = Finding.TOO_OLD;
        } else {
            finding = Finding.PASSED;
        }
        return new EvidenceJudgement(requirement, finding, source, testedId, Optional.of(decisive));
    }
}
