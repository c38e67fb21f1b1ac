package dev.stagegate.rules;

import dev.stagegate.customrules.ResultType;
import dev.stagegate.customrules.RuleEvaluation;
import dev.stagegate.customrules.RuleExpression;
import dev.stagegate.customrules.RuleVariables;
import dev.stagegate.git.PathSet;
import dev.stagegate.kubernetes.GroupVersionKind;
import dev.stagegate.Sha256;
import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Runs a policy's custom rules (rules-cel.md) on one file: each rule the environment and the
 * file's path select, on each document of the file its {@code kinds} select, with the
 * document at the same index of the file's old content as {@code oldObject}.
 *
 * <p>Files are read as the schema check reads them (anchors and aliases expanded, within the
 * {@link YamlLimits}). Nothing passes by default: a file that cannot be read, an expression
 * that errs, one that no longer compiles, and the deadline passing are all outcomes that are
 * reported. Compiled expressions are kept for the process ({@link RuleExpression#compile}).
 *
 * <p>Only a policy with rules reaches this class: it loads CEL.
 */
public final class CustomRuleEvaluator {

    /** Messages are printed one per line, and a message expression can build a long string. */
    static final int MAX_MESSAGE_LENGTH = 1_000;

    /** The variable's name in CEL (rules-cel.md). */
    private static final String OLD_OBJECT = "oldObject";

    private static final BoundedMemo<List<String>, PathSet> FILE_SETS = new BoundedMemo<>(1_024);

    /**
     * In the resident server ({@link ProcessMemory}), the files on which every rule held, by
     * {@link #passedKey}: a push retried after a rejection, or a promotion whose files another
     * push already brought, is not evaluated again. Only passes are kept (a pass reports
     * nothing, so the key is all there is to keep), never a verdict cut short by the deadline;
     * a few hundred bytes each.
     */
    private static final BoundedMemo<String, Boolean> PASSED = new BoundedMemo<>(20_000);
    private static final BoundedMemo<CustomRule, String> RULE_DIGESTS = new BoundedMemo<>(1_024);

    /** The limits files are read with, part of every memo key: spelt out once. */
    private final String limitsKey;
    private final YamlLimits limits;
    /**
     * Built on first need, then shared by every thread (it is thread-safe): building one sets up
     * Jackson's factories, and a push whose documents the schema check handed over and whose
     * rules read no {@code oldObject} never needs one.
     */
    private volatile LocatedYamlReader reader;
    private final boolean hasDeadline;
    private final long deadlineNanoTime;
    /**
     * Per rule object, for the one push (or run) this evaluator judges: a push asks for them once
     * per changed file, and hashing a rule's every field each time was a resident server's
     * largest cost on a push whose files it remembered.
     */
    private final Map<CustomRule, PathSet> fileSets = new IdentityHashMap<>();
    private final Map<CustomRule, String> digests = new IdentityHashMap<>();
    /** The digest of each set of rules that applied to a file, with the limits: the head of its memo key. */
    private final Map<List<CustomRule>, String> ruleSetDigests = new ConcurrentHashMap<>();
    /**
     * Compiled expressions and message expressions by their text, for every thread: looking them
     * up in {@link RuleExpression}'s process-wide memo on every evaluation cost more.
     */
    private final Map<String, RuleExpression.Compilation> expressions = new ConcurrentHashMap<>();
    private final Map<String, RuleExpression.Compilation> messageExpressions = new ConcurrentHashMap<>();

    /** Without a deadline (each evaluation's cost limit still applies): for {@code rules eval} and {@code validate}. */
    public CustomRuleEvaluator(YamlLimits limits) {
        this(limits, false, 0);
    }

    /**
     * @param deadlineNanoTime the {@link System#nanoTime()} past which no more rules are
     *                         evaluated: the rest are {@code ERROR} outcomes saying so
     */
    public CustomRuleEvaluator(YamlLimits limits, long deadlineNanoTime) {
        this(limits, true, deadlineNanoTime);
    }

    private CustomRuleEvaluator(YamlLimits limits, boolean hasDeadline, long deadlineNanoTime) {
        this.limitsKey = limits.key();
        this.limits = limits;
        this.hasDeadline = hasDeadline;
        this.deadlineNanoTime = deadlineNanoTime;
    }

    private LocatedYamlReader reader() {
        LocatedYamlReader built = reader;
        if (built == null) {
            synchronized (this) {
                built = reader;
                if (built == null) {
                    built = new LocatedYamlReader(limits);
                    reader = built;
                }
            }
        }
        return built;
    }

    /**
     * The rules among {@code candidates} that judge {@code path} in {@code environment} (their
     * {@code kinds} aside, which depend on the documents): every rule without
     * {@code environments}, and those naming the environment, whose {@code files} match. Each
     * rule's globs are looked up by identity.
     */
    public List<CustomRule> applicable(List<CustomRule> candidates, String path, Optional<String> environment) {
        List<CustomRule> rules = new ArrayList<>();
        // rules mostly share their globs, and compiled globs are shared (FILE_SETS): each is matched once
        PathSet lastSet = null;
        boolean lastMatched = false;
        for (CustomRule rule : candidates) {
            if (!rule.judges(environment)) {
                continue;
            }
            PathSet set = fileSet(rule);
            if (set != lastSet) {
                lastSet = set;
                lastMatched = set.contains(path);
            }
            if (lastMatched) {
                rules.add(rule);
            }
        }
        return rules;
    }

    /**
     * Fills the per-rule lookups for {@code rules} up front, so that several threads may then
     * judge files with this evaluator: after this, {@link #applicable} and the memo keys only read.
     */
    public void prepare(List<CustomRule> rules) {
        for (CustomRule rule : rules) {
            fileSet(rule);
            if (ProcessMemory.enabled()) {
                // only the memo keys use them, which only a resident server makes
                digests.computeIfAbsent(rule, CustomRuleEvaluator::ruleDigest);
            }
        }
    }

    /** {@code rule}'s {@code files}, compiled, looked up by identity. */
    PathSet fileSet(CustomRule rule) {
        PathSet known = fileSets.get(rule);
        if (known == null) {
            known = fileSetOf(rule);
            fileSets.put(rule, known);
        }
        return known;
    }

    /** Compiled once: every changed path of a push is matched against every rule's globs. */
    private static PathSet fileSetOf(CustomRule rule) {
        Optional<PathSet> known = FILE_SETS.get(rule.files());
        if (known.isPresent()) {
            return known.get();
        }
        PathSet compiled = rule.fileSet();
        FILE_SETS.put(rule.files(), compiled);
        return compiled;
    }

    /**
     * Every outcome of the rules among {@code candidates} that judge {@code path}, document by
     * document, in the policy's order within each document.
     *
     * @param content       the file as it is now
     * @param oldContent    the same path at the target's tip before the change; empty for a new
     *                      file or a new branch
     * @param oldUnreadable why the old version, which exists, cannot be read (too large, not a
     *                      regular file): each rule that reads {@code oldObject} is then an
     *                      {@code ERROR}, never a rule judging a "new" file
     * @param environment   the environment judged; empty for none (then only rules without
     *                      {@code environments} apply), and {@code environment} is "" in CEL
     * @param branch        the branch's short name, "" when there is none
     */
    public List<RuleOutcome> evaluate(List<CustomRule> candidates, String path, byte[] content,
            Optional<byte[]> oldContent, Optional<String> oldUnreadable, Optional<String> environment,
            String branch) {
        List<CustomRule> rules = applicable(candidates, path, environment);
        return evaluateApplicable(rules, path, content, previousVersion(rules, path, oldContent, oldUnreadable),
                environment, branch);
    }

    /** As {@link #evaluateApplicable(List, String, List, PreviousVersion, Optional, String)}, on the file's content. */
    public List<RuleOutcome> evaluateApplicable(List<CustomRule> rules, String path, byte[] content,
            PreviousVersion old, Optional<String> environment, String branch) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<YamlDocument> documents;
        try {
            documents = reader().read(content, path);
        } catch (YamlReadException e) {
            return notYaml(rules, e);
        }
        return evaluateApplicable(rules, path, documents, old, environment, branch);
    }

    /**
     * As {@link #evaluateApplicable(List, String, byte[], PreviousVersion, Optional, String)}, for
     * a caller that reports only the outcomes that do not hold, whose positions alone matter: the
     * file is read without positions, and again with them only when a rule fails or errs. Most
     * files pass, and keeping a position per node is most of what reading one costs.
     */
    public List<RuleOutcome> evaluateLocatingFailures(List<CustomRule> rules, String path, byte[] content,
            PreviousVersion old, Optional<String> environment, String branch) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<YamlDocument> values;
        try {
            values = reader().readValues(content, path);
        } catch (YamlReadException e) {
            // the full reader's own error, with its position: reading again with positions would give the same
            return notYaml(rules, e);
        }
        List<RuleOutcome> outcomes = judgeDocuments(rules, path, values, old, environment, branch);
        // a document read with positions has one for its root at least
        boolean located = !values.isEmpty() && !values.get(0).positions().isEmpty();
        if (located || allHold(outcomes)) {
            return outcomes;
        }
        return evaluateApplicable(rules, path, content, old, environment, branch);
    }

    /** An error of each of {@code rules}, at where the file stops being YAML. */
    private static List<RuleOutcome> notYaml(List<CustomRule> rules, YamlReadException e) {
        return unreadable(rules, "cannot be read as YAML (" + e.getMessage() + "), so it cannot be judged",
                e.position());
    }

    private static boolean allHold(List<RuleOutcome> outcomes) {
        for (RuleOutcome outcome : outcomes) {
            if (!outcome.holds()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The outcomes of {@code rules}, which {@link #applicable} chose for {@code path}, on the
     * file's documents (parsed by another check with the same {@link YamlLimits}, as
     * {@link dev.stagegate.yaml.ParsedFiles} hands them over), with {@code old} as what
     * {@code oldObject} is read from.
     */
    public List<RuleOutcome> evaluateApplicable(List<CustomRule> rules, String path, List<YamlDocument> documents,
            PreviousVersion old, Optional<String> environment, String branch) {
        if (rules.isEmpty()) {
            return List.of();
        }
        return judgeDocuments(rules, path, documents, old, environment, branch);
    }

    /**
     * The file's version before the change, for {@code oldObject}: none for a new file; else,
     * when one of {@code rules} reads {@code oldObject}, its documents, or why it cannot be read
     * ({@code unreadable}: too large, not a regular file; or not YAML).
     */
    public PreviousVersion previousVersion(List<CustomRule> rules, String path, Optional<byte[]> content,
            Optional<String> unreadable) {
        if (unreadable.isPresent()) {
            return PreviousVersion.unreadable(unreadable.get());
        }
        if (content.isEmpty() || !readsOldObject(rules)) {
            return PreviousVersion.NONE;
        }
        try {
            // oldObject is a value: where its nodes are in the old file is never reported
            return PreviousVersion.of(reader().readValues(content.get(), path));
        } catch (YamlReadException e) {
            return PreviousVersion.unreadable("cannot be read as YAML (" + e.getMessage() + ")");
        }
    }

    /**
     * What {@code oldObject} is read from: the documents of the file's version before the change
     * (none for a new file), or why that version cannot be read, which makes each rule that reads
     * {@code oldObject} an error rather than one judging a "new" file.
     */
    public record PreviousVersion(List<YamlDocument> documents, Optional<String> problem) {

        public static final PreviousVersion NONE = new PreviousVersion(List.of(), Optional.empty());

        public PreviousVersion {
            documents = List.copyOf(documents);
        }

        public static PreviousVersion of(List<YamlDocument> documents) {
            return new PreviousVersion(documents, Optional.empty());
        }

        public static PreviousVersion unreadable(String why) {
            return new PreviousVersion(List.of(), Optional.of(why));
        }
    }

    /**
     * In the resident server ({@link ProcessMemory}), the key under which the outcomes of
     * {@code applicable} (the rules {@link #applicable} found for the file; any others only make
     * the key stricter) on a file are remembered ({@link #passedBefore}, {@link #rememberIfPassed}),
     * from the identities of its content and of its old version
     * ({@link dev.stagegate.git.RevisionFiles#contentId}; {@code oldContentId} is "" when no rule
     * reads {@code oldObject} or there is no old version), so that neither needs to be read
     * again; empty in any other process.
     */
    public Optional<String> memoKey(List<CustomRule> applicable, String path, String contentId, String oldContentId,
            Optional<String> environment, String branch) {
        if (!ProcessMemory.enabled()) {
            return Optional.empty();
        }
        return Optional.of(passedKey(applicable, path, contentId, oldContentId, environment, branch));
    }

    /** Whether every rule held on the file known by {@code memoKey} before, so that it reports nothing. */
    public boolean passedBefore(String memoKey) {
        return PASSED.get(memoKey).isPresent();
    }

    /** Remembers the file known by {@code memoKey} when every one of its {@code outcomes} holds; failures are judged every time. */
    public void rememberIfPassed(String memoKey, List<RuleOutcome> outcomes) {
        if (allHold(outcomes)) {
            PASSED.put(memoKey, Boolean.TRUE);
        }
    }

    /**
     * What a verdict of {@code rules} on a file depends on, and nothing else: every field of each
     * rule (by {@link #ruleDigest}), the limits, the path, environment and branch, and the identity
     * of the file's content (and of the old version's, when a rule reads {@code oldObject}),
     * each length-prefixed so that no two keys differ only in where one field ends.
     */
    private String passedKey(List<CustomRule> rules, String path, String contentId, String oldContentId,
            Optional<String> environment, String branch) {
        StringBuilder key = new StringBuilder(256);
        key.append(ruleSetDigests.computeIfAbsent(rules, this::ruleSetDigest));
        field(key, path);
        field(key, environment.orElse("\0"));
        field(key, branch);
        field(key, contentId);
        field(key, oldContentId);
        return key.toString();
    }

    /** A SHA-256 over the digests of {@code rules} and the limits: 64 characters however many rules apply. */
    private String ruleSetDigest(List<CustomRule> rules) {
        StringBuilder fields = new StringBuilder(64 * rules.size() + 64);
        for (CustomRule rule : rules) {
            fields.append(digests.computeIfAbsent(rule, CustomRuleEvaluator::ruleDigest));
        }
        field(fields, limitsKey);
        return Sha256.hex(fields.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A SHA-256 over every field of {@code rule}, computed once per rule: a push asks for it once per file. */
    private static String ruleDigest(CustomRule rule) {
        Optional<String> known = RULE_DIGESTS.get(rule);
        if (known.isPresent()) {
            return known.get();
        }
        StringBuilder fields = new StringBuilder();
        field(fields, rule.id());
        field(fields, String.join("\n", rule.environments()));
        field(fields, String.join("\n", rule.files()));
        field(fields, String.join("\n", rule.kinds()));
        field(fields, rule.expression());
        field(fields, rule.fieldPath().orElse("\0"));
        field(fields, rule.message().orElse("\0"));
        field(fields, rule.messageExpression().orElse("\0"));
        String digest = Sha256.hex(fields.toString().getBytes(StandardCharsets.UTF_8));
        RULE_DIGESTS.put(rule, digest);
        return digest;
    }

    private static void field(StringBuilder key, String value) {
        key.append(value.length()).append(':').append(value);
    }

    private List<RuleOutcome> judgeDocuments(List<CustomRule> rules, String path, List<YamlDocument> documents,
            PreviousVersion previous, Optional<String> environment, String branch) {
        Optional<String> oldProblem = previous.problem();
        OldVersion old = new OldVersion(previous.documents());
        List<RuleOutcome> outcomes = new ArrayList<>();
        List<String> notCompiling = new ArrayList<>();
        for (int index = 0; index < documents.size(); index++) {
            YamlDocument document = documents.get(index);
            Subject whole = new Subject(document, "", document.root(), index, old);
            List<Subject> items = listItems(whole);
            for (CustomRule rule : rules) {
                // a List's items are resources of their own (kubectl, Argo CD and the schema check
                // unwrap it): a rule on kinds judges each item, never the wrapper
                for (Subject subject : rule.kinds().isEmpty() || items.isEmpty() ? List.of(whole) : items) {
                    if (!selectsKind(rule, kindOf(subject.root())) || notCompiling.contains(rule.id())) {
                        continue;
                    }
                    if (oldProblem.isPresent() && readsOldObject(rule)) {
                        outcomes.add(new RuleOutcome(rule.id(), RuleOutcome.Status.ERROR, oneLine("compares with"
                                + " the file's version before this change, which " + oldProblem.get() + ", so it"
                                + " cannot be judged: oldObject is never taken as null for a file that exists; fix"
                                + " or remove the old file with an audited bypass, or set this rule to warn in"
                                + " ruleModes for the push"), subject.position(""), index));
                        continue;
                    }
                    RuleOutcome outcome = judge(rule, subject, subject.variables(path, environment, branch));
                    if (outcome.status() == RuleOutcome.Status.INVALID) {
                        // once per file is enough: it says the same for every document
                        notCompiling.add(rule.id());
                    }
                    outcomes.add(outcome);
                }
            }
        }
        return outcomes;
    }

    /**
     * Whether one of {@code rules} can see {@code oldObject}: CEL has no way to name a variable
     * but its identifier, so a rule without the word never does, and the old file need not be read.
     */
    static boolean readsOldObject(List<CustomRule> rules) {
        // a loop, not a stream: this is asked for every changed file
        for (CustomRule rule : rules) {
            if (readsOldObject(rule)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readsOldObject(CustomRule rule) {
        return rule.expression().contains(OLD_OBJECT)
                || rule.messageExpression().isPresent() && rule.messageExpression().get().contains(OLD_OBJECT);
    }

    /**
     * An {@code ERROR} outcome for each rule among {@code candidates} that would judge
     * {@code path}, which cannot be read at all (too large, a symbolic link, ...): such a file is
     * never passed unjudged.
     */
    public List<RuleOutcome> cannotJudge(List<CustomRule> candidates, String path, Optional<String> environment,
            String why) {
        return unreadable(applicable(candidates, path, environment), why, SourcePosition.START);
    }

    private static List<RuleOutcome> unreadable(List<CustomRule> rules, String why, SourcePosition position) {
        return rules.stream()
                .map(rule -> new RuleOutcome(rule.id(), RuleOutcome.Status.ERROR, oneLine(why), position, 0))
                .toList();
    }

    private RuleOutcome judge(CustomRule rule, Subject subject, RuleVariables variables) {
        int index = subject.document();
        SourcePosition start = subject.position("");
        RuleExpression.Compilation compiled = compiled(expressions, rule.expression(), ResultType.BOOL);
        if (!compiled.succeeded()) {
            return new RuleOutcome(rule.id(), RuleOutcome.Status.INVALID, oneLine("the expression of custom rule "
                    + rule.id() + " does not compile with this stagegate (" + problems(compiled)
                    + "); fix the policy"), start, index);
        }
        if (deadlinePassed()) {
            return new RuleOutcome(rule.id(), RuleOutcome.Status.ERROR,
                    "not evaluated: the deadline for judging passed before this rule could run", start, index);
        }
        RuleEvaluation.Result result = evaluate(compiled.expression(), variables);
        if (result.failed()) {
            return new RuleOutcome(rule.id(), RuleOutcome.Status.ERROR,
                    oneLine("cannot be evaluated: " + result.error() + hintFor(result.error())), start, index);
        }
        if (result.holds()) {
            return new RuleOutcome(rule.id(), RuleOutcome.Status.HOLDS, "", start, index);
        }
        SourcePosition position = start;
        if (rule.fieldPath().isPresent()) {
            Optional<String> pointer = pointerOf(subject.root(), rule.fieldPath().get());
            if (pointer.isPresent()) {
                position = subject.position(pointer.get());
            }
        }
        return new RuleOutcome(rule.id(), RuleOutcome.Status.FAILS, message(rule, variables), position, index);
    }

    /**
     * {@code text} compiled as {@code type}, from {@code known} (this evaluator's, for every
     * thread) or else {@link RuleExpression#compile}; no lambda, as it is asked on every evaluation.
     */
    private static RuleExpression.Compilation compiled(Map<String, RuleExpression.Compilation> known, String text,
            ResultType type) {
        RuleExpression.Compilation compilation = known.get(text);
        if (compilation == null) {
            compilation = RuleExpression.compile(text, type);
            known.put(text, compilation);
        }
        return compilation;
    }

    private RuleEvaluation.Result evaluate(RuleExpression expression, RuleVariables variables) {
        return hasDeadline ? RuleEvaluation.evaluate(expression, variables, deadlineNanoTime)
                : RuleEvaluation.evaluate(expression, variables);
    }

    /** Past the deadline, or interrupted: the hook abandons a judgement at its deadline by interrupting it. */
    private boolean deadlinePassed() {
        return hasDeadline && System.nanoTime() - deadlineNanoTime > 0 || Thread.currentThread().isInterrupted();
    }

    /** The rule's messageExpression when it gives a string, else its message, else one naming it. */
    private String message(CustomRule rule, RuleVariables variables) {
        String fallback = rule.message().orElse("custom rule " + rule.id() + " does not hold: " + rule.expression());
        if (rule.messageExpression().isEmpty()) {
            return oneLine(fallback);
        }
        RuleExpression.Compilation compiled = compiled(messageExpressions, rule.messageExpression().get(),
                ResultType.STRING);
        if (!compiled.succeeded()) {
            return oneLine(fallback + " (the messageExpression does not compile: " + problems(compiled) + ")");
        }
        RuleEvaluation.Result result = evaluate(compiled.expression(), variables);
        if (result.failed()) {
            return oneLine(fallback + " (the messageExpression failed: " + result.error() + ")");
        }
        return oneLine(result.text());
    }

    private static String problems(RuleExpression.Compilation compiled) {
        return String.join("; ", compiled.problems().stream().map(p -> p.message()).toList());
    }

    /** A missing key or a type only known at run time: has() and type checks guard against both. */
    private static String hintFor(String error) {
        if (error.startsWith("no such key")) {
            return "; a rule that errs is a violation: guard optional keys with has(), e.g. has(object.key)";
        }
        if (error.startsWith("type mismatch")) {
            return "; a rule that errs is a violation: check the value's type, e.g. type(object.key) == int,"
                    + " or guard with has()";
        }
        return "";
    }

    /**
     * The JSON pointer of a dotted {@code fieldPath} ({@code spec.replicas},
     * {@code spec.containers.0.image}), when the document has a value there.
     */
    static Optional<String> pointerOf(Object root, String fieldPath) {
        StringBuilder pointer = new StringBuilder();
        Object node = root;
        for (String segment : fieldPath.split("\\.", -1)) {
            if (node instanceof JSONObject mapping && mapping.has(segment)) {
                node = mapping.opt(segment);
            } else if (node instanceof JSONArray list && isIndex(segment) && Integer.parseInt(segment) < list.length()) {
                node = list.opt(Integer.parseInt(segment));
            } else {
                return Optional.empty();
            }
            pointer.append('/').append(YamlDocument.escape(segment));
        }
        return Optional.of(pointer.toString());
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.length() <= 9 && segment.chars().allMatch(Character::isDigit);
    }

    /**
     * What a rule judges: a document, or one item of a Kubernetes {@code List}, with the old
     * version it is compared with. Built lazily: most rules never read {@code oldObject}.
     */
    private static final class Subject {

        private final YamlDocument yaml;
        private final String pointer;
        private final Object root;
        private final int document;
        private final OldVersion old;
        private RuleVariables variables;
        /** Where the subject starts, looked up once: every rule's outcome on it carries it. */
        private SourcePosition start;

        Subject(YamlDocument yaml, String pointer, Object root, int document, OldVersion old) {
            this.yaml = yaml;
            this.pointer = pointer;
            this.root = root;
            this.document = document;
            this.old = old;
        }

        Object root() {
            return root;
        }

        int document() {
            return document;
        }

        /** Where {@code relativePointer} (a JSON pointer from this subject's root) is in the file. */
        SourcePosition position(String relativePointer) {
            if (relativePointer.isEmpty()) {
                if (start == null) {
                    start = yaml.positionOf(pointer);
                }
                return start;
            }
            return yaml.positionOf(pointer + relativePointer);
        }

        RuleVariables variables(String path, Optional<String> environment, String branch) {
            if (variables == null) {
                variables = RuleVariables.of(root, old.of(this), path, environment.orElse(""), branch);
            }
            return variables;
        }
    }

    /** The items of a {@code kind: List} document, each a subject of its own; none for anything else. */
    private static List<Subject> listItems(Subject document) {
        if (!(document.root() instanceof JSONObject list) || !isKubernetesList(list)) {
            return List.of();
        }
        JSONArray items = list.getJSONArray("items");
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < items.length(); i++) {
            subjects.add(new Subject(document.yaml, "/items/" + i, items.opt(i), document.document(), document.old));
        }
        return subjects;
    }

    private static boolean isKubernetesList(JSONObject root) {
        return root.opt("kind") instanceof String kind && kind.equalsIgnoreCase("List")
                && root.opt("apiVersion") instanceof String && root.optJSONArray("items") != null;
    }

    /**
     * The file's version before the change, and which of its documents is a subject's
     * {@code oldObject}: the Kubernetes resource with the same group, kind, namespace and name
     * anywhere in the file (also inside a {@code List}), so that reordering the documents or
     * putting another one in front does not hide a change; for anything that is no named
     * resource, the document with the same index (rules-cel.md).
     */
    private static final class OldVersion {

        private final List<YamlDocument> documents;
        private Map<String, Object> resources;

        OldVersion(List<YamlDocument> documents) {
            this.documents = documents;
        }

        Object of(Subject subject) {
            Optional<String> identity = identityOf(subject.root());
            if (identity.isPresent()) {
                return resources().get(identity.get());
            }
            if (subject.document() >= documents.size()) {
                return null;
            }
            Object root = documents.get(subject.document()).root();
            if (!subject.pointer.isEmpty() && root instanceof JSONObject list && isKubernetesList(list)) {
                int item = Integer.parseInt(subject.pointer.substring("/items/".length()));
                return list.getJSONArray("items").opt(item);
            }
            return subject.pointer.isEmpty() ? root : null;
        }

        private Map<String, Object> resources() {
            if (resources == null) {
                resources = new java.util.HashMap<>();
                for (YamlDocument document : documents) {
                    Object root = document.root();
                    if (root instanceof JSONObject list && isKubernetesList(list)) {
                        JSONArray items = list.getJSONArray("items");
                        for (int i = 0; i < items.length(); i++) {
                            Object item = items.opt(i);
                            identityOf(item).ifPresent(identity -> resources.putIfAbsent(identity, item));
                        }
                    } else {
                        identityOf(root).ifPresent(identity -> resources.putIfAbsent(identity, root));
                    }
                }
            }
            return resources;
        }

        /**
         * Group, kind, namespace and name: what the API server knows an object by. The version is
         * left out, since moving a Deployment from {@code apps/v1beta2} to {@code apps/v1} changes
         * the same object.
         */
        private static Optional<String> identityOf(Object root) {
            if (!(root instanceof JSONObject resource) || !(resource.opt("apiVersion") instanceof String apiVersion)
                    || !(resource.opt("kind") instanceof String kind)
                    || !(resource.opt("metadata") instanceof JSONObject metadata)
                    || !(metadata.opt("name") instanceof String name)) {
                return Optional.empty();
            }
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String namespace = metadata.opt("namespace") instanceof String given ? given : "";
            return Optional.of(group + "\0" + kind + "\0" + namespace + "\0" + name);
        }
    }

    /** A Kubernetes resource's kind, from its apiVersion and kind; empty for anything else. */
    private static Optional<GroupVersionKind> kindOf(Object root) {
        if (root instanceof JSONObject resource && resource.opt("apiVersion") instanceof String apiVersion
                && resource.opt("kind") instanceof String kind) {
            return GroupVersionKind.parse(apiVersion, kind);
        }
        return Optional.empty();
    }

    /** Rules without {@code kinds} judge every document; the others only resources of a kind they name. */
    private static boolean selectsKind(CustomRule rule, Optional<GroupVersionKind> kind) {
        return rule.kinds().isEmpty() || kind.isPresent() && rule.kinds().contains(kind.get().toString());
    }

    /** One line, of bounded length. */
    static String oneLine(String text) {
        boolean tooLong = text.length() > MAX_MESSAGE_LENGTH;
        String head = tooLong ? text.substring(0, MAX_MESSAGE_LENGTH) : text;
        String line = head.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return tooLong ? line + "... (" + text.length() + " characters)" : line;
    }
}
