package dev.stagegate.engine;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceRecorder;
import dev.stagegate.evidence.EvidenceResult;
import dev.stagegate.evidence.EvidenceStore;
import dev.stagegate.evidence.InvalidEvidenceException;
import dev.stagegate.evidence.JUnitReports;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.ReportDigest;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.policy.ClosestName;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceSettings;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.signature.SignatureCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code stagegate evidence record} and {@code evidence list} over a repository. */
public final class EvidenceService {

    private final PolicyLoader loader;

    public EvidenceService(PolicyLoader loader) {
        this.loader = loader;
    }

    public Outcome record(EvidenceRequest request, Instant clockTime) throws IOException {
        // whole seconds: a record is read by people, and a clock's microseconds only lengthen its lines
        Instant now = clockTime.truncatedTo(ChronoUnit.SECONDS);
        try (Repository repository = RepositoryOpener.open(request.repository())) {
            Optional<Policy> policy = NoteWriting.policy(loader, repository, request.policyFile());
            String notesRef = policy.map(p -> p.evidence().notesRef()).orElse(EvidenceSettings.DEFAULT_NOTES_REF);
            if (policy.isPresent() && policy.get().environment(request.environment()).isEmpty()) {
                return Outcome.usageError(unknownEnvironment(policy.get(), request.environment()));
            }
            if (request.producer().isEmpty()) {
                return Outcome.usageError("no producer: pass --producer NAME or set STAGEGATE_USER (the hook checks"
                        + " that the producer is the account that pushes the notes)");
            }
            ObjectId resolved = repository.resolve(request.commit() + "^{commit}");
            if (resolved == null) {
                return Outcome.usageError("commit '" + request.commit() + "' does not exist in "
                        + repository.getDirectory());
            }
            EvidenceRecorder recorder = new EvidenceRecorder(repository, notesRef);
            if (!recorder.isOnABranch(resolved)) {
                return refused("commit " + resolved.name() + " is on no remote branch (a CI's synthetic merge commit?);"
                        + " evidence belongs on a commit an environment's branch carries: record it on the branch"
                        + " commit that was tested", ExitStatus.REJECTED);
            }
            EvidenceResult result;
            Map<String, Long> counts = Map.of();
            List<ReportDigest> reports = List.of();
            String fromReports = "";
            if (request.result().isPresent()) {
                result = request.result().get();
            } else {
                JUnitReports.Summary summary = JUnitReports.read(request.reports());
                result = summary.result();
                counts = Map.of("tests", summary.tests(), "failures", summary.failures(),
                        "errors", summary.errors(), "skipped", summary.skipped());
                reports = summary.reports();
                fromReports = ": " + summary.counts() + summary.whyNotPassed().map(why -> "; " + why).orElse("");
            }
            EvidenceRecord record = new EvidenceRecord(resolved.name(), request.environment(), request.suite(), result,
                    now, request.producer().get(), counts, request.runUrl(), reports, Optional.empty());
            EvidenceRecord.parse(record.toJsonLine());
            String line = NoteWriting.line(record, request.signKey(), policy);
            String what = "'" + request.suite() + "' " + result.label() + " in " + request.environment() + " on "
                    + resolved.name();
            return NoteWriting.write(recorder, record, line, EvidenceRecorder.committer(request.producer().get(), now),
                    request.pushRemote(), notesRef, new NoteWriting.Description(what,
                            (line.equals(record.toJsonLine()) ? "" : ", signed") + fromReports, List.of()));
        } catch (InvalidEvidenceException e) {
            return refused("the record would not be valid evidence: " + e.getMessage(), ExitStatus.USAGE_OR_POLICY);
        } catch (NoteWriting.Refused e) {
            return e.outcome();
        }
    }

    /**
     * Every note line, with the check of each signed record's signature against the allowed
     * signers of the policy, or {@code serverSigners} instead when given (as the hook's
     * {@code --allowed-signers} replaces every policy's).
     */
    public EvidenceListing list(Path repositoryDirectory, Optional<String> commit, Optional<Path> policyFile,
            Optional<AllowedSigners> serverSigners) throws IOException {
        try (Repository repository = RepositoryOpener.open(repositoryDirectory);
                RevWalk walk = new RevWalk(repository)) {
            Optional<Policy> policy = NoteWriting.policy(loader, repository, policyFile);
            String notesRef = policy.map(p -> p.evidence().notesRef()).orElse(EvidenceSettings.DEFAULT_NOTES_REF);
            Optional<AllowedSigners> signers = serverSigners.or(() -> policy.flatMap(Policy::allowedSigners));
            ObjectId notesTip = repository.resolve(notesRef);
            if (notesTip == null) {
                return new EvidenceListing(notesRef, List.of(), Optional.empty(), ExitStatus.ACCEPTED);
            }
            NoteMap notes = NoteMap.read(walk.getObjectReader(), walk.parseCommit(notesTip));
            List<EvidenceListing.Entry> entries = new ArrayList<>();
            if (commit.isPresent()) {
                ObjectId id = repository.resolve(commit.get() + "^{commit}");
                if (id == null) {
                    return EvidenceListing.failed(notesRef, "commit '" + commit.get() + "' does not exist in "
                            + repository.getDirectory(),
                            ExitStatus.USAGE_OR_POLICY);
                }
                Note note = notes.getNote(id);
                if (note != null) {
                    addLines(walk, note, signers, entries);
                }
            } else {
                for (Note note : notes) {
                    addLines(walk, note, signers, entries);
                }
            }
            return new EvidenceListing(notesRef, entries, Optional.empty(), ExitStatus.ACCEPTED);
        }
    }

    private static void addLines(RevWalk walk, Note note, Optional<AllowedSigners> signers,
            List<EvidenceListing.Entry> entries) throws IOException {
        for (NoteLine line : EvidenceStore.readLines(walk.getObjectReader(), note.getData())) {
            Optional<SignatureCheck> signature = line.record().filter(record -> record.signature().isPresent())
                    .map(record -> SignaturePolicy.verify(record, line.text(), signers));
            entries.add(new EvidenceListing.Entry(note.name(), line, signature));
        }
    }

    private static String unknownEnvironment(Policy policy, String name) {
        List<String> names = policy.environments().stream().map(Environment::name).toList();
        return "environment '" + name + "' is not defined in the policy; environments: " + String.join(", ", names)
                + ClosestName.meant(name, names).map(closest -> " (did you mean '" + closest + "'?)").orElse("");
    }

    private static Outcome refused(String message, ExitStatus status) {
        return NoteWriting.refusal(message, status);
    }
}
