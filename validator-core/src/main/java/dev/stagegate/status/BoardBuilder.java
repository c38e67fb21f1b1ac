package dev.stagegate.status;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.Pusher;
import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.approval.PromotedChanges;
import dev.stagegate.engine.GoverningPolicy;
import dev.stagegate.engine.PolicyResolver;
import dev.stagegate.engine.RepositoryOpener;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.git.Ancestry;
import dev.stagegate.git.BranchHistory;
import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.UpstreamMode;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.CustomRuleCheck;
import dev.stagegate.rules.EvidenceJudgement;
import dev.stagegate.rules.UpdateContext;
import dev.stagegate.rules.UpdateKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Draws the {@link EnvironmentBoard} of a repository under its governing policy: the
 * {@code --policy} file, else the default branch's policy (with the same fallback for an
 * invalid one as every other command). Reads a bare repository's own branches, and a
 * clone's {@code refs/remotes/origin/*} first when it has any, so a CI checkout shows what
 * the server holds. Writes nothing.
 *
 * <p>Every comparison is by content key along bounded first-parent histories, as the rules
 * compare; the definitions are on {@link UpstreamStatus}. Content an upstream lacks is
 * looked for further up the chain, to tell a skipped stage from a hotfix never back-ported.
 * Only an environment that shares no content with its upstream within the search depth falls
 * back to a merge-base walk, to still find where the two parted.
 */
public final class BoardBuilder {

    private static final String ORIGIN = Constants.R_REMOTES + "origin/";
    private static final String FETCH_NOTES = "git fetch origin '+refs/notes/*:refs/notes/*'";

    private final PolicyLoader loader;

    public BoardBuilder(PolicyLoader loader) {
        this.loader = loader;
    }

    /**
     * @param serverPolicy a valid {@code --policy}, which governs instead of the repository's
     * @param now          the time evidence age is judged at
     */
    public StatusOutcome build(StatusRequest request, Optional<Policy> serverPolicy, Instant now) throws IOException {
        try (Repository repository = RepositoryOpener.open(request.repository())) {
            BranchSource branchSource = branchSource(repository);
            try (RepositoryView view = new RepositoryView(repository, branchSource)) {
                return build(view, branchSource, serverPolicy, now, opened(repository, request.repository()));
            }
        }
    }

    private StatusOutcome build(RepositoryView view, BranchSource branchSource, Optional<Policy> serverPolicy,
            Instant now, String opened) throws IOException {
        Optional<String> defaultBranch = view.defaultBranch();
        GoverningPolicy governing;
        if (serverPolicy.isPresent()) {
            governing = GoverningPolicy.of(serverPolicy.get(), serverPolicy.get().path() + " (--policy)");
        } else if (defaultBranch.isPresent()) {
            governing = new PolicyResolver(view, loader, Optional.empty()).forBranch(defaultBranch.get());
        } else {
            governing = GoverningPolicy.none();
        }
        if (governing.unusable()) {
            return StatusOutcome.failed(new Outcome(Verdict.of(governing.problems().stream()
                    .map(problem -> problem.withMessage(problem.message() + " (" + opened + ")")).toList()),
                    governing.status()));
        }
        if (governing.policy().isEmpty()) {
            return StatusOutcome.failed(new Outcome(Verdict.of(List.of(Violation.runError(
                    "no policy to draw the board from: " + defaultBranch
                            .map(branch -> "the default branch '" + branch + "' has no " + PolicyLoader.DEFAULT_PATH)
                            .orElse("the repository has no default branch")
                    + " (" + opened + "); pass --policy FILE"))), ExitStatus.USAGE_OR_POLICY));
        }
        List<String> notes = new ArrayList<>();
        for (Violation problem : governing.problems()) {
            notes.add("[" + problem.rule() + "] " + problem.message());
        }
        Board board = new Board(view, branchSource, governing.policy().get(), now, loader);
        return StatusOutcome.of(board.draw(governing.source(), notes));
    }

    /**
     * Which repository was opened, for messages: its work tree or, when bare, its git
     * directory, and when {@code requested} is a directory inside a work tree, that it is not
     * a repository of its own (git looks upwards for one, as {@code git -C} does).
     */
    private static String opened(Repository repository, Path requested) {
        Path absolute = requested.toAbsolutePath().normalize();
        Path root = (repository.isBare() ? repository.getDirectory() : repository.getWorkTree()).toPath()
                .toAbsolutePath().normalize();
        String where = "repository " + root;
        if (!absolute.equals(root) && !absolute.equals(repository.getDirectory().toPath().toAbsolutePath().normalize())) {
            where += ", found above " + absolute + ", which is not a repository of its own";
        }
        return where;
    }

