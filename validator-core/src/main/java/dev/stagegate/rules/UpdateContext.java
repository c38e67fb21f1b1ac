package dev.stagegate.rules;

import dev.stagegate.Pusher;
import dev.stagegate.git.BranchHistory;
import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import dev.stagegate.policy.AllowedSignersReader;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.yaml.ParsedFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Everything a rule may ask about one ref update, computed lazily and at most once: the
 * governing policy, the environment the branch belongs to, the old and new tips, their
 * content, the changed files and the policy the update pushes.
 */
public final class UpdateContext {

    /**
     * At most this many bytes of parsed files are kept between the schema check and the custom
     * rules ({@link #parsedFiles}): their documents weigh several times as much, in a hook whose
     * heap is 256 MiB. A push of a hundred values files keeps about a hundred kilobytes.
     */
    private static final long KEPT_SOURCE_BYTES = 4L << 20;

    private final RefUpdate update;
    private final UpdateKind kind;
    private final Policy policy;
    private final RepositoryView repository;
    private final Pusher pusher;
    private final Instant now;
    private final PolicyLoader policyLoader;
    private final List<Policy> evidencePolicies;
    private ServerSchemaLocations serverSchemaLocations = ServerSchemaLocations.NONE;
    private OptionalLong deadline = OptionalLong.empty();

    private RevCommit oldCommit;
    private RevCommit newCommit;
    private ContentKey oldContent;
    private ContentKey newContent;
    private List<String> changedFiles;
    private Map<String, ChangedFile> changedEntries;
    private Optional<PolicyLoadResult> pushedPolicy;
    private Optional<TreeEntry> newPolicyEntry;
    private ParsedFiles parsedFiles;
    private CommitFiles newFiles;

    public UpdateContext(RefUpdate update, UpdateKind kind, Policy policy, RepositoryView repository,
            Pusher pusher, Instant now, PolicyLoader policyLoader) {
        this(update, kind, policy, List.of(policy), repository, pusher, now, policyLoader);
    }

    /**
     * @param evidencePolicies for an update of an evidence notes ref, every policy that
     *                         governs it (each branch's pre-push policy, or the server's)
     */
    public UpdateContext(RefUpdate update, UpdateKind kind, Policy policy, List<Policy> evidencePolicies,
            RepositoryView repository, Pusher pusher, Instant now, PolicyLoader policyLoader) {
        this.evidencePolicies = List.copyOf(evidencePolicies);
        this.update = update;
        this.kind = kind;
        this.policy = policy;
        this.repository = repository;
        this.pusher = pusher;
        this.now = now;
        this.policyLoader = policyLoader;
    }

    /**
     * An update that no policy governs yet (policy-v1.md, step 4), for the one check that still
     * applies to it: the first policy it brings must be valid ({@link PolicyInvalidRule}). It has
     * no {@link #policy()}, so no other rule can run on it.
     */
    public static UpdateContext ungoverned(RefUpdate update, RepositoryView repository, Pusher pusher, Instant now,
            PolicyLoader policyLoader) {
        return new UpdateContext(update, UpdateKind.PUSH, null, List.of(), repository, pusher, now, policyLoader);
    }

    /** This context, with the server's {@code --schema-location} templates (kubernetes.md). */
    public UpdateContext withServerSchemaLocations(ServerSchemaLocations locations) {
        UpdateContext context = copy();
        context.serverSchemaLocations = locations;
        return context;
    }

    /** This context, giving up on custom rules once {@link System#nanoTime()} passes {@code deadlineNanoTime}. */
    public UpdateContext withDeadline(long deadlineNanoTime) {
        UpdateContext context = copy();
        context.deadline = OptionalLong.of(deadlineNanoTime);
        return context;
    }

    private UpdateContext copy() {
        UpdateContext context = new UpdateContext(update, kind, policy, evidencePolicies, repository, pusher, now,
                policyLoader);
        context.serverSchemaLocations = serverSchemaLocations;
        context.deadline = deadline;
        return context;
    }

    /** The {@link System#nanoTime()} by which the push must be judged, when the caller set one. */
    public OptionalLong deadline() {
        return deadline;
    }

    /** The server's schema mirror, tried before the policy's own schema locations. */
    public ServerSchemaLocations serverSchemaLocations() {
        return serverSchemaLocations;
    }

    public RefUpdate update() {
        return update;
    }

    public UpdateKind kind() {
        return kind;
    }

    public Policy policy() {
        if (policy == null) {
            throw new IllegalStateException("no policy governs " + update.refName()
                    + "; only policy-invalid may judge it");
        }
        return policy;
    }

    public List<Policy> evidencePolicies() {
        return evidencePolicies;
    }

    /** Whether this update moves the evidence notes ref of some governing policy. */
    public boolean isEvidenceRef() {
        return evidencePolicies.stream().anyMatch(p -> p.evidence().notesRef().equals(update.refName()));
    }

