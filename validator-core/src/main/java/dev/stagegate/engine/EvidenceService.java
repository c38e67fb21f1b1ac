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
import dev.stagegate.evidence.PushReport;
import dev.stagegate.evidence.ReportDigest;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.EvidenceSettings;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code stagegate evidence record} and {@code evidence list} over a repository. */
public final class EvidenceService {

    private final PolicyLoader loader;

    public EvidenceService(PolicyLoader loader) {
        this.loader = loader;
    }

    public Outcome record(EvidenceRequest request, Instant now) throws IOException {
        try (Repository repository = RepositoryOpener.open(request.repository())) {
            Optional<Policy> policy = policy(repository, request.policyFile());
            String notesRef = policy.map(p -> p.evidence().notesRef()).orElse(EvidenceSettings.DEFAULT_NOTES_REF);
            if (policy.isPresent() && policy.get().environment(request.environment()).isEmpty()) {
                return refused("environment '" + request.environment() + "' is not defined in the policy", ExitStatus.USAGE_OR_POLICY);
            }
            if (request.producer().isEmpty()) {
                return refused("no producer: pass --producer NAME or set STAGEGATE_USER (the hook checks that the"
                        + " producer is the account that pushes the notes)", ExitStatus.USAGE_OR_POLICY);
            }
            ObjectId resolved = repository.resolve(request.commit() + "^{commit}");
            if (resolved == null) {
                return refused("commit '" + request.commit() + "' does not exist", ExitStatus.USAGE_OR_POLICY);
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
            var committer = EvidenceRecorder.committer(request.producer().get(), now);
            String what = "'" + request.suite() + "' " + result.label() + " in " + request.environment() + " on "
                    + resolved.name();
            if (request.pushRemote().isEmpty()) {
                recorder.append(record, committer);
                return new Outcome(new Verdict(List.of(), List.of("recorded " + what + " (" + notesRef + ")"
                        + fromReports)), ExitStatus.ACCEPTED);
            }
            String remote = request.pushRemote().get();
            PushReport report = recorder.appendAndPush(record, committer, remote);
            return pushed(report, remote, notesRef, "recorded " + what + " (" + notesRef + ", pushed to " + remote
                    + ")" + fromReports, what);
        } catch (InvalidEvidenceException e) {
            return refused("the record would not be valid evidence: " + e.getMessage(), ExitStatus.USAGE_OR_POLICY);
        }
    }

    /**
     * The remote's verdict on the push, with what its hooks printed: a record the server refused
     * is not recorded here either (exit status 1); one that could not be pushed, exit status 3.
     */
    private static Outcome pushed(PushReport report, String remote, String notesRef, String recorded, String what) {
        List<String> remoteLines = report.remoteLines().stream().map(line -> "remote: " + line).toList();
        return switch (report.status()) {
            case ACCEPTED -> new Outcome(new Verdict(List.of(),
                    Stream.concat(Stream.of(recorded), remoteLines.stream()).toList()),
                    ExitStatus.ACCEPTED);
            case REFUSED -> new Outcome(new Verdict(List.of(Violation.runError(remote + " refused the push ("
                    + report.reason() + "), so " + what + " is not recorded"
                    + (remoteLines.isEmpty() ? "" : "; see the server's remote: lines")).inContext(notesRef, null, null)),
                    remoteLines), ExitStatus.REJECTED);
            case OUTDATED, FAILED -> new Outcome(new Verdict(List.of(Violation.runError(report.reason()
                    + "; " + what + " is not recorded").inContext(notesRef, null, null)), remoteLines),
                    ExitStatus.CANNOT_JUDGE);
        };
    }

    public EvidenceListing list(Path repositoryDirectory, Optional<String> commit, Optional<Path> policyFile)
            throws IOException {
        try (Repository repository = RepositoryOpener.open(repositoryDirectory);
                RevWalk walk = new RevWalk(repository)) {
            String notesRef = policy(repository, policyFile).map(p -> p.evidence().notesRef())
                    .orElse(EvidenceSettings.DEFAULT_NOTES_REF);
            ObjectId notesTip = repository.resolve(notesRef);
            if (notesTip == null) {
                return new EvidenceListing(notesRef, List.of(), Optional.empty(), ExitStatus.ACCEPTED);
            }
            NoteMap notes = NoteMap.read(walk.getObjectReader(), walk.parseCommit(notesTip));
            List<EvidenceListing.Entry> entries = new ArrayList<>();
            if (commit.isPresent()) {
                ObjectId id = repository.resolve(commit.get() + "^{commit}");
                if (id == null) {
                    return EvidenceListing.failed(notesRef, "commit '" + commit.get() + "' does not exist",
                            ExitStatus.USAGE_OR_POLICY);
                }
                Note note = notes.getNote(id);
                if (note != null) {
                    addLines(walk, note, entries);
                }
            } else {
                for (Note note : notes) {
                    addLines(walk, note, entries);
                }
            }
            return new EvidenceListing(notesRef, entries, Optional.empty(), ExitStatus.ACCEPTED);
        }
    }

    private static void addLines(RevWalk walk, Note note, List<EvidenceListing.Entry> entries) throws IOException {
        for (NoteLine line : EvidenceStore.readLines(walk.getObjectReader(), note.getData())) {
            entries.add(new EvidenceListing.Entry(note.name(), line));
        }
    }

    /** The --policy file, else the default branch's policy, else HEAD's; empty when none is valid. */
    private Optional<Policy> policy(Repository repository, Optional<Path> policyFile) throws IOException {
        if (policyFile.isPresent()) {
            PolicyLoadResult result = loader.load(Files.readAllBytes(policyFile.get()), policyFile.get().toString());
            return result.policy();
        }
        try (RepositoryView view = new RepositoryView(repository, RepositoryView.BranchSource.REMOTE_FIRST)) {
            PolicyResolver resolver = new PolicyResolver(view, loader, Optional.empty());
            Optional<ObjectId> tip = view.defaultBranchTip();
            if (tip.isEmpty()) {
                tip = Optional.ofNullable(repository.resolve("HEAD"));
            }
            if (tip.isEmpty()) {
                return Optional.empty();
            }
            RevCommit commit = view.commit(tip.get());
            return resolver.policyAt(commit).flatMap(PolicyLoadResult::policy);
        }
    }

    private static Outcome refused(String message, ExitStatus status) {
        return new Outcome(Verdict.of(List.of(Violation.runError(message))), status);
    }
}
