package dev.stagegate.rules;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.MaxAge;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Staging and production only take content that passed its tests in the stage before
 * (policy-v1.md, "Which evidence counts"). Evidence follows content, not commit ids: a record
 * counts when it is attached to a commit of the named environment that carries the promoted
 * content. The newest counting record decides, and a failed re-run revokes an earlier pass.
 * {@link EvidenceJudgement} judges; this rule words what it found as a violation.
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
        // A CI checkout fetches no notes: there, a record that is missing is most likely one not fetched.
        boolean notesNotFetched = !store.exists() && update.kind() == UpdateKind.PULL_REQUEST;
        String noNotes = "this clone has no " + notesRef + " at all";
        List<Violation> violations = new ArrayList<>();
        for (EvidenceRequirement requirement : target.get().requiresEvidence()) {
            EvidenceJudgement judgement = EvidenceJudgement.judge(update.policy(), update.repository(), requirement,
                    update.newContent(), update.now());
            boolean notFetchedFirst = notesNotFetched && judgement.finding() == EvidenceJudgement.Finding.NO_RECORD;
            message(update, requirement, judgement, !notFetchedFirst).ifPresent(message -> {
                String found = message + judgement.unsigned().map(why -> "; " + why).orElse("");
                if (notFetchedFirst) {
                    found = "the evidence notes were not fetched (" + noNotes + "): " + FETCH_NOTES
                            + ", then check again; without them: " + found;
                } else if (notesNotFetched) {
                    found = found + "; " + noNotes + ": " + FETCH_NOTES;
                }
                violations.add(Violation.error(id(), found));
            });
        }
        return violations;
    }

    /**
     * @param adviseRecording whether to say how to record the missing run, which is the wrong
     *                        advice where the records were only not fetched
     */
    private static Optional<String> message(UpdateContext update, EvidenceRequirement requirement,
            EvidenceJudgement judgement, boolean adviseRecording) {
        String what = "'" + requirement.suite() + "' evidence from " + requirement.environment();
        String branch = judgement.source().map(Environment::branch).orElse("");
        String record = judgement.tested().filter(tested -> adviseRecording)
                .map(tested -> "; record it with: stagegate evidence record --commit " + tested.name()
                        + " --environment " + requirement.environment() + " --suite " + requirement.suite()
                        + " --reports <dir>").orElse("");
        return switch (judgement.finding()) {
            case UNKNOWN_ENVIRONMENT -> Optional.of("requires " + what + ", an environment the policy does not define");
            case BRANCH_MISSING -> Optional.of("no " + what + ": branch '" + branch + "' does not exist");
            case CONTENT_NOT_IN_ENVIRONMENT -> Optional.of("no " + what + ": the promoted content is not in "
                    + requirement.environment() + " (branch '" + branch + "'), so it cannot have been tested there");
            case NO_RECORD -> {
                String producers = update.policy().evidence().trustedProducers()
                        .map(t -> " by a trusted producer (" + String.join(", ", t) + ")").orElse("");
                yield Optional.of("no " + what + producers + " for the promoted content (tested commit "
                        + judgement.tested().orElseThrow().abbreviate(12).name() + ")" + record);
            }
            case FAILED -> {
                EvidenceRecord decisive = judgement.decisive().orElseThrow();
                yield Optional.of("the newest " + what + " for the promoted content is 'failed' (recorded "
                        + decisive.recordedAt() + " by " + decisive.producer() + " on "
                        + decisive.commit().substring(0, 12) + "); fix the tests and record a passing run");
            }
            case TOO_OLD -> Optional.of("the newest passing " + what + " was recorded "
                    + judgement.decisive().orElseThrow().recordedAt() + ", older than maxAge "
                    + MaxAge.format(requirement.maxAge()) + "; re-run the suite" + record);
            case SOAKING -> Optional.of(what + " passes, but has soaked only " + judgement.soakProgress(update.now())
                    + " (passing since " + judgement.passingSince().orElseThrow() + "); ready at "
                    + judgement.readyAt().orElseThrow() + ", if no failure is recorded before then");
            case PASSED -> Optional.empty();
        };
    }
}