    /** A clone reads what the server holds; a repository without origin's branches reads its own. */
    private static BranchSource branchSource(Repository repository) throws IOException {
        return repository.getRefDatabase().getRefsByPrefix(ORIGIN).isEmpty()
                ? BranchSource.LOCAL : BranchSource.REMOTE_FIRST;
    }

    /** One board being drawn: the repository, the policy, and what was read so far. */
    private static final class Board {

        private final PolicyLoader loader;
        private final RepositoryView view;
        private final BranchSource branchSource;
        private final Policy policy;
        private final Instant now;
        private final ContentKeys contentKeys;
        private final BranchHistory history;
        private final SignaturePolicy signatures;
        private final Map<String, Optional<RevCommit>> tips = new HashMap<>();
        private final Map<String, Optional<Chain>> chains = new HashMap<>();

        Board(RepositoryView view, BranchSource branchSource, Policy policy, Instant now, PolicyLoader loader) {
            this.loader = loader;
            this.view = view;
            this.branchSource = branchSource;
            this.policy = policy;
            this.now = now;
            this.contentKeys = view.contentKeys(policy.environmentSpecific());
            this.history = view.history(policy.promotion().searchDepth());
            this.signatures = SignaturePolicy.of(policy, view.verifiedSignatures());
        }

        EnvironmentBoard draw(String policySource, List<String> notes) throws IOException {
            List<EnvironmentStatus> environments = new ArrayList<>();
            for (Environment environment : policy.graph().topologicalOrder()) {
                environments.add(status(environment));
            }
            List<String> allNotes = new ArrayList<>(notes);
            if (view.isShallow()) {
                allNotes.add("this is a shallow clone: history beyond its boundary is not searched, so environments"
                        + " may show as drifted; fetch the full history (git fetch --unshallow)");
            }
            String notesRef = policy.evidence().notesRef();
            boolean recordsRequired = policy.environments().stream()
                    .anyMatch(e -> !e.requiresEvidence().isEmpty() || e.requiresApproval().isPresent());
            if (recordsRequired && !view.evidence(notesRef).exists()) {
                allNotes.add("there is no " + notesRef + " in this repository, so no evidence or approval shows"
                        + (branchSource == BranchSource.REMOTE_FIRST ? "; fetch it with: " + FETCH_NOTES : ""));
            }
            return new EnvironmentBoard(policySource, branchSource, history.searchDepth(), now, environments, allNotes);
        }

        private EnvironmentStatus status(Environment environment) throws IOException {
            Optional<RevCommit> tip = tipOf(environment);
            List<UpstreamStatus> upstreams = new ArrayList<>();
            if (tip.isPresent()) {
                for (Environment upstream : policy.graph().upstreamsOf(environment.name())) {
                    upstreams.add(compare(environment, tip.get(), upstream));
                }
            }
            return new EnvironmentStatus(environment.name(), environment.branch(), environment.promotesFrom(),
                    environment.upstreams(), tip.map(CommitSummary::of),
                    tip.isPresent() ? Optional.of(contentKeys.of(tip.get()).treeId().name()) : Optional.empty(),
                    upstreams, nextInLine(environment, tip, upstreams));
        }

