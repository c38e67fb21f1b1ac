package dev.stagegate.rules;

import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.git.SortedPaths;
import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.CustomRuleEvaluator.PreviousVersion;
import dev.stagegate.rules.UpdateContext.ChangedFile;
import dev.stagegate.yaml.ParsedFiles;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The policy's custom rules (rules-cel.md) as violations: on a branch update of an environment,
 * each document of each file the update adds or modifies, judged by the rules of that
 * environment (as {@code schema-violation} judges changed files), with {@code oldObject} read
 * from the target's tip before the update; in {@code validate}, every file of the revision.
 *
 * <p>A rule that fails or errs is a violation with the rule's own id at {@code path:line:column},
 * so that the engine applies {@code ruleModes}, {@code mode} and the audited bypass to it as to a
 * built-in rule; a rule whose expression no longer compiles is {@code policy-invalid}. Rules that
 * {@code ruleModes} turns off are not evaluated at all.
 *
 * <p>The engine calls this only for a policy with rules: evaluating loads CEL.
 */
public final class CustomRuleCheck {

    /**
     * How many files a judgement needs before it parses and evaluates them on every core; fewer
     * are judged in turn: in a fresh JVM, starting a parallel stream (the common pool, its thread,
     * its handles) costs more than the second core gives back, which the JIT compiler keeps busy
     * anyway (measured: 100 files under 5 rules, the same wall time and 5 ms more CPU in parallel).
     */
    static final int PARALLEL_FROM_FILES = 256;

    private final YamlLimits limits;
    /** Part of the key of each remembered previous version: spelt out once. */
    private final String limitsKey;

    public CustomRuleCheck(YamlLimits limits) {
        this.limits = limits;
        this.limitsKey = limits.key();
    }

    /** The violations of the custom rules on one update; none for other refs, deletions and non-environment branches. */
    public List<Violation> check(UpdateContext update) throws IOException {
        // no lambdas nor streams on the way of a push (but one judging hundreds of files): in a
        // fresh JVM, linking each call site costs about a tenth of a millisecond, and there are dozens
        Optional<Judgement> judgement = judgementOf(update);
        if (judgement.isEmpty()) {
            return List.of();
        }
        // the old tip as the repository held it before the push, not through git's quarantine
        Optional<CommitFiles> before = judgement.get().oldTipWith(update.repository().priorReader());
        return judgement.get().judge(update.newFiles(), before, update.parsedFiles(), true);
    }

