package dev.stagegate.policy;

import dev.stagegate.Sha256;
import dev.stagegate.customrules.ExpressionSource;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.BundledSchema;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Reads a policy file (policy-v1.md): YAML, then {@code policy.schema.json}, then the checks
 * a schema cannot make. Every problem becomes a {@code policy-invalid} violation at its
 * {@code file:line:column}; nothing is thrown for bad input, and anything unexpected makes
 * the policy invalid rather than valid (fail closed). Safe to share between threads.
 */
public final class PolicyLoader {

    public static final String DEFAULT_PATH = ".stagegate/policy.yaml";

    static final String SCHEMA_PATH = "policy.schema.json";

    private static final Comparator<Violation> BY_POSITION =
            Comparator.comparingInt(Violation::line).thenComparingInt(Violation::column);

    private final YamlLimits limits;
    private final LocatedYamlReader yamlReader;
    private final AllowedSignersReader allowedSigners;
    private final boolean serverAllowedSigners;

    /** With the default limits. */
    public PolicyLoader() {
        this(YamlLimits.DEFAULTS);
    }

    /**
     * @param limits the run's limits: a policy is read under the same bounds as every checked
     *               file, wherever it comes from (a push, a branch tip, {@code --policy})
     */
    public PolicyLoader(YamlLimits limits) {
        this(limits, Optional.empty());
    }

    /**
     * @param serverAllowedSigners the server's {@code --allowed-signers}: it replaces the file
     *                             every policy names, and a policy that turns signatures on
     *                             need not name one
     */
    public PolicyLoader(YamlLimits limits, Optional<AllowedSigners> serverAllowedSigners) {
        // The bundled schema is compiled on first use, once per JVM; see BundledSchema.
        this.limits = limits;
        this.yamlReader = new LocatedYamlReader(limits, true);
        this.allowedSigners = new AllowedSignersReader(serverAllowedSigners);
        this.serverAllowedSigners = serverAllowedSigners.isPresent();
    }

    /** This loader's limits with the server's allowed signers. */
    public PolicyLoader withServerAllowedSigners(Optional<AllowedSigners> signers) {
        return signers.isEmpty() && !serverAllowedSigners ? this : new PolicyLoader(limits, signers);
    }

    /**
     * {@code loaded}, read from {@code tree}, with its allowed signers attached (see
     * {@link AllowedSignersReader}); invalid when the file it names cannot be used.
     */
    public PolicyLoadResult withAllowedSigners(PolicyLoadResult loaded, ObjectReader reader, RevTree tree)
            throws IOException {
        return allowedSigners.attach(loaded, reader, tree);
    }

    /**
     * A policy given as a file ({@code --policy}) with the server's allowed signers; without
     * them its signed records verify against nothing, so under {@code signatures} none counts.
     */
    public PolicyLoadResult withServerAllowedSigners(PolicyLoadResult loaded) {
        return allowedSigners.attachServer(loaded);
    }

    /** The limits policies, and the files a policy's checks read, are read under. */
    public YamlLimits limits() {
        return limits;
    }

    /** The largest policy file this loader reads; callers check a blob's size before loading it. */
    public long maxBytes() {
        return limits.maxBytes();
    }

    /**
     * Loads the policy in {@code content}.
     *
     * @param path where the content came from, for messages, such as {@link #DEFAULT_PATH}
     */
    public PolicyLoadResult load(byte[] content, String path) {
        try {
            return loadDocument(content, path);
        } catch (RuntimeException e) {
            return invalid(List.of(error(path, SourcePosition.START, "cannot check the policy, so it counts as"
                    + " invalid (internal error: " + e + "); please report this to the stagegate maintainers")));
        } catch (StackOverflowError e) {
            // Parsers recurse per nesting level; a thread with a small stack may run out before
            // the reader's depth limit is reached.
            return invalid(List.of(error(path, SourcePosition.START, "the policy is nested too deeply to check;"
                    + " flatten it")));
        }
    }

    /** A policy "file" that is a symbolic link or a submodule: invalid, never followed. */
    public static PolicyLoadResult notARegularFile(String kind, String path) {
        return invalid(List.of(error(path, SourcePosition.START, "the policy is a " + kind
                + ", not a regular file; commit the policy itself")));
    }