    public RepositoryView repository() {
        return repository;
    }

    public Pusher pusher() {
        return pusher;
    }

    public Instant now() {
        return now;
    }

    /** The environment whose branch this update moves, if it is a branch of one. */
    public Optional<Environment> environment() {
        return update.isBranch() ? policy().environmentOfBranch(update.branchName()) : Optional.empty();
    }

    public boolean isEnvironmentBranch() {
        return environment().isPresent();
    }

    public RevCommit oldCommit() throws IOException {
        if (oldCommit == null && !update.isCreation()) {
            oldCommit = repository.commit(update.oldId());
        }
        return oldCommit;
    }

    public RevCommit newCommit() throws IOException {
        if (newCommit == null && !update.isDeletion()) {
            newCommit = repository.commit(update.newId());
        }
        return newCommit;
    }

    public ContentKeys contentKeys() {
        return repository.contentKeys(policy().environmentSpecific());
    }

    public BranchHistory history() {
        return repository.history(policy().promotion().searchDepth());
    }

    public ContentKey newContent() throws IOException {
        if (newContent == null && !update.isDeletion()) {
            newContent = contentKeys().of(newCommit());
        }
        return newContent;
    }

    public ContentKey oldContent() throws IOException {
        if (oldContent == null && !update.isCreation()) {
            oldContent = contentKeys().of(oldCommit());
        }
        return oldContent;
    }

    /**
     * Whether the update changes content (not only environment-specific files); a new branch
     * is a promotion from nothing.
     */
    public boolean isPromotion() throws IOException {
        if (update.isDeletion()) {
            return false;
        }
        return update.isCreation() || !newContent().equals(oldContent());
    }

    /**
     * The commit files are compared against: the old tip, or for a new branch the default
     * branch's tip (none when there is no default branch or it is this branch).
     */
    public Optional<RevCommit> baseCommit() throws IOException {
        if (!update.isCreation()) {
            return Optional.of(oldCommit());
        }
        Optional<String> defaultBranch = repository.defaultBranch();
        if (defaultBranch.isEmpty() || update.isBranch() && defaultBranch.get().equals(update.branchName())) {
            return Optional.empty();
        }
        Optional<ObjectId> tip = repository.branchTip(defaultBranch.get());
        return tip.isPresent() ? Optional.of(repository.commit(tip.get())) : Optional.empty();
    }

    /**
     * Files added or modified between the base and the new tip (every file of the new tip
     * when there is no base). In the pull-request check the target keeps its own
     * environment-specific files, so those never count as changed.
     */
    public List<String> changedFiles() throws IOException {
        if (changedFiles != null) {
            return changedFiles;
        }
        List<String> paths = new ArrayList<>();
        Map<String, ChangedFile> entries = new HashMap<>();
        if (update.isDeletion()) {
            changedFiles = paths;
            changedEntries = entries;
            return paths;
        }
        Optional<RevCommit> base = baseCommit();
        try (TreeWalk walk = new TreeWalk(repository.reader())) {
            walk.setRecursive(true);
            if (base.isPresent()) {
                walk.addTree(base.get().getTree());
                walk.addTree(newCommit().getTree());
                walk.setFilter(TreeFilter.ANY_DIFF);
            } else {
                walk.addTree(newCommit().getTree());
            }
            int newTree = base.isPresent() ? 1 : 0;
            while (walk.next()) {
                if (walk.getRawMode(newTree) == 0) {
                    continue; // deleted: nothing left to check
                }
                String path = walk.getPathString();
                if (kind == UpdateKind.PULL_REQUEST && policy().environmentSpecific().contains(path)) {
                    continue;
                }
                paths.add(path);
                entries.put(path, new ChangedFile(walk.getObjectId(newTree), FileKind.of(walk.getFileMode(newTree)),
                        base.isPresent() && walk.getRawMode(0) != 0
                                ? Optional.of(new TreeEntry(walk.getObjectId(0), FileKind.of(walk.getFileMode(0))))
                                : Optional.empty()));
            }
        }
        changedFiles = List.copyOf(paths);
        changedEntries = entries;
        return changedFiles;
    }

    /**
     * What {@link #changedFiles} found at each changed path: its blob in the new tip, and at the
     * base (for an update of a branch that existed, the old tip), so that a rule needs no lookup
     * of its own to know them.
     */
    public Map<String, ChangedFile> changedFileEntries() throws IOException {
        changedFiles();
        return Collections.unmodifiableMap(changedEntries);
    }

    /**
     * A changed file's blob and kind in the new tip, and at the base when it was there
     * ({@link #changedFileEntries}).
     */
    public record ChangedFile(ObjectId blob, FileKind kind, Optional<TreeEntry> atBase) {

