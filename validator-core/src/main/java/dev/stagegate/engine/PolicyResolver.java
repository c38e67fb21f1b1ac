package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.git.BranchHistory;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.PromotionSettings;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * none, the update fails closed. Policies are parsed once per blob id.
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
            return Optional.of(result);
        }
    }

    private PolicyLoadResult load(ObjectId blob) throws IOException {
        ObjectLoader object = repository.reader().open(blob);
        if (object.getSize() > YamlLimits.DEFAULTS.maxBytes()) {
            return PolicyLoader.tooLarge(object.getSize(), PolicyLoader.DEFAULT_PATH);
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
     * The policies that judge an update of an evidence notes ref: the server policy, or the
     * pre-push policy of every branch that carries a valid one (so a push to the entry branch
     * cannot open production's evidence ref).
     */
    public List<Policy> evidencePolicies() throws IOException {
        if (serverPolicy.isPresent()) {
            return List.of(serverPolicy.get());
        }
        // policyAt parses each blob once, so branches that share a policy share one result
        Set<Policy> distinct = new LinkedHashSet<>();
        for (Ref ref : repository.repository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            if (ref.getObjectId() == null) {
                continue;
            }
            RevCommit tip;
            try {
                tip = repository.commit(ref.getObjectId());
            } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                continue;
            }
            policyAt(tip).flatMap(PolicyLoadResult::policy).ifPresent(distinct::add);
        }
        return List.copyOf(distinct);
    }
}