        private UpstreamStatus compare(Environment environment, RevCommit here, Environment upstream)
                throws IOException {
            Optional<RevCommit> upstreamTip = tipOf(upstream);
            if (upstreamTip.isEmpty()) {
                return UpstreamStatus.missing(upstream.name(), upstream.branch());
            }
            Chain upstreamChain = chainOf(upstream).orElseThrow();
            ContentKey content = contentKeys.of(here);
            Optional<CommitSummary> upstreamSummary = upstreamTip.map(CommitSummary::of);
            Optional<Integer> carried = upstreamChain.indexOf(content);
            if (carried.isPresent() && carried.get() == 0) {
                return new UpstreamStatus(upstream.name(), upstream.branch(), UpstreamState.IN_SYNC, upstreamSummary,
                        upstreamSummary, Optional.empty(), List.of(), false, PathList.empty(), Waiting.nothing(),
                        PathList.empty());
            }
            List<String> differing = differences(here, upstreamTip.get());
            if (carried.isPresent()) {
                PathList paths = PathList.of(differing);
                return new UpstreamStatus(upstream.name(), upstream.branch(), UpstreamState.BEHIND, upstreamSummary,
                        Optional.of(CommitSummary.of(upstreamChain.commits().get(carried.get()))), Optional.empty(),
                        List.of(), false, paths, new Waiting(carried.get(), false, paths), PathList.empty());
            }
            Optional<Sighting> found = findElsewhere(environment, upstream, content);
            ContentKey upstreamContent = contentKeys.of(upstreamTip.get());
            boolean alreadyPassed = chainOf(environment).orElseThrow().indexOf(upstreamContent).isPresent();
            if (found.isPresent()) {
                Optional<Integer> there = chainOf(found.get().environment()).orElseThrow().indexOf(upstreamContent);
                alreadyPassed |= there.isPresent() && there.get() > found.get().index();
            }
            Optional<Base> base = baseOf(here, upstreamTip.get(), upstreamChain);
            List<String> changedHere = differing;
            Waiting waiting = Waiting.nothing();
            if (!alreadyPassed) {
                int commitsWaiting = base.map(Base::upstreamIndex).filter(index -> index >= 0)
                        .orElse(upstreamChain.commits().size());
                boolean atLeast = (base.isEmpty() || base.get().upstreamIndex() < 0)
                        && upstreamChain.commits().size() > history.searchDepth();
                List<String> waitingPaths = base.isEmpty() ? differing
                        : common(differing, differences(base.get().upstreamCommit(), upstreamTip.get()));
                waiting = new Waiting(commitsWaiting, atLeast, PathList.of(waitingPaths));
            }
            if (base.isPresent()) {
                changedHere = common(differing, differences(base.get().hereCommit(), here));
            }
            if (found.isPresent()) {
                return new UpstreamStatus(upstream.name(), upstream.branch(), UpstreamState.SKIPPED_STAGE,
                        upstreamSummary, Optional.empty(),
                        Optional.of(new UpstreamStatus.Found(found.get().environment().name(),
                                CommitSummary.of(found.get().commit()))),
                        found.get().skipped(), alreadyPassed, PathList.of(differing), waiting, PathList.empty());
            }
            return new UpstreamStatus(upstream.name(), upstream.branch(), UpstreamState.NOT_BACK_PORTED,
                    upstreamSummary, Optional.empty(), Optional.empty(), List.of(), alreadyPassed,
                    PathList.of(differing), waiting, PathList.of(changedHere));
        }

        /**
         * Where content that {@code upstream} lacks is found: first further up from
         * {@code upstream}, level by level (the nearest level that has it; every level below
         * it was skipped too), then in the other environments above {@code environment} (a
         * sibling upstream, with {@code upstreams: any}); empty when it is found nowhere
         * upstream.
         */
        private Optional<Sighting> findElsewhere(Environment environment, Environment upstream, ContentKey content)
                throws IOException {
            List<String> skipped = new ArrayList<>(List.of(upstream.name()));
            Set<String> seen = new HashSet<>(skipped);
            List<Environment> level = policy.graph().upstreamsOf(upstream.name());
            while (!level.isEmpty()) {
                List<Environment> lacking = new ArrayList<>();
                for (Environment candidate : level) {
                    if (seen.add(candidate.name())) {
                        Optional<Sighting> sighting = sighting(candidate, content, skipped);
                        if (sighting.isPresent()) {
                            return sighting;
                        }
                        lacking.add(candidate);
                    }
                }
                List<Environment> above = new ArrayList<>();
                for (Environment candidate : lacking) {
                    skipped.add(candidate.name());
                    above.addAll(policy.graph().upstreamsOf(candidate.name()));
                }
                level = above;
            }
            for (Environment candidate : policy.graph().chainAbove(environment.name())) {
                if (seen.add(candidate.name())) {
                    Optional<Sighting> sighting = sighting(candidate, content, List.of(upstream.name()));
                    if (sighting.isPresent()) {
                        return sighting;
                    }
                }
            }
            return Optional.empty();
        }

        private Optional<Sighting> sighting(Environment candidate, ContentKey content, List<String> skipped)
                throws IOException {
            Optional<Chain> chain = chainOf(candidate);
            Optional<Integer> index = chain.flatMap(c -> c.indexOf(content));
            return index.map(i -> new Sighting(candidate, chain.get().commits().get(i), i, skipped));
        }

        /**
         * Where an environment and an upstream that lacks its content last agreed: the newest
         * commit of the environment's own history whose content the upstream carries, else
         * the merge base.
         */
        private Optional<Base> baseOf(RevCommit here, RevCommit upstreamTip, Chain upstreamChain) throws IOException {
            List<RevCommit> ownChain = history.firstParents(here);
            for (RevCommit own : ownChain.subList(1, ownChain.size())) {
                Optional<Integer> index = upstreamChain.indexOf(contentKeys.of(own));
                if (index.isPresent()) {
                    return Optional.of(new Base(own, upstreamChain.commits().get(index.get()), index.get()));
                }
            }
            Optional<RevCommit> mergeBase = mergeBase(here, upstreamTip);
            return mergeBase.map(commit -> new Base(commit, commit, upstreamChain.commits().indexOf(commit)));
        }