        /** As {@link dev.stagegate.git.RevisionFiles#contentId}: the blob id of a regular file. */
        public Optional<String> contentId() {
            return kind.isFile() ? Optional.of(blob.name()) : Optional.empty();
        }

        /**
         * At the base: "" when the file was not there, the blob id of a regular file, empty for
         * anything else (a link, a submodule), whose content has no such identity.
         */
        public Optional<String> baseContentId() {
            if (atBase.isEmpty()) {
                return Optional.of("");
            }
            return atBase.get().kind().isFile() ? Optional.of(atBase.get().blob().name()) : Optional.empty();
        }
    }

    /**
     * The files of the new tip, shared by the rules that read them, so that the directories they
     * look into are listed once per update.
     */
    public CommitFiles newFiles() throws IOException {
        if (newFiles == null) {
            newFiles = new CommitFiles(repository.reader(), newCommit());
        }
        return newFiles;
    }

    /**
     * The files of the new tip that the schema check parsed and this environment's custom rules
     * judge, kept for the custom rules, which run after it: each is parsed once. Keeps nothing
     * for a policy without rules, an update of no environment, or in the resident server, where
     * the rules run beside the schema check and parse what they judge themselves
     * ({@link CustomRuleCheck#start}).
     */
    public ParsedFiles parsedFiles() {
        if (parsedFiles == null) {
            parsedFiles = ParsedFiles.none();
            Optional<Environment> environment = policy == null ? Optional.empty() : environment();
            if (environment.isPresent() && !policy.customRules().isEmpty()
                    && CustomRuleCheck.takesParsedDocuments()) {
                PathSet judged = CustomRuleCheck.filesJudged(policy, Optional.of(environment.get().name()));
                parsedFiles = ParsedFiles.keeping(judged::contains, KEPT_SOURCE_BYTES);
            }
        }
        return parsedFiles;
    }

    /**
     * Whether the new tip's policy differs from the base's: its policy file, or the
     * allowed-signers file the governing policy names, which is part of the policy.
     */
    public boolean changesPolicyFile() throws IOException {
        if (update.isDeletion()) {
            return false;
        }
        Optional<RevCommit> base = baseCommit();
        Optional<ObjectId> before = base.isPresent()
                ? policyEntry(base.get()).map(TreeEntry::blob) : Optional.empty();
        if (!newPolicyEntry().map(TreeEntry::blob).equals(before)) {
            return true;
        }
        Optional<String> signers = policy == null ? Optional.empty() : policy.evidence().allowedSigners();
        if (signers.isEmpty()) {
            return false;
        }
        Optional<ObjectId> signersBefore = base.isPresent()
                ? AllowedSignersReader.blobAt(repository.reader(), base.get().getTree(), signers.get())
                : Optional.empty();
        return !AllowedSignersReader.blobAt(repository.reader(), newCommit().getTree(), signers.get())
                .equals(signersBefore);
    }

    /** The policy the new tip carries, when the update changes it; empty when it removes it. */
    public Optional<PolicyLoadResult> pushedPolicy() throws IOException {
        if (pushedPolicy == null) {
            pushedPolicy = Optional.empty();
            if (changesPolicyFile() && newPolicyEntry().isPresent()) {
                pushedPolicy = Optional.of(loadPushedPolicy(newPolicyEntry().get()));
            }
        }
        return pushedPolicy;
    }

    private Optional<TreeEntry> newPolicyEntry() throws IOException {
        if (newPolicyEntry == null) {
            newPolicyEntry = policyEntry(newCommit());
        }
        return newPolicyEntry;
    }

    /** The policy file's entry in {@code commit}, one tree lookup for its id and its kind. */
    private Optional<TreeEntry> policyEntry(RevCommit commit) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository.reader(), PolicyLoader.DEFAULT_PATH, commit.getTree())) {
            if (walk == null || walk.isSubtree()) {
                return Optional.empty();
            }
            return Optional.of(new TreeEntry(walk.getObjectId(0), FileKind.of(walk.getFileMode(0))));
        }
    }

    /** Never follows a link or a submodule, never reads more than the size limit. */
    private PolicyLoadResult loadPushedPolicy(TreeEntry entry) throws IOException {
        if (!entry.kind().isFile()) {
            return PolicyLoader.notARegularFile(entry.kind().name().toLowerCase(Locale.ROOT),
                    PolicyLoader.DEFAULT_PATH);
        }
        ObjectLoader object = repository.reader().open(entry.blob());
        if (object.getSize() > policyLoader.maxBytes()) {
            return policyLoader.tooLarge(object.getSize(), PolicyLoader.DEFAULT_PATH);
        }
        return policyLoader.withAllowedSigners(policyLoader.load(object.getCachedBytes(), PolicyLoader.DEFAULT_PATH),
                repository.reader(), newCommit().getTree());
    }

    /** A blob and its kind in a tree. */
    public record TreeEntry(ObjectId blob, FileKind kind) {
    }
}
