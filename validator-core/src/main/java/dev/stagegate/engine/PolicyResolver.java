package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.git.BranchHistory;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.PromotionSettings;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Finds the policy that governs an update, exactly as policy-v1.md orders it: the server's
 * {@code --policy}; else the updated branch's policy before the push (a push never loosens
 * its own check); else the default branch's; else none. An invalid policy falls back to the
 * newest valid one in the branch's first-parent history, with {@code policy-invalid}; with
 * none, the update fails closed. Also the policies that guard an evidence notes ref
 * ({@link #notesRefPolicies()}). Policies are parsed once per blob id.
 */
public final class PolicyResolver {

    private final RepositoryView repository;
    private final PolicyLoader loader;
    private final Optional<Policy> serverPolicy;
    private final Map<ObjectId, PolicyLoadResult> byBlob = new HashMap<>();
    private final Map<String, GoverningPolicy> byBranch = new HashMap<>();

    private final ValidatedPolicies validated;

    public PolicyResolver(RepositoryView repository, PolicyLoader loader, Optional<Policy> serverPolicy) {
        this(repository, loader, serverPolicy, ValidatedPolicies.none());
    }

    /** @param validated policy blobs known to pass the schema, so the hook validates each blob once */
    public PolicyResolver(RepositoryView repository, PolicyLoader loader, Optional<Policy> serverPolicy,
            ValidatedPolicies validated) {
        this.repository = repository;
        this.loader = loader;
        this.serverPolicy = serverPolicy;
        this.validated = validated;
    }

    public GoverningPolicy forUpdate(RefUpdate update) throws IOException {
        if (serverPolicy.isPresent()) {
            return GoverningPolicy.of(serverPolicy.get(), "the server policy");
        }
        if (update.isBranch() && !update.isCreation()) {
            Optional<GoverningPolicy> own = atBranchTip(update.branchName(), update.oldId());
            if (own.isPresent()) {
                return own.get();
            }
        }
        return forDefaultBranch();
    }

    /** The pull-request check: the target branch's current tip, else the default branch. */
    public GoverningPolicy forBranch(String branch) throws IOException {
        if (serverPolicy.isPresent()) {
            return GoverningPolicy.of(serverPolicy.get(), "the given policy");
        }
        Optional<ObjectId> tip = repository.branchTip(branch);
        if (tip.isPresent()) {
            Optional<GoverningPolicy> own = atBranchTip(branch, tip.get());
            if (own.isPresent()) {
                return own.get();
            }
        }
        return forDefaultBranch();
    }

    private GoverningPolicy forDefaultBranch() throws IOException {
        Optional<String> defaultBranch = repository.defaultBranch();
        if (defaultBranch.isEmpty()) {
            return GoverningPolicy.none();
        }
        Optional<ObjectId> tip = repository.branchTip(defaultBranch.get());
        if (tip.isEmpty()) {
            return GoverningPolicy.none();
        }
        return atBranchTip(defaultBranch.get(), tip.get()).orElse(GoverningPolicy.none());
    }

    /** The policy at a branch tip, with the fallback for an invalid one; empty when the tip has none. */
    private Optional<GoverningPolicy> atBranchTip(String branch, ObjectId tip) throws IOException {
        String cacheKey = branch + "@" + tip.name();
        GoverningPolicy cached = byBranch.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        RevCommit commit = repository.commit(tip);
        Optional<PolicyLoadResult> result = policyAt(commit);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        String source = PolicyLoader.DEFAULT_PATH + " at " + branch + " (" + tip.abbreviate(12).name() + ")";
        GoverningPolicy governing;
        if (result.get().valid()) {
            governing = GoverningPolicy.of(result.get().policy().orElseThrow(), source);
        } else {
            governing = fallBack(branch, commit, source, result.get());
        }
        byBranch.put(cacheKey, governing);
        return Optional.of(governing);
    }

    private GoverningPolicy fallBack(String branch, RevCommit tip, String source, PolicyLoadResult invalid)
            throws IOException {
        List<Violation> problems = new ArrayList<>();
        for (Violation error : invalid.errors()) {
            problems.add(error.withMessage("the policy governing this update (" + source + ") is invalid: "
                    + error.message()));
        }
        BranchHistory history = repository.history(PromotionSettings.DEFAULT_SEARCH_DEPTH);
        for (RevCommit older : history.firstParents(tip)) {
            Optional<PolicyLoadResult> candidate = policyAt(older);
            if (candidate.isPresent() && candidate.get().valid()) {
                String olderSource = PolicyLoader.DEFAULT_PATH + " at " + older.abbreviate(12).name() + " on " + branch;
                // A warning, not an error: the older policy judges the update in full, and an
                // error would also block the push that repairs the policy, leaving only --policy.
                List<Violation> warnings = new ArrayList<>();
                for (Violation problem : problems) {
                    warnings.add(problem.withSeverity(Severity.WARNING));
                }
                warnings.add(Violation.warning(RuleIds.POLICY_INVALID, "governed instead by the newest valid policy, "
                        + olderSource + "; fix " + PolicyLoader.DEFAULT_PATH + " on " + branch));
                return new GoverningPolicy(candidate.get().policy(), olderSource, warnings, ExitStatus.ACCEPTED);
            }
        }
        problems.add(Violation.error(RuleIds.POLICY_INVALID, "no valid policy in the last "
                + PromotionSettings.DEFAULT_SEARCH_DEPTH + " commits of " + branch
                + "; rejected (fail closed) until a server --policy or a fixed policy governs"));
        return new GoverningPolicy(Optional.empty(), source, problems, ExitStatus.USAGE_OR_POLICY);
    }

    /** The policy file in {@code commit}, parsed; empty when the commit has none. */
    public Optional<PolicyLoadResult> policyAt(RevCommit commit) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository.reader(), PolicyLoader.DEFAULT_PATH, commit.getTree())) {
            if (walk == null || walk.isSubtree()) {
                return Optional.empty();
            }
            FileKind kind = FileKind.of(walk.getFileMode(0));
            if (!kind.isFile()) {
                return Optional.of(PolicyLoader.notARegularFile(kind.name().toLowerCase(java.util.Locale.ROOT),
                        PolicyLoader.DEFAULT_PATH));
            }
            ObjectId blob = walk.getObjectId(0);
            PolicyLoadResult result = byBlob.get(blob);
            if (result == null) {
                result = load(blob);
                byBlob.put(blob.copy(), result);
            }
            return Optional.of(loader.withAllowedSigners(result, repository.reader(), commit.getTree()));
        }
    }

    private PolicyLoadResult load(ObjectId blob) throws IOException {
        ObjectLoader object = repository.reader().open(blob);
        if (object.getSize() > loader.maxBytes()) {
            return loader.tooLarge(object.getSize(), PolicyLoader.DEFAULT_PATH);
        }
        if (validated.contains(blob)) {
            return loader.loadPreviouslyValidated(object.getCachedBytes(), PolicyLoader.DEFAULT_PATH);
        }
        PolicyLoadResult result = loader.load(object.getCachedBytes(), PolicyLoader.DEFAULT_PATH);
        if (result.valid()) {
            validated.add(blob);
        }
        return result;
    }

    /**
     * The policies that judge an update of an evidence notes ref (policy-v1.md, "The evidence
     * notes ref is special"). The server policy alone, as it overrides the repository's for
     * every update; else the default branch's pre-push policy and the pre-push policies of the
     * branches it names as environments' branches, so that neither a push to the entry branch
     * nor a branch that is no environment's (a feature branch) can open or block production's
     * evidence. An invalid one speaks through the newest valid one of its branch, as for any
     * update; with none, who may write evidence cannot be told and the update fails closed.
     */
    public NotesRefPolicies notesRefPolicies() throws IOException {
        if (serverPolicy.isPresent()) {
            return NotesRefPolicies.of(List.of(GoverningPolicy.of(serverPolicy.get(), "the server policy")));
        }
        // A set: the default branch is usually an environment's too, and atBranchTip caches
        // by branch and tip, so it comes back as the same value.
        Set<GoverningPolicy> governing = new LinkedHashSet<>();
        GoverningPolicy byDefault = forDefaultBranch();
        governing.add(byDefault);
        if (byDefault.policy().isPresent()) {
            governing.addAll(branchesNamedBy(byDefault.policy().get()));
        } else if (!byDefault.unusable()) {
            governing.addAll(selfDeclaredEnvironmentBranches());
        }
        return NotesRefPolicies.of(governing);
    }

    /** The pre-push policies of the branches that {@code policy} names as environments' branches. */
    private List<GoverningPolicy> branchesNamedBy(Policy policy) throws IOException {
        List<GoverningPolicy> governing = new ArrayList<>();
        for (Environment environment : policy.environments()) {
            Optional<ObjectId> tip = repository.branchTip(environment.branch());
            if (tip.isPresent()) {
                atBranchTip(environment.branch(), tip.get()).ifPresent(governing::add);
            }
        }
        return governing;
    }

    /**
     * Where the default branch has no policy, nothing names the environments; a branch counts
     * as one when the policy that governs it says so (the environment branches govern
     * themselves then), and one whose policy cannot be read at all might be one (fail closed).
     */
    private List<GoverningPolicy> selfDeclaredEnvironmentBranches() throws IOException {
        List<GoverningPolicy> governing = new ArrayList<>();
        for (Ref ref : repository.repository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            if (ref.getObjectId() == null) {
                continue;
            }
            String branch = ref.getName().substring(Constants.R_HEADS.length());
            Optional<GoverningPolicy> own;
            try {
                own = atBranchTip(branch, ref.getObjectId());
            } catch (IncorrectObjectTypeException e) {
                continue; // a branch that points at no commit carries no policy
            }
            if (own.isPresent() && (own.get().unusable()
                    || own.get().policy().orElseThrow().environmentOfBranch(branch).isPresent())) {
                governing.add(own.get());
            }
        }
        return governing;
    }
}