    /**
     * Starts judging one update; {@link Pending#violations} gives the violations. In the resident
     * server the judgement runs beside the built-in rules, on a thread of its own with an object
     * reader of its own, parsing the files itself: the schema check reads and checks a push's
     * files in turn, on one core, and a warm JVM leaves the other idle. Anywhere else it runs
     * when asked, after the schema check, and takes the documents that check parsed
     * ({@link #takesParsedDocuments}): a cold JVM's compiler threads already keep the second core
     * busy (measured: beside the schema check, the rules made it 20 to 30 ms slower).
     */
    public Pending start(UpdateContext update) throws IOException {
        if (takesParsedDocuments()) {
            return new Pending(this, update, null);
        }
        Optional<Judgement> judgement = judgementOf(update);
        if (judgement.isEmpty()) {
            return Pending.NOTHING;
        }
        // everything read from the update itself is read now, on this thread (its reader, its
        // RevWalk's commits and its lazily read state are not for two threads); the new reader
        // is handed to the judgement's thread, which alone uses it and closes it
        ObjectReader reader = update.repository().repository().newObjectReader();
        try {
            CommitFiles files = new CommitFiles(reader, update.newCommit());
            Optional<CommitFiles> before = judgement.get().oldTipWith(reader);
            FutureTask<List<Violation>> task = new FutureTask<>(() -> {
                try (reader) {
                    return judgement.get().judge(files, before, ParsedFiles.none(), false);
                }
            });
            Beside.THREADS.execute(task);
            return new Pending(null, null, task);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Whether the custom rules run after the schema check and take the documents it parsed
     * ({@link UpdateContext#parsedFiles}): everywhere but in the resident server ({@link #start}).
     */
    public static boolean takesParsedDocuments() {
        return !ProcessMemory.enabled();
    }

    /**
     * The threads judgements run on beside the built-in rules: as many as pushes judged at once;
     * idle ones end. In a holder, so that a process that never starts one never builds it.
     */
    private static final class Beside {

        static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stagegate-custom-rules");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The custom rules' violations on an update, once judged ({@link #start}): in the resident
     * server by a task running beside the built-in rules, anywhere else when asked for.
     */
    public static final class Pending {

        static final Pending NOTHING = new Pending(null, null, null);

        private final CustomRuleCheck check;
        private final UpdateContext update;
        private final FutureTask<List<Violation>> beside;

        private Pending(CustomRuleCheck check, UpdateContext update, FutureTask<List<Violation>> beside) {
            this.check = check;
            this.update = update;
            this.beside = beside;
        }

        /**
         * The violations: a judgement no other thread has started runs on this one, else this
         * waits for it; a failure is thrown as the judgement threw it.
         */
        public List<Violation> violations() throws IOException {
            if (beside == null) {
                return update == null ? List.of() : check.check(update);
            }
            beside.run();
            return waitFor(beside);
        }

        /** Stops a judgement whose verdict is no longer wanted (another rule threw). */
        public void cancel() {
            if (beside != null) {
                beside.cancel(true);
            }
        }
    }

    private static List<Violation> waitFor(FutureTask<List<Violation>> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new InterruptedIOException("interrupted while the custom rules were judged");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("the custom rules could not be judged: " + cause, cause);
        }
    }

    /**
     * What judging one update needs, read from the update: which rules, which paths, the diff's
     * entries, the old tip; empty when no rule judges the update.
     */
    private Optional<Judgement> judgementOf(UpdateContext update) throws IOException {
        if (!update.update().isBranch() || update.update().isDeletion()) {
            return Optional.empty();
        }
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> name = Optional.of(environment.get().name());
        List<CustomRule> rules = rulesJudging(update.policy(), name);
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Collection<String> paths = update.changedFiles();
        if (update.update().isCreation()) {
            // a new environment branch: what it shares with the default branch was judged, if at
            // all, under another environment's rules, so every file these rules match is judged
            Set<String> every = new TreeSet<>(paths);
            every.addAll(update.newFiles().paths(filesOf(rules)));
            paths = every;
        }
        // the target's tip before the update; a new branch has none, so every oldObject is null
        Optional<RevCommit> oldTip = update.update().isCreation() ? Optional.empty()
                : Optional.of(update.oldCommit());
        return Optional.of(new Judgement(rules, paths, update.changedFileEntries(), oldTip, name,
                update.update().branchName(), update.deadline()));
    }

    /** One update's judgement, read from it ({@link #judgementOf}), made with any object reader. */
    private final class Judgement {

        private final List<CustomRule> rules;
        private final Collection<String> paths;
        private final Map<String, ChangedFile> changed;
        private final Optional<RevCommit> oldTip;
        private final Optional<String> environment;
        private final String branch;
        private final OptionalLong deadline;

        Judgement(List<CustomRule> rules, Collection<String> paths, Map<String, ChangedFile> changed,
                Optional<RevCommit> oldTip, Optional<String> environment, String branch, OptionalLong deadline) {
            this.rules = rules;
            this.paths = paths;
            this.changed = changed;
            this.oldTip = oldTip;
            this.environment = environment;
            this.branch = branch;
            this.deadline = deadline;
        }

        /** The target's tip before the update, read with {@code reader}; none for a new branch. */
        Optional<CommitFiles> oldTipWith(ObjectReader reader) {
            return oldTip.isPresent() ? Optional.of(new CommitFiles(reader, oldTip.get())) : Optional.empty();
        }

        /**
         * The violations: {@code files} is the new tip and {@code before} the old one
         * ({@link #oldTipWith}), both read with the same reader; with {@code inParallel}, the
         * files are evaluated on every core.
         */
        List<Violation> judge(RevisionFiles files, Optional<CommitFiles> before, ParsedFiles parsed,
                boolean inParallel) {
            CustomRuleEvaluator evaluator = deadline.isPresent()
                    ? new CustomRuleEvaluator(limits, deadline.getAsLong()) : new CustomRuleEvaluator(limits);
            return CustomRuleCheck.this.judge(evaluator, rules, files, before, paths, changed, parsed, environment,
                    branch, inParallel);
        }
    }

    /**
     * For {@code validate}: the rules of {@code environment} (with none, the rules without
     * {@code environments}) on {@code paths} of {@code files} (some of those {@link #filesJudged} matches),
     * with {@code oldObject} null, taking the documents of those another check kept in
     * {@code parsed} instead of reading them again.
     */
    public List<Violation> checkPaths(Policy policy, RevisionFiles files, Collection<String> paths,
            ParsedFiles parsed, Optional<String> environment, String branch) {
        List<CustomRule> rules = rulesJudging(policy, environment);
        if (rules.isEmpty() || paths.isEmpty()) {
            return List.of();
        }
        return judge(new CustomRuleEvaluator(limits), rules, files, Optional.empty(), paths, Map.of(), parsed,
                environment, branch, true);
    }

    /** The files any of {@code rules} judges. */
    private static PathSet filesOf(List<CustomRule> rules) {
        List<String> globs = new ArrayList<>();
        for (CustomRule rule : rules) {
            for (String glob : rule.files()) {
                if (!globs.contains(glob)) {
                    globs.add(glob);
                }
            }
        }
        // asked for on every push (UpdateContext#parsedFiles); each glob is compiled once per process
        return PathSet.of(globs);
    }

    /**
     * The files the rules of {@code environment} judge ({@link #rulesJudging}): what a later check
     * may want another check's documents of.
     */
    public static PathSet filesJudged(Policy policy, Optional<String> environment) {
        return filesOf(rulesJudging(policy, environment));
    }

    /**
     * The rules of {@code environment} (with none, those without {@code environments}) that
     * {@code ruleModes} has not turned off, which are never evaluated.
     */
    public static List<CustomRule> rulesJudging(Policy policy, Optional<String> environment) {
        List<CustomRule> rules = new ArrayList<>();
        for (CustomRule rule : policy.customRules()) {
            if (policy.modeOf(rule.id()) != RuleMode.OFF && rule.judges(environment)) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private List<Violation> judge(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<CommitFiles> before, Collection<String> paths, Map<String, ChangedFile> changed,
            ParsedFiles parsed, Optional<String> environment, String branch, boolean inParallel) {
        evaluator.prepare(rules);
        List<String> sorted = SortedPaths.of(paths);
        boolean parallel = inParallel && sorted.size() >= PARALLEL_FROM_FILES;
        // files are independent: judge them on every core, keeping the sorted order of the
        // findings. Where the revisions allow it (a working tree), reading too, as the schema
        // check does; from the object database (one reader, not thread-safe), files are read in
        // turn and only evaluated in parallel.
        if (parallel && files.supportsConcurrentReads()
                && (before.isEmpty() || before.get().supportsConcurrentReads())) {
            return sorted.parallelStream()
                    .map(path -> judgePath(evaluator, rules, files, before, changed.get(path), parsed, path,
                            environment, branch).violations(evaluator, environment, branch))
                    .flatMap(List::stream)
                    .toList();
        }
        List<FileJudgement> judgements = new ArrayList<>(sorted.size());
        for (String path : sorted) {
            FileJudgement judgement = judgePath(evaluator, rules, files, before, changed.get(path), parsed, path,
                    environment, branch);
            if (judgement != FileJudgement.NOTHING) {
                judgements.add(judgement);
            }
        }
        if (parallel) {
            return judgements.parallelStream()
                    .map(judgement -> judgement.violations(evaluator, environment, branch))
                    .flatMap(List::stream)
                    .toList();
        }
        List<Violation> violations = new ArrayList<>();
        for (FileJudgement judgement : judgements) {
            violations.addAll(judgement.violations(evaluator, environment, branch));
        }
        return violations;
    }

    /**
     * The judgement of one file, once what it needs from the repository is read: it reads
     * nothing more, so judgements run on any thread.
     */
    private FileJudgement judgePath(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<CommitFiles> before, ChangedFile changed, ParsedFiles parsed, String path,
            Optional<String> environment, String branch) {
        Optional<List<YamlDocument>> kept = parsed.take(path);
        List<CustomRule> applicable = evaluator.applicable(rules, path, environment);
        try {
            if (applicable.isEmpty()) {
                List<Violation> links = linkWhereRulesLook(evaluator, rules, files, path);
                return links.isEmpty() ? FileJudgement.NOTHING : FileJudgement.decided(path, links);
            }
            return judgeFile(evaluator, applicable, files, before, Optional.ofNullable(changed), kept, path,
                    environment, branch);
        } catch (IOException e) {
            return FileJudgement.decided(path, violations(path, evaluator.cannotJudge(rules, path, environment,
                    "cannot be read from " + files.describe() + " (" + e.getClass().getSimpleName()
                            + "), so it cannot be judged")));
        }
    }

    private static List<Violation> violations(String path, List<RuleOutcome> outcomes) {
        List<Violation> violations = new ArrayList<>();
        for (RuleOutcome outcome : outcomes) {
            if (!outcome.holds()) {
                String rule = outcome.status() == RuleOutcome.Status.INVALID ? RuleIds.POLICY_INVALID
                        : outcome.ruleId();
                violations.add(Violation.error(rule, outcome.message()).at(path, outcome.position()));
            }
        }
        return violations;
    }

    /**
     * A symbolic link or submodule at a path under which a rule's {@code files} could match:
     * Argo CD, Helm and kustomize follow a link to a directory inside the repository, so the
     * files behind it would reach the environment unjudged. Each such rule reports it.
     */
    private static List<Violation> linkWhereRulesLook(CustomRuleEvaluator evaluator, List<CustomRule> rules,
            RevisionFiles files, String path) throws IOException {
        // a loop: this runs for every changed file no rule judges
        List<CustomRule> looking = new ArrayList<>(0);
        for (CustomRule rule : rules) {
            if (evaluator.fileSet(rule).couldContainInside(path)) {
                looking.add(rule);
            }
        }
        if (looking.isEmpty()) {
            return List.of();
        }
        Optional<FileKind> kind = files.kind(path);
        if (kind.isEmpty() || kind.get() != FileKind.SYMLINK && kind.get() != FileKind.SUBMODULE) {
            return List.of();
        }
        String what = kind.get() == FileKind.SYMLINK ? "a symbolic link" : "a submodule";
        List<Violation> violations = new ArrayList<>();
        for (CustomRule rule : looking) {
            violations.add(Violation.error(rule.id(), "is " + what + " where custom rule " + rule.id()
                    + " judges files (" + String.join(", ", rule.files()) + "): what it stands for cannot be"
                    + " judged through it; commit the files themselves").at(path, SourcePosition.START));
        }
        return violations;
    }

    /**
     * The judgement of {@code rules} (those that apply) on one file, from its documents when
     * another check {@code kept} them. In the resident server a file whose content (and old
     * version, when a rule reads {@code oldObject}) passed these rules before is known by its
     * blob ids (from the update's diff when the file is {@code changed}) and not read again.
     */
    private FileJudgement judgeFile(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<CommitFiles> before, Optional<ChangedFile> changed, Optional<List<YamlDocument>> kept,
            String path, Optional<String> environment, String branch) throws IOException {
        boolean readsOld = before.isPresent() && CustomRuleEvaluator.readsOldObject(rules);
        if (!ProcessMemory.enabled()) {
            return read(evaluator, rules, files, before, changed, kept, readsOld, Optional.empty(), path,
                    environment, null);
        }
        Optional<String> contentId = changed.isPresent() ? changed.get().contentId() : files.contentId(path);
        // a changed file's base is the old tip whenever there is one (before)
        Optional<String> oldId = !readsOld ? Optional.of("")
                : changed.isPresent() ? changed.get().baseContentId()
                : before.get().kind(path).isEmpty() ? Optional.of("") : before.get().contentId(path);
        if (contentId.isEmpty() || oldId.isEmpty()) {
            return read(evaluator, rules, files, before, changed, kept, readsOld, Optional.empty(), path,
                    environment, null);
        }
        String memoKey = evaluator.memoKey(rules, path, contentId.get(), oldId.get(), environment, branch)
                .orElseThrow();
        if (evaluator.passedBefore(memoKey)) {
            return FileJudgement.NOTHING;
        }
        Optional<String> knownOldId = oldId.get().isEmpty() ? Optional.empty() : oldId;
        return read(evaluator, rules, files, before, changed, kept, readsOld, knownOldId, path, environment,
                memoKey);
    }

    /**
     * Reads what judging the file takes. Whatever keeps the file from being read is an error of
     * each rule that would judge it (an {@link IOException} other than the size, by
     * {@link #judgePath}). A file another check {@code kept} was a regular file within the size
     * limit, and parsed.
     *
     * @param passMemoKey where the resident server remembers that the file passed; null elsewhere
     */
    private FileJudgement read(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<CommitFiles> before, Optional<ChangedFile> changed, Optional<List<YamlDocument>> kept,
            boolean readsOld, Optional<String> oldId, String path, Optional<String> environment, String passMemoKey)
            throws IOException {
        if (kept.isPresent()) {
            OldFile old = readsOld ? previousVersion(before.get(), changed, oldId, path) : OldFile.NONE;
            return new FileJudgement(path, rules, kept.get(), null, old, passMemoKey);
        }
        Optional<FileContent> file;
        try {
            file = files.readFile(path, limits.maxBytes());
        } catch (FileTooLargeException e) {
            return FileJudgement.decided(path, violations(path, evaluator.cannotJudge(rules, path, environment,
                    "is " + e.size() + " bytes, more than the limit of " + e.limit()
                            + " bytes for a checked file; split it up")));
        }
        if (file.isEmpty()) {
            return FileJudgement.NOTHING;
        }
        if (!file.get().isFile()) {
            return FileJudgement.decided(path, violations(path, evaluator.cannotJudge(rules, path, environment,
                    "is a " + file.get().otherKind().name().toLowerCase(Locale.ROOT) + ", not a regular file, so"
                            + " custom rules cannot judge it; commit the content itself")));
        }
        OldFile old = readsOld ? previousVersion(before.get(), changed, oldId, path) : OldFile.NONE;
        return new FileJudgement(path, rules, null, file.get().bytes(), old, passMemoKey);
    }

    /**
     * The file at the target's tip before the update, for {@code oldObject}: read now (the
     * reader is not thread-safe), parsed with the evaluation, on any core. In the resident
     * server its documents are remembered by blob id ({@code oldId}): every push onto the same
     * tip compares with the same versions, which the server then reads and parses once.
     */
    private OldFile previousVersion(CommitFiles before, Optional<ChangedFile> changed, Optional<String> oldId,
            String path) throws IOException {
        // the path too: it says whether the same bytes are read as JSON or YAML
        String memoKey = oldId.isPresent() ? oldId.get() + "\0" + path + "\0" + limitsKey : null;
        if (memoKey != null) {
            Optional<RememberedVersion> known = ServerMemory.PREVIOUS_VERSIONS.get(memoKey);
            if (known.isPresent()) {
                return OldFile.decided(known.get().version());
            }
        }
        Optional<FileContent> old;
        try {
            old = changed.isPresent() ? atBase(before, changed.get(), path) : before.readFile(path, limits.maxBytes());
        } catch (FileTooLargeException e) {
            return OldFile.decided(
                    PreviousVersion.unreadable("is " + e.size() + " bytes, more than the limit of " + e.limit()));
        }
        if (old.isEmpty()) {
            return OldFile.NONE;
        }
        if (!old.get().isFile()) {
            return OldFile.decided(PreviousVersion.unreadable("is a "
                    + old.get().otherKind().name().toLowerCase(Locale.ROOT) + ", not a regular file"));
        }
        return new OldFile(null, old.get().bytes(), memoKey);
    }

    /**
     * The file at the old tip as the update's diff found it there ({@code before} is that tip):
     * by its blob id, without looking the path up again.
     */
    private Optional<FileContent> atBase(CommitFiles before, ChangedFile changed, String path) throws IOException {
        if (changed.atBase().isEmpty()) {
            return Optional.empty();
        }
        UpdateContext.TreeEntry entry = changed.atBase().get();
        if (!entry.kind().isFile()) {
            return Optional.of(FileContent.notAFile(entry.kind()));
        }
        return Optional.of(FileContent.of(before.readBlob(entry.blob(), path, limits.maxBytes())));
    }

    /**
     * One file's judgement, once read ({@link #judgePath}): decided already (nothing to report,
     * or what keeps the file from being judged), or the rules to evaluate on its documents
     * ({@code kept} by another check) or on its {@code content}, with its old version.
     */
    private static final class FileJudgement {

        /** A file no rule judges, or one known to pass: {@link #judge} leaves it out. */
        static final FileJudgement NOTHING = decided("", List.of());

        private final String path;
        private final List<Violation> decided;
        private final List<CustomRule> rules;
        private final List<YamlDocument> kept;
        private final byte[] content;
        private final OldFile old;
        private final String passMemoKey;

        FileJudgement(String path, List<CustomRule> rules, List<YamlDocument> kept, byte[] content, OldFile old,
                String passMemoKey) {
            this(path, null, rules, kept, content, old, passMemoKey);
        }

        private FileJudgement(String path, List<Violation> decided, List<CustomRule> rules,
                List<YamlDocument> kept, byte[] content, OldFile old, String passMemoKey) {
            this.path = path;
            this.decided = decided;
            this.rules = rules;
            this.kept = kept;
            this.content = content;
            this.old = old;
            this.passMemoKey = passMemoKey;
        }

        static FileJudgement decided(String path, List<Violation> violations) {
            return new FileJudgement(path, violations, null, null, null, null, null);
        }

        List<Violation> violations(CustomRuleEvaluator evaluator, Optional<String> environment, String branch) {
            if (decided != null) {
                return decided;
            }
            PreviousVersion previous = old.parse(evaluator, rules, path);
            List<RuleOutcome> outcomes = kept != null
                    ? evaluator.evaluateApplicable(rules, path, kept, previous, environment, branch)
                    : evaluator.evaluateLocatingFailures(rules, path, content, previous, environment, branch);
            if (passMemoKey != null) {
                evaluator.rememberIfPassed(passMemoKey, outcomes);
            }
            return CustomRuleCheck.violations(path, outcomes);
        }
    }

    /**
     * A file's version before the update, once read ({@link #previousVersion}): decided (none,
     * remembered, or why it cannot be read), or its bytes, parsed with the evaluation.
     */
    private static final class OldFile {

        static final OldFile NONE = decided(PreviousVersion.NONE);

        private final PreviousVersion decided;
        private final byte[] bytes;
        /** Where the resident server remembers the parsed version; null when it does not. */
        private final String memoKey;

        OldFile(PreviousVersion decided, byte[] bytes, String memoKey) {
            this.decided = decided;
            this.bytes = bytes;
            this.memoKey = memoKey;
        }

        static OldFile decided(PreviousVersion version) {
            return new OldFile(version, null, null);
        }

        PreviousVersion parse(CustomRuleEvaluator evaluator, List<CustomRule> rules, String path) {
            if (decided != null) {
                return decided;
            }
            PreviousVersion version = evaluator.previousVersion(rules, path, Optional.of(bytes), Optional.empty());
            if (memoKey != null && version.problem().isEmpty()) {
                ServerMemory.PREVIOUS_VERSIONS.put(memoKey, new RememberedVersion(version, bytes.length));
            }
            return version;
        }
    }

    /** What only the resident server remembers: in a holder, so that no other process builds it. */
    private static final class ServerMemory {

        /**
         * The parsed versions of files at environment tips, by blob id, path and limits
         * ({@link #previousVersion}); bounded by the bytes of the files they were parsed from
         * (2 MiB: some two thousand values files), as their documents weigh about ten times as
         * much and stay in the server's heap.
         */
        static final BoundedMemo<String, RememberedVersion> PREVIOUS_VERSIONS =
                new BoundedMemo<>(4_096, 2L << 20, RememberedVersion::sourceBytes);
    }

    /** A previous version the server remembers, with the size of the file it was parsed from. */
    private record RememberedVersion(PreviousVersion version, long sourceBytes) {
    }
}
