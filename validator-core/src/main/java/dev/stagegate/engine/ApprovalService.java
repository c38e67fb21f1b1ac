package dev.stagegate.engine;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceRecorder;
import dev.stagegate.evidence.InvalidEvidenceException;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.ClosestName;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code stagegate approve}: writes an Approval line under the policy's notes ref, as
 * {@code evidence record} writes evidence. The approved commit must be in one of the target's
 * upstream environments (its branch tip or the first {@code searchDepth} first-parent
 * ancestors), where {@code missing-approval} looks for approvals; an approval anywhere else
 * would silently count for nothing.
 */
public final class ApprovalService {

    private final PolicyLoader loader;

    public ApprovalService(PolicyLoader loader) {
        this.loader = loader;
    }

    public Outcome approve(ApprovalRequest request, Instant clockTime) throws IOException {
        // whole seconds: a record is read by people, and a clock's microseconds only lengthen its lines
        Instant now = clockTime.truncatedTo(ChronoUnit.SECONDS);
        try (Repository repository = RepositoryOpener.open(request.repository());
                RepositoryView view = new RepositoryView(repository, RepositoryView.BranchSource.REMOTE_FIRST)) {
            Optional<Policy> found = NoteWriting.policy(loader, repository, request.policyFile());
            if (found.isEmpty()) {
                throw new NoteWriting.Refused("no valid policy found (on the default branch, or given with --policy):"
                        + " an approval names one of its environments", ExitStatus.USAGE_OR_POLICY);
            }
            Policy policy = found.get();
            Environment target = target(policy, request.environment());
            if (request.approver().isEmpty()) {
                throw NoteWriting.Refused.usage("no approver: pass --approver ID or set STAGEGATE_USER (the hook"
                        + " checks that the approver of an unsigned approval is the account that pushes it)");
            }
            ObjectId commit = commit(repository, view, policy, target, request.commit());
            ApprovalRecord record = new ApprovalRecord(commit.name(), target.name(), request.approver().get(),
                    request.decision(), now, request.comment(), Optional.empty());
            ApprovalRecord.parse(record.toJsonLine());
            String line = NoteWriting.line(record, request.signKey(), found);
            List<String> notes = new ArrayList<>();
            if (target.requiresApproval().isEmpty()) {
                notes.add(target.name() + " has no requiresApproval in the policy, so no promotion waits for this");
            }
            String what = (record.approved() ? "approval" : "rejection") + " of " + commit.name() + " into "
                    + target.name() + " by " + record.approver() + (line.equals(record.toJsonLine()) ? "" : ", signed");
            return NoteWriting.write(new EvidenceRecorder(repository, policy.evidence().notesRef()), record, line,
                    EvidenceRecorder.committer(record.approver(), now), request.pushRemote(),
                    policy.evidence().notesRef(), new NoteWriting.Description(what, "", notes));
        } catch (InvalidEvidenceException e) {
            return NoteWriting.refusal("the approval would not be a valid record: " + e.getMessage(),
                    ExitStatus.USAGE_OR_POLICY);
        } catch (NoteWriting.Refused e) {
            return e.outcome();
        }
    }

    /** The environment approved into: one the policy defines, with an upstream to approve content from. */
    private static Environment target(Policy policy, String name) throws NoteWriting.Refused {
        Optional<Environment> target = policy.environment(name);
        if (target.isEmpty()) {
            List<String> names = policy.environments().stream().map(Environment::name).toList();
            throw NoteWriting.Refused.usage("environment '" + name + "' is not defined in the policy; environments: "
                    + String.join(", ", names)
                    + ClosestName.meant(name, names).map(closest -> " (did you mean '" + closest + "'?)").orElse(""));
        }
        if (target.get().isEntry()) {
            throw new NoteWriting.Refused("'" + name + "' is an entry environment: content enters it from no other"
                    + " environment, so there is no promotion into it to approve", ExitStatus.REJECTED);
        }
        return target.get();
    }

    /**
     * {@code --commit}, else the tip of the target's one upstream branch ({@code origin/<branch>}
     * in a clone); it must be in an upstream environment.
     */
    private static ObjectId commit(Repository repository, RepositoryView view, Policy policy, Environment target,
            Optional<String> revision) throws IOException, NoteWriting.Refused {
        ObjectId commit;
        if (revision.isPresent()) {
            commit = repository.resolve(revision.get() + "^{commit}");
            if (commit == null) {
                throw NoteWriting.Refused.usage("commit '" + revision.get() + "' does not exist in "
                        + repository.getDirectory());
            }
        } else if (target.promotesFrom().size() > 1) {
            throw NoteWriting.Refused.usage(target.name() + " promotes from "
                    + String.join(" and ", target.promotesFrom())
                    + ": pass --commit REV, the commit of one of them whose content you approve");
        } else {
            Environment upstream = upstream(policy, target.promotesFrom().get(0));
            Optional<ObjectId> tip = view.branchTip(upstream.branch());
            if (tip.isEmpty()) {
                throw new NoteWriting.Refused(upstream.name() + "'s branch " + upstream.branch() + " does not exist"
                        + " here (neither origin/" + upstream.branch() + " nor " + upstream.branch()
                        + "); fetch it, or pass --commit REV", ExitStatus.USAGE_OR_POLICY);
            }
            commit = tip.get();
        }
        int depth = policy.promotion().searchDepth();
        List<String> searched = new ArrayList<>();
        for (String upstreamName : target.promotesFrom()) {
            Environment upstream = upstream(policy, upstreamName);
            Optional<ObjectId> tip = view.branchTip(upstream.branch());
            if (tip.isEmpty()) {
                continue;
            }
            searched.add(view.branchRefName(upstream.branch()));
            for (RevCommit candidate : view.history(depth).firstParents(tip.get())) {
                if (candidate.getId().equals(commit)) {
                    return commit;
                }
            }
        }
        throw new NoteWriting.Refused("commit " + commit.name() + " is in no upstream environment of " + target.name()
                + " (" + (searched.isEmpty() ? "none of their branches exists here"
                        : "not the tip or one of the first " + depth + " first-parent ancestors of "
                                + String.join(", ", searched)) + "); approve the commit of "
                + String.join(" or ", target.promotesFrom()) + " that carries the content to promote, where"
                + " missing-approval looks for approvals", ExitStatus.REJECTED);
    }

    private static Environment upstream(Policy policy, String name) throws NoteWriting.Refused {
        return policy.environment(name).orElseThrow(() -> new NoteWriting.Refused("the policy names '" + name
                + "' as an upstream but does not define it", ExitStatus.USAGE_OR_POLICY));
    }
}