        private Optional<RevCommit> mergeBase(RevCommit a, RevCommit b) throws IOException {
            Optional<RevCommit> base = Ancestry.mergeBase(view.reader(), a, b);
            return base.isEmpty() ? Optional.empty() : Optional.of(view.commit(base.get()));
        }

        /**
         * The upstream tip to promote next: never one the environment is already past. The
         * first in {@code promotesFrom} order that brings new content and that nothing blocks,
         * else the first that brings new content (shown blocked), else the content already here.
         */
        private Optional<NextInLine> nextInLine(Environment environment, Optional<RevCommit> tip,
                List<UpstreamStatus> upstreams) throws IOException {
            if (tip.isEmpty()) {
                for (Environment upstream : policy.graph().upstreamsOf(environment.name())) {
                    if (tipOf(upstream).isPresent()) {
                        return Optional.of(next(environment, tip, upstream, Optional.empty()));
                    }
                }
                return Optional.empty();
            }
            Optional<UpstreamStatus> chosen = Optional.empty();
            Optional<Blocked> chosenBlocked = Optional.empty();
            for (UpstreamStatus candidate : upstreams) {
                if (!candidate.offersNewContent()) {
                    continue;
                }
                Optional<Blocked> blocked = blocked(environment, candidate, upstreams);
                if (chosen.isEmpty() || chosenBlocked.isPresent() && blocked.isEmpty()) {
                    chosen = Optional.of(candidate);
                    chosenBlocked = blocked;
                }
            }
            if (chosen.isEmpty()) {
                chosen = upstreams.stream().filter(u -> u.state() == UpstreamState.IN_SYNC).findFirst();
            }
            if (chosen.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(next(environment, tip, policy.environment(chosen.get().environment()).orElseThrow(),
                    chosenBlocked));
        }

        /**
         * What stops a promotion of {@code candidate}'s tip: it would undo this environment's
         * hotfix, or, with {@code upstreams: all}, another upstream lacks its content (the
         * {@code skipped-stage} rule would reject it).
         */
        private Optional<Blocked> blocked(Environment environment, UpstreamStatus candidate,
                List<UpstreamStatus> upstreams) throws IOException {
            if (candidate.state() == UpstreamState.NOT_BACK_PORTED && !candidate.notBroughtBack().isEmpty()) {
                List<String> entries = policy.graph().chainAbove(environment.name()).stream()
                        .filter(Environment::isEntry).map(Environment::name).toList();
                return Optional.of(new Blocked(Blocked.Reason.UNDOES_HOTFIX, entries, candidate.notBroughtBack()));
            }
            if (environment.upstreams() != UpstreamMode.ALL) {
                return Optional.empty();
            }
            ContentKey content = contentKeys.of(tipOf(policy.environment(candidate.environment()).orElseThrow())
                    .orElseThrow());
            List<String> lacking = new ArrayList<>();
            for (UpstreamStatus other : upstreams) {
                Optional<Chain> chain = chainOf(policy.environment(other.environment()).orElseThrow());
                if (chain.isPresent() && chain.get().indexOf(content).isEmpty()) {
                    lacking.add(other.environment());
                }
            }
            return lacking.isEmpty() ? Optional.empty()
                    : Optional.of(new Blocked(Blocked.Reason.NOT_IN_EVERY_UPSTREAM, lacking, PathList.empty()));
        }

        private NextInLine next(Environment environment, Optional<RevCommit> tip, Environment from,
                Optional<Blocked> blocked) throws IOException {
            RevCommit next = tipOf(from).orElseThrow();
            ContentKey content = contentKeys.of(next);
            List<EvidenceJudgement> evidence = new ArrayList<>();
            for (EvidenceRequirement requirement : environment.requiresEvidence()) {
                evidence.add(EvidenceJudgement.judge(policy, view, requirement, content, now));
            }
            boolean alreadyHere = tip.isPresent() && contentKeys.of(tip.get()).equals(content);
            return new NextInLine(from.name(), CommitSummary.of(next), alreadyHere, blocked, evidence,
                    approvals(environment, next, content, tip),
                    alreadyHere ? Optional.empty() : customRules(environment, tip, next));
        }

        /**
         * The approvals for promoting {@code next} into {@code environment}, as
         * {@code missing-approval} would judge a promotion of it: the promoted changes are those
         * {@code next} brings over the environment's tip.
         */
        private Optional<ApprovalStatus> approvals(Environment environment, RevCommit next, ContentKey content,
                Optional<RevCommit> tip) throws IOException {
            if (environment.requiresApproval().isEmpty()) {
                return Optional.empty();
            }
            PromotedChanges changes = PromotedChanges.of(view.reader(), next, tip.map(RevCommit::getId),
                    policy.promotion().searchDepth());
            ApprovalJudgement judgement = ApprovalJudgement.judge(policy, view, environment, content, changes,
                    signatures, now);
            return Optional.of(ApprovalStatus.of(judgement, policy.people()));
        }

        /**
         * How {@code next} stands against {@code environment}'s custom rules, as
         * {@code check-promotion} judges its promotion over the tip; empty when no rule judges
         * the environment (only a policy with rules gets here: evaluating loads CEL).
         */
        private Optional<CustomRuleCounts> customRules(Environment environment, Optional<RevCommit> tip,
                RevCommit next) throws IOException {
            int judged = CustomRuleCheck.rulesJudging(policy, Optional.of(environment.name())).size();
            if (judged == 0) {
                return Optional.empty();
            }
            RefUpdate promotion = new RefUpdate(tip.map(RevCommit::getId).orElse(ObjectId.zeroId()), next.getId(),
                    Constants.R_HEADS + environment.branch());
            UpdateContext context = new UpdateContext(promotion, UpdateKind.PULL_REQUEST, policy, view,
                    Pusher.ANONYMOUS, now, loader);
            return Optional.of(CustomRuleCounts.of(judged, new CustomRuleCheck(loader.limits()).check(context), policy));
        }

        /** The environment's branch tip and first-parent history, with where each content is newest. */
        private Optional<Chain> chainOf(Environment environment) throws IOException {
            Optional<Chain> cached = chains.get(environment.name());
            if (cached == null) {
                Optional<RevCommit> tip = tipOf(environment);
                if (tip.isEmpty()) {
                    cached = Optional.empty();
                } else {
                    List<RevCommit> commits = history.firstParents(tip.get());
                    Map<ContentKey, Integer> newest = new HashMap<>();
                    for (int i = 0; i < commits.size(); i++) {
                        newest.putIfAbsent(contentKeys.of(commits.get(i)), i);
                    }
                    cached = Optional.of(new Chain(commits, newest));
                }
                chains.put(environment.name(), cached);
            }
            return cached;
        }

        private Optional<RevCommit> tipOf(Environment environment) throws IOException {
            Optional<RevCommit> cached = tips.get(environment.branch());
            if (cached == null) {
                Optional<ObjectId> id = view.branchTip(environment.branch());
                cached = id.isPresent() ? Optional.of(view.commit(id.get())) : Optional.empty();
                tips.put(environment.branch(), cached);
            }
            return cached;
        }

        /** Paths whose content differs between two commits, environment-specific ones excluded, in tree order. */
        private List<String> differences(RevCommit from, RevCommit to) throws IOException {
            return contentKeys.differences(from, to, Integer.MAX_VALUE);
        }

        private static List<String> common(List<String> paths, List<String> others) {
            Set<String> kept = new LinkedHashSet<>(others);
            return paths.stream().filter(kept::contains).toList();
        }
    }

    /**
     * Where an environment and its upstream last agreed.
     *
     * @param hereCommit     the environment's commit (or the merge base)
     * @param upstreamCommit the upstream commit with the same content (or the merge base)
     * @param upstreamIndex  its position in the upstream's first-parent history; -1 when it
     *                       is not there
     */
    private record Base(RevCommit hereCommit, RevCommit upstreamCommit, int upstreamIndex) {
    }

    /**
     * An environment's first-parent history within the search depth, newest first.
     *
     * @param newest where each content appears first in {@code commits}
     */
    private record Chain(List<RevCommit> commits, Map<ContentKey, Integer> newest) {

        Optional<Integer> indexOf(ContentKey content) {
            return Optional.ofNullable(newest.get(content));
        }
    }

    /**
     * Content found in an environment's history.
     *
     * @param environment where
     * @param commit      its newest commit that carries the content
     * @param index       that commit's position in the environment's first-parent history
     * @param skipped     the stages between the upstream that lacks the content and here
     */
    private record Sighting(Environment environment, RevCommit commit, int index, List<String> skipped) {
    }
}