    /** A policy file larger than {@link #maxBytes()}: invalid, without loading its bytes. */
    public PolicyLoadResult tooLarge(long size, String path) {
        return invalid(List.of(error(path, SourcePosition.START, "the policy is " + size
                + " bytes, more than the limit of " + limits.maxBytes() + " bytes")));
    }

    /**
     * Loads a policy whose exact bytes passed {@link #load} before under the same bundled
     * schema ({@link #schemaFingerprint()}): the schema step is skipped, so a push whose
     * policy did not change never loads the JSON Schema engine. Anything unexpected falls
     * back to the full {@link #load}.
     */
    public PolicyLoadResult loadPreviouslyValidated(byte[] content, String path) {
        try {
            List<YamlDocument> documents = yamlReader.read(content, path);
            if (documents.size() != 1 || !(documents.get(0).root() instanceof JSONObject root)) {
                return load(content, path);
            }
            return interpreted(documents.get(0), root, path, content);
        } catch (YamlReadException | RuntimeException e) {
            return load(content, path);
        }
    }

    /**
     * Identifies the bundled policy schema (a SHA-256 of its bytes), so that a cache of
     * policies known to pass it is invalidated when stagegate's schema changes.
     */
    public static String schemaFingerprint() {
        try {
            return Sha256.hex(SchemaSource.bundled().read(SCHEMA_PATH)).substring(0, 24);
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    private PolicyLoadResult loadDocument(byte[] content, String path) {
        List<YamlDocument> documents;
        try {
            documents = yamlReader.read(content, path);
        } catch (YamlReadException e) {
            return invalid(List.of(error(path, e.position(), "cannot read the policy: " + e.getMessage())));
        }
        if (documents.isEmpty()) {
            return invalid(List.of(error(path, SourcePosition.START, "the policy file is empty; it needs at least"
                    + " apiVersion: stagegate/v1, kind: PromotionPolicy and environments")));
        }
        if (documents.size() > 1) {
            return invalid(List.of(error(path, documents.get(1).positionOf(""), "the policy file holds "
                    + documents.size() + " YAML documents; a policy is exactly one, so remove every document"
                    + " (and ---) after the first")));
        }
        YamlDocument document = documents.get(0);
        BundledSchema bundled = BundledSchema.named(SCHEMA_PATH);
        if (bundled.schema().isEmpty()) {
            return invalid(List.of(error(path, SourcePosition.START, "cannot check the policy: the schema bundled"
                    + " with stagegate does not load (" + bundled.failure().orElse("") + "); reinstall stagegate")));
        }
        List<Violation> problems = new ArrayList<>();
        Set<String> unknownRuleIds = unknownRuleIds(document, path, problems);
        for (SchemaProblem problem : bundled.schema().get().validate(document)) {
            if (!unknownRuleIds.contains(problem.pointer())) {
                problems.add(error(path, problem.position(), problem.message()));
            }
        }
        if (!problems.isEmpty()) {
            return invalid(problems);
        }
        return interpreted(document, (JSONObject) document.root(), path, content);
    }

    /** The model and the checks a schema cannot make, each problem at its location. */
    private PolicyLoadResult interpreted(YamlDocument document, JSONObject root, String path, byte[] content) {
        PolicyInterpreter.Interpretation interpretation = PolicyInterpreter.interpret(root, path,
                document::positionOf, serverAllowedSigners);
        List<Violation> problems = new ArrayList<>();
        String text = null;
        for (PolicyProblem problem : interpretation.problems()) {
            SourcePosition position = document.positionOf(problem.pointer());
            if (problem.offset() >= 0) {
                text = text == null ? new String(content, StandardCharsets.UTF_8) : text;
                position = problem.expression()
                        ? insideExpression(text, position, document, problem)
                        : insideString(text, position, document, problem);
            }
            problems.add(Violation.of(RuleIds.POLICY_INVALID, problem.severity(), problem.message())
                    .at(path, position));
        }
        return new PolicyLoadResult(interpretation.policy(), sorted(problems));
    }

    /**
     * Where {@code problem.offset()} characters into a one-line string value are: after the
     * opening quote of a quoted scalar. Falls back to the value's start when the source does not
     * spell the value plainly up to there (escapes, a folded scalar), rather than guess.
     */
    private static SourcePosition insideString(String text, SourcePosition start, YamlDocument document,
            PolicyProblem problem) {
        if (!(valueAt(document, problem.pointer()) instanceof String value) || problem.offset() > value.length()) {
            return start;
        }
        int at = 0;
        for (int line = 1; line < start.line(); line++) {
            at = text.indexOf('\n', at) + 1;
            if (at == 0) {
                return start;
            }
        }
        at += start.column() - 1;
        int column = start.column();
        if (at < text.length() && (text.charAt(at) == '"' || text.charAt(at) == '\'')) {
            at++;
            column++;
        }
        return text.startsWith(value.substring(0, problem.offset()), at)
                ? new SourcePosition(start.line(), column + problem.offset())
                : start;
    }

    /**
     * Where {@code problem.offset()} characters into a rule's CEL expression are, for every scalar
     * style the expression may be written in; {@code keyPosition} is where its key is. Only a
     * policy with rules has such problems, so only it loads {@link ExpressionSource}'s package.
     */
    private static SourcePosition insideExpression(String text, SourcePosition keyPosition, YamlDocument document,
            PolicyProblem problem) {
        if (!(valueAt(document, problem.pointer()) instanceof String expression)) {
            return keyPosition;
        }
        return ExpressionSource.ofEntry(text, keyPosition, expression).positionOf(problem.offset());
    }

    private static Object valueAt(YamlDocument document, String pointer) {
        Object current = document.root();
        for (String token : pointer.substring(1).split("/", -1)) {
            String key = token.replace("~1", "/").replace("~0", "~");
            if (current instanceof JSONObject object) {
                current = object.opt(key);
            } else if (current instanceof JSONArray array && key.matches("\\d+")) {
                current = array.opt(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return current;
    }

    /**
     * Reports each {@code ruleModes} key that is neither a built-in rule id nor a custom rule's,
     * more helpfully than the schema's {@code propertyNames} would, and answers their pointers so
     * that the schema's own complaints about them can be left out.
     */
    private static Set<String> unknownRuleIds(YamlDocument document, String path, List<Violation> problems) {
        Set<String> pointers = new TreeSet<>();
        if (!(document.root() instanceof JSONObject root) || !(root.opt("ruleModes") instanceof JSONObject modes)) {
            return pointers;
        }
        List<String> customIds = customRuleIds(root);
        List<String> known = new ArrayList<>(RuleIds.ALL);
        known.addAll(customIds);
        for (String key : new TreeSet<>(modes.keySet())) {
            if (!known.contains(key)) {
                String pointer = "/ruleModes/" + YamlDocument.escape(key);
                pointers.add(pointer);
                problems.add(error(path, document.positionOf(pointer), "ruleModes names '" + key
                        + "', which is not a rule id" + ClosestName.hint(key, known)
                        + "; rule ids are: " + String.join(", ", RuleIds.ALL)
                        + (customIds.isEmpty() ? "" : "; the policy's rules are: " + String.join(", ", customIds))));
            }
        }
        return pointers;
    }

    /** The ids the {@code rules} section gives, as far as it is well-formed (the schema reports the rest). */
    private static List<String> customRuleIds(JSONObject root) {
        List<String> ids = new ArrayList<>();
        if (root.opt("rules") instanceof JSONArray rules) {
            for (int k = 0; k < rules.length(); k++) {
                if (rules.opt(k) instanceof JSONObject rule && rule.opt("id") instanceof String id) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static Violation error(String path, SourcePosition position, String message) {
        return Violation.error(RuleIds.POLICY_INVALID, message).at(path, position);
    }

    private static PolicyLoadResult invalid(List<Violation> problems) {
        return new PolicyLoadResult(Optional.empty(), sorted(problems));
    }

    private static List<Violation> sorted(List<Violation> problems) {
        List<Violation> sorted = new ArrayList<>(problems);
        sorted.sort(BY_POSITION);
        return sorted;
    }
}
