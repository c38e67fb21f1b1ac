package dev.stagegate.rules;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Staging and production only take content that passed its tests in the stage before
 * (policy-v1.md, "Which evidence counts"). Evidence follows content, not commit ids: a record
 * counts when it is attached to a commit of the named environment that carries the promoted
 * content. The newest counting record decides, and a failed re-run revokes an earlier pass.
 */
public final class MissingEvidenceRule implements Rule {

    /** What CI checkouts lack: they never fetch notes. */
    static final String FETCH_NOTES = "git fetch origin '+refs/notes/*:refs/notes/*'";

    @Override
    public String id() {
        return RuleIds.MISSING_EVIDENCE;
    }

    @Override
    public String summary() {
        return "promotions into an environment with requiresEvidence need a passing, recent test record";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> target = update.environment();
        if (target.isEmpty() || target.get().requiresEvidence().isEmpty() || !update.isPromotion()) {
            return List.of();
        }
        String notesRef = update.policy().evidence().notesRef();
        EvidenceStore store = update.repository().evidence(notesRef);
        List<Violation> violations = new ArrayList<>();
        for (EvidenceRequirement requirement : target.get().requiresEvidence()) {
            judge(update, target.get(), requirement, store).ifPresent(message -> violations.add(
                    Violation.error(id(), message + (store.exists() || update.kind() != UpdateKind.PULL_REQUEST
                            ? "" : "; this clone has no " + notesRef + " at all: " + FETCH_NOTES))));
        }
        return violations;
    }

    private static Optional<String> judge(UpdateContext update, Environment target, EvidenceRequirement requirement,
            EvidenceStore store) throws IOException {
        String what = "'" + requirement.suite() + "' evidence from " + requirement.environment();
        Optional<Environment> source = update.policy().environment(requirement.environment());
        if (source.isEmpty()) {
            return Optional.of("requires " + what + ", an environment the policy does not define");
        }
        Optional<ObjectId> tip = ContentSearch.tipOf(update, source.get());
        if (tip.isEmpty()) {
            return Optional.of("no " + what + ": branch '" + source.get().branch() + "' does not exist");
        }
        Optional<Set<String>> trusted = update.policy().evidence().trustedProducers();
        List<EvidenceRecord> counting = new ArrayList<>();
        RevCommit tested = null;
        for (RevCommit candidate : update.history().firstParents(tip.get())) {
            if (!update.contentKeys().of(candidate).equals(update.newContent())) {
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
            return Optional.of("no " + what + ": the promoted content is not in " + requirement.environment()
                    + " (branch '" + source.get().branch() + "'), so it cannot have been tested there");
        }
        String record = "; record it with: stagegate evidence record --commit " + tested.name()
                + " --environment " + requirement.environment() + " --suite " + requirement.suite()
                + " --reports <dir>";
        if (counting.isEmpty()) {
            String producers = trusted.map(t -> " by a trusted producer (" + String.join(", ", t) + ")").orElse("");
            return Optional.of("no " + what + producers + " for the promoted content (tested commit "
                    + tested.abbreviate(12).name() + ")" + record);
        }
        EvidenceRecord decisive = counting.stream()
                .max(Comparator.comparing(EvidenceRecord::recordedAt)
                        .thenComparing(r -> !r.passed()))
                .orElseThrow();
        if (!decisive.passed()) {
            return Optional.of("the newest " + what + " for the promoted content is 'failed' (recorded "
                    + decisive.recordedAt() + " by " + decisive.producer() + " on " + decisive.commit().substring(0, 12)
                    + "); fix the tests and record a passing run");
        }
        Duration maxAge = requirement.maxAge();
        if (maxAge != null && decisive.recordedAt().plus(maxAge).isBefore(update.now())) {
            return Optional.of("the newest passing " + what + " was recorded " + decisive.recordedAt()
                    + ", older than maxAge " + describe(maxAge) + "; re-run the suite" + record);
        }
        return Optional.empty();
    }

    private static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
