package dev.stagegate.rules;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.MaxAge;
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
 * a trusted producer when the policy names them, and passes the signature policy; the newest counting record decides, and on
 * a tie in {@code recordedAt} a failure wins. One judgement serves both the
 * {@code missing-evidence} rule and the environment board, so the two can never disagree.
 *
 * @param requirement the requirement judged
 * @param finding     what was found
 * @param source      the environment the suite must have run in, when the policy defines it
 * @param tested      the newest commit of {@code source} that carries the content: where a
 *                    record belongs
 * @param decisive    the newest counting record, when any counts
 * @param passingSince when the decisive record passed: the oldest counting pass newer than
 *                    every counting failure, where the current run of passes (the soak) began
 * @param unsigned    why records of the suite did not count under the signature policy, with
 *                    how many, when any did not
 */
public record EvidenceJudgement(
        EvidenceRequirement requirement,
        Finding finding,
        Optional<Environment> source,
        Optional<ObjectId> tested,
        Optional<EvidenceRecord> decisive,
        Optional<Instant> passingSince,
        Optional<String> unsigned) {

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
        /** The decisive record passed, but the run of passes is younger than {@code minAge}. */
        SOAKING,
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
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<ObjectId> tip = repository.branchTip(source.get().branch());
        if (tip.isEmpty()) {
            return new EvidenceJudgement(requirement, Finding.BRANCH_MISSING, source, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        EvidenceStore store = repository.evidence(policy.evidence().notesRef());
        ContentKeys contentKeys = repository.contentKeys(policy.environmentSpecific());
        Optional<Set<String>> trusted = policy.evidence().trustedProducers();
        SignaturePolicy signatures = SignaturePolicy.of(policy, repository.verifiedSignatures());
        List<EvidenceRecord> counting = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        RevCommit tested = null;
        for (RevCommit candidate : repository.history(policy.promotion().searchDepth()).firstParents(tip.get())) {
            if (!contentKeys.of(candidate).equals(content)) {
                continue;
            }
            if (tested == null) {
                tested = candidate;
            }
            for (NoteLine line : store.validLines(candidate)) {
                Optional<EvidenceRecord> record = line.evidence();
                if (record.isPresent()
                        && record.get().suite().equals(requirement.suite())
                        && record.get().environment().equals(requirement.environment())
                        && (trusted.isEmpty() || trusted.get().contains(record.get().producer()))) {
                    Optional<String> refusal = signatures.whyNotCounted(line);
                    if (refusal.isEmpty()) {
                        counting.add(record.get());
                    } else {
                        refused.add(refusal.get());
                    }
                }
            }
        }
        if (tested == null) {
            return new EvidenceJudgement(requirement, Finding.CONTENT_NOT_IN_ENVIRONMENT, source, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<ObjectId> testedId = Optional.of(tested.getId().copy());
        if (counting.isEmpty()) {
            return new EvidenceJudgement(requirement, Finding.NO_RECORD, source, testedId, Optional.empty(),
                    Optional.empty(), refusedWhy(refused));
        }
        EvidenceRecord decisive = counting.stream()
                .max(Comparator.comparing(EvidenceRecord::recordedAt)
                        .thenComparing(r -> !r.passed()))
                .orElseThrow();
        if (!decisive.passed()) {
            return new EvidenceJudgement(requirement, Finding.FAILED, source, testedId, Optional.of(decisive),
                    Optional.empty(), refusedWhy(refused));
        }
        Instant since = passingSince(counting);
        Finding finding;
        Duration maxAge = requirement.maxAge();
        Duration minAge = requirement.minAge();
        if (maxAge != null && decisive.recordedAt().plus(maxAge).isBefore(now)) {
            finding = Finding.TOO_OLD;
        } else if (minAge != null && since.plus(minAge).isAfter(now)) {
            finding = Finding.SOAKING;
        } else {
            finding = Finding.PASSED;
        }
        return new EvidenceJudgement(requirement, finding, source, testedId, Optional.of(decisive),
                Optional.of(since), refusedWhy(refused));
    }

    /** "2 records do not count: not signed (...)", naming the first reason. */
    private static Optional<String> refusedWhy(List<String> refused) {
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(refused.size() + (refused.size() == 1 ? " record does" : " records do")
                + " not count under evidence.signatures: " + refused.get(0));
    }

    /**
     * The start of the current run of passes: the oldest pass newer than every failure. A pass
     * recorded at the same instant as a failure does not start the run, as a failure wins a tie.
     */
    private static Instant passingSince(List<EvidenceRecord> counting) {
        Instant lastFailure = counting.stream().filter(record -> !record.passed()).map(EvidenceRecord::recordedAt)
                .max(Comparator.naturalOrder()).orElse(Instant.MIN);
        return counting.stream().filter(EvidenceRecord::passed).map(EvidenceRecord::recordedAt)
                .filter(at -> at.isAfter(lastFailure)).min(Comparator.naturalOrder()).orElseThrow();
    }

    /**
     * {@code 3h10m of 1d in staging}: how long the current run of passes has lasted by
     * {@code now}, for a requirement with {@code minAge} whose records pass; the rule and the
     * board word the soak alike.
     */
    public String soakProgress(Instant now) {
        return MaxAge.formatElapsed(Duration.between(passingSince.orElseThrow(), now)) + " of "
                + MaxAge.format(requirement.minAge()) + " in " + requirement.environment();
    }

    /** When the soak ends, for a requirement with {@code minAge} whose records pass. */
    public Optional<Instant> readyAt() {
        return requirement.minAge() == null ? Optional.empty()
                : passingSince.map(since -> since.plus(requirement.minAge()));
    }
}
