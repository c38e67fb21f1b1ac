package dev.stagegate.policytest;

import dev.stagegate.Pusher;
import dev.stagegate.git.PathGlob;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.schema.BundledSchema;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.Repository;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Reads one test file: YAML, then {@code policy-test.schema.json}, then the checks a schema
 * states poorly (which step keys go together, ref names, paths). Every problem is located at
 * its {@code file:line:column}; nothing is thrown for bad input. Safe to share between threads.
 */
public final class TestCaseReader {

    static final String SCHEMA_PATH = "policy-test.schema.json";

    private static final String DEFAULT_BRANCH = "main";
    private static final Set<String> TARGET_KEYS = Set.of("branch", "ref");
    /** The keys every evidence entry may have. */
    private static final Set<String> ENTRY_KEYS = Set.of("on", "signedBy");
    private static final Set<String> APPROVAL_KEYS = Set.of("approval", "approver", "decision", "comment", "recordedAt");
    private static final Set<String> TEST_RUN_KEYS = Set.of("suite", "environment", "result", "recordedAt", "producer");

    private final LocatedYamlReader yamlReader;

    public TestCaseReader(LocatedYamlReader yamlReader) {
        this.yamlReader = yamlReader;
    }

    /** Read as the policy is (YAML 1.2 boolean words): a case's policyPatch is policy content. */
    public TestCaseReader() {
        this(new LocatedYamlReader(YamlLimits.DEFAULTS, true));
    }

    /** The cases in {@code content}, or the problems that keep them from running. */
    public TestCaseFile read(byte[] content, String file) {
        try {
            return readDocument(content, file);
        } catch (RuntimeException e) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, SourcePosition.START,
                    "cannot read the test file (internal error: " + e + "); please report this")));
        } catch (StackOverflowError e) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, SourcePosition.START,
                    "the test file is nested too deeply to read")));
        }
    }

    private TestCaseFile readDocument(byte[] content, String file) {
        List<YamlDocument> documents;
        try {
            documents = yamlReader.read(content, file);
        } catch (YamlReadException e) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, e.position(),
                    "cannot read the test file: " + e.getMessage())));
        }
        if (documents.isEmpty()) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, SourcePosition.START,
                    "the test file holds no test case; it needs name, push and expect")));
        }
        if (documents.size() > 1) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, documents.get(1).positionOf(""),
                    "the test file holds " + documents.size() + " YAML documents; write several cases as one"
                            + " list instead (each item a case)")));
        }
        YamlDocument document = documents.get(0);
        BundledSchema bundled = BundledSchema.named(SCHEMA_PATH);
        if (bundled.schema().isEmpty()) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, SourcePosition.START,
                    "cannot check the test file: the schema bundled with stagegate does not load ("
                            + bundled.failure().orElse("") + "); reinstall stagegate")));
        }
        if (!(document.root() instanceof JSONObject) && !(document.root() instanceof JSONArray)) {
            return TestCaseFile.invalid(file, List.of(new InputProblem(file, document.positionOf(""),
                    "a test file holds one case (a mapping with name, push and expect) or a list of cases")));
        }
        List<InputProblem> problems = new ArrayList<>();
        for (SchemaProblem problem : bundled.schema().get().validate(document)) {
            problems.add(new InputProblem(file, problem.position(), problem.message()));
        }
        if (!problems.isEmpty()) {
            return TestCaseFile.invalid(file, problems);
        }
        Interpretation interpretation = new Interpretation(document, file);
        List<TestCase> cases = new ArrayList<>();
        if (document.root() instanceof JSONArray list) {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < list.length(); i++) {
                TestCase testCase = interpretation.testCase(list.getJSONObject(i), "/" + i);
                String earlier = names.putIfAbsent(testCase.name(), testCase.location());
                if (earlier != null) {
                    interpretation.problem("/" + i + "/name", "another case of this file (" + earlier
                            + ") has the same name; give each case its own, so that reports tell them apart");
                }
                cases.add(testCase);
            }
        } else {
            cases.add(interpretation.testCase((JSONObject) document.root(), ""));
        }
        if (!interpretation.problems.isEmpty()) {
            return TestCaseFile.invalid(file, interpretation.problems);
        }
        return new TestCaseFile(file, cases, List.of());
    }

    /** Turns a document that passed the schema into cases, collecting what the schema cannot see. */
    private static final class Interpretation {

        private final YamlDocument document;
        private final String file;
        private final List<InputProblem> problems = new ArrayList<>();

        Interpretation(YamlDocument document, String file) {
            this.document = document;
            this.file = file;
        }

        void problem(String pointer, String message) {
            problems.add(new InputProblem(file, document.positionOf(pointer), message));
        }

        SourcePosition at(String pointer) {
            return document.positionOf(pointer);
        }

        TestCase testCase(JSONObject json, String pointer) {
            String defaultBranch = json.optString("defaultBranch", DEFAULT_BRANCH);
            if (!Repository.isValidRefName(Constants.R_HEADS + defaultBranch)) {
                problem(pointer + "/defaultBranch", "'" + defaultBranch + "' is not a valid branch name");
            }
            List<Step> history = new ArrayList<>();
            JSONArray historySteps = json.optJSONArray("history");
            for (int i = 0; historySteps != null && i < historySteps.length(); i++) {
                String itemPointer = pointer + "/history/" + i;
                if (historySteps.get(i) instanceof JSONArray shared) {
                    for (int j = 0; j < shared.length(); j++) {
                        history.add(step(shared.getJSONObject(j), itemPointer + "/" + j, false));
                    }
                } else if (historySteps.get(i) instanceof JSONObject step) {
                    history.add(step(step, itemPointer, false));
                } else {
                    problem(itemPointer, "a history item is a step (a mapping) or a list of steps");
                }
            }
            List<EvidenceEntry> evidence = evidenceEntries(json.optJSONArray("evidence"), pointer + "/evidence");
            List<Step> push = new ArrayList<>();
            JSONArray pushSteps = json.getJSONArray("push");
            for (int i = 0; i < pushSteps.length(); i++) {
                push.add(step(pushSteps.getJSONObject(i), pointer + "/push/" + i, true));
            }
            return new TestCase(
                    json.getString("name"),
                    file,
                    at(pointer),
                    json.has("now") ? instant(json.getString("now"), pointer + "/now") : Optional.empty(),
                    json.has("policyPatch")
                            ? Optional.of(new PolicyPatch(json.getJSONObject("policyPatch"), at(pointer + "/policyPatch")))
                            : Optional.empty(),
                    json.has("allowedSigners") ? Optional.of(strings(json.getJSONArray("allowedSigners")))
                            : Optional.empty(),
                    json.has("pusher") ? new Pusher(Optional.of(json.getString("pusher"))) : Pusher.ANONYMOUS,
                    strings(json.optJSONArray("pushOptions")),
                    defaultBranch,
                    history,
                    evidence,
                    push,
                    expectation(json.getJSONObject("expect"), pointer + "/expect"));
        }

        private Step step(JSONObject json, String pointer, boolean inPush) {
            SourcePosition position = at(pointer);
            if (json.has("evidence")) {
                if (!inPush) {
                    problem(pointer + "/evidence", "evidence before the push goes in the case's evidence list;"
                            + " a step's evidence is a push of the notes ref");
                }
                rejectOthers(json, pointer, Set.of("evidence"), "an evidence step pushes the policy's notes ref");
                return new Step.EvidencePush(evidenceEntries(json.getJSONArray("evidence"), pointer + "/evidence"),
                        position);
            }
            String refName = refName(json, pointer);
            if (json.has("delete")) {
                rejectOthers(json, pointer, union(TARGET_KEYS, Set.of("delete")), "delete removes the ref");
                return new Step.Deletion(refName, position);
            }
            if (json.has("to")) {
                rejectOthers(json, pointer, union(TARGET_KEYS, Set.of("to")), "to points the ref at an existing commit");
                return new Step.Point(refName, revision(json, "to", pointer), position);
            }
            if (json.has("merge") && json.has("squash")) {
                problem(pointer + "/squash", "a step merges or squashes, not both");
            }
            Step.CommitKind kind = json.has("merge") ? Step.CommitKind.MERGE
                    : json.has("squash") ? Step.CommitKind.SQUASH : Step.CommitKind.CHANGE;
            Optional<Revision> source = Optional.empty();
            if (kind != Step.CommitKind.CHANGE) {
                String key = kind == Step.CommitKind.MERGE ? "merge" : "squash";
                source = Optional.of(revision(json, key, pointer));
            } else if (json.has("keepEnvironmentFiles")) {
                problem(pointer + "/keepEnvironmentFiles", "keepEnvironmentFiles applies to merge and squash only");
            }
            return new Step.Commit(
                    refName,
                    kind,
                    json.has("from") ? Optional.of(revision(json, "from", pointer)) : Optional.empty(),
                    source,
                    json.optBoolean("keepEnvironmentFiles", true),
                    files(json.optJSONObject("files"), pointer + "/files"),
                    paths(json.optJSONArray("remove"), pointer + "/remove"),
                    globs(json.optJSONArray("repositoryFiles"), pointer + "/repositoryFiles"),
                    json.has("message") ? Optional.of(json.getString("message")) : Optional.empty(),
                    json.has("author") ? Optional.of(json.getString("author")) : Optional.empty(),
                    position);
        }

        private String refName(JSONObject json, String pointer) {
            if (json.has("branch") && json.has("ref")) {
                problem(pointer + "/ref", "a step names its ref with branch or with ref, not both");
            }
            if (json.has("branch")) {
                String branch = json.getString("branch");
                if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
                    problem(pointer + "/branch", "'" + branch + "' is not a valid branch name");
                }
                return Constants.R_HEADS + branch;
            }
            if (json.has("ref")) {
                String ref = json.getString("ref");
                if (!Repository.isValidRefName(ref)) {
                    problem(pointer + "/ref", "'" + ref + "' is not a valid ref name");
                }
                return ref;
            }
            problem(pointer, "the step names no ref: give branch (such as main) or ref (such as refs/tags/v1)");
            return Constants.R_HEADS + DEFAULT_BRANCH;
        }

        private void rejectOthers(JSONObject json, String pointer, Set<String> allowed, String why) {
            for (String key : new TreeSet<>(json.keySet())) {
                if (!allowed.contains(key)) {
                    problem(pointer + "/" + YamlDocument.escape(key), why + "; " + key + " does not go with it");
                }
            }
        }

        private Revision revision(JSONObject json, String key, String pointer) {
            String text = json.getString(key);
            SourcePosition position = at(pointer + "/" + key);
            Optional<Revision> revision = Revision.parse(text, position);
            if (revision.isEmpty()) {
                problem(pointer + "/" + key, "'" + text + "' is not a revision: write a branch such as staging,"
                        + " a ref such as refs/tags/v1, optionally followed by ~N or ^N");
                return new Revision(text, Constants.R_HEADS + DEFAULT_BRANCH, List.of(), position);
            }
            if (!Repository.isValidRefName(revision.get().refName())) {
                problem(pointer + "/" + key, "'" + text + "' does not name a valid branch or ref");
            }
            return revision.get();
        }

        private Map<String, String> files(JSONObject json, String pointer) {
            Map<String, String> files = new TreeMap<>();
            if (json == null) {
                return files;
            }
            for (String path : json.keySet()) {
                checkPath(path, pointer + "/" + YamlDocument.escape(path));
                files.put(path, json.getString(path));
            }
            return files;
        }

        private List<String> paths(JSONArray json, String pointer) {
            List<String> paths = strings(json);
            for (int i = 0; i < paths.size(); i++) {
                checkPath(paths.get(i), pointer + "/" + i);
            }
            return paths;
        }

        private void checkPath(String path, String pointer) {
            try {
                new ObjectChecker().checkPath(path);
            } catch (CorruptObjectException e) {
                problem(pointer, "'" + path + "' is not a file path git can store (" + e.getMessage()
                        + "); write it relative to the repository root with / separators, such as apps/web/values.yaml");
            }
        }

        private List<String> globs(JSONArray json, String pointer) {
            List<String> globs = strings(json);
            for (int i = 0; i < globs.size(); i++) {
                try {
                    PathGlob.compile(globs.get(i));
                } catch (IllegalArgumentException e) {
                    problem(pointer + "/" + i, "'" + globs.get(i) + "' is not a glob: " + e.getMessage());
                }
            }
            return globs;
        }

        private List<EvidenceEntry> evidenceEntries(JSONArray json, String pointer) {
            List<EvidenceEntry> entries = new ArrayList<>();
            for (int i = 0; json != null && i < json.length(); i++) {
                entries.add(evidenceEntry(json.getJSONObject(i), pointer + "/" + i));
            }
            return entries;
        }

        /**
         * An entry is a line as it is ({@code line}), an approval ({@code approval}: the environment
         * approved into) or test evidence; each takes only its own fields, so that a field meant
         * for another kind is never silently dropped.
         */
        private EvidenceEntry evidenceEntry(JSONObject json, String pointer) {
            EvidenceEntry.Content content;
            if (json.has("line")) {
                rejectOthers(json, pointer, union(ENTRY_KEYS, Set.of("line")), "line is the note line as it is");
                content = new EvidenceEntry.Line(json.getString("line"));
            } else if (json.has("approval")) {
                rejectOthers(json, pointer, union(ENTRY_KEYS, APPROVAL_KEYS), "approval makes an Approval record");
                requireFields(json, pointer, List.of("approver"), "an approval needs approver, who approves");
                content = new EvidenceEntry.Approval(
                        json.getString("approval"),
                        json.optString("approver", ""),
                        json.optString("decision", "approved"),
                        recordedAt(json, pointer),
                        json.has("comment") ? Optional.of(json.getString("comment")) : Optional.empty());
            } else {
                rejectOthers(json, pointer, union(ENTRY_KEYS, TEST_RUN_KEYS), "without approval the record is test"
                        + " evidence (give approval: ENVIRONMENT for an Approval)");
                requireFields(json, pointer, List.of("suite", "environment", "result", "producer"),
                        "or give the whole note line as line, or approval for an Approval");
                content = new EvidenceEntry.TestRun(
                        json.optString("suite", ""),
                        json.optString("environment", ""),
                        json.optString("result", "passed"),
                        recordedAt(json, pointer),
                        json.optString("producer", ""));
            }
            return new EvidenceEntry(revision(json, "on", pointer), content, signingKey(json), at(pointer));
        }

        private void requireFields(JSONObject json, String pointer, List<String> fields, String hint) {
            for (String field : fields) {
                if (!json.has(field)) {
                    problem(pointer, "required property '" + field + "' is missing (" + hint + ")");
                }
            }
        }

        private Optional<Instant> recordedAt(JSONObject json, String pointer) {
            return json.has("recordedAt") ? instant(json.getString("recordedAt"), pointer + "/recordedAt")
                    : Optional.empty();
        }

        /** The schema has checked the shape: a generated key's name, or {@code {keyFile: path}}. */
        private static Optional<EvidenceEntry.SigningKey> signingKey(JSONObject json) {
            if (!json.has("signedBy")) {
                return Optional.empty();
            }
            if (json.get("signedBy") instanceof JSONObject file) {
                return Optional.of(new EvidenceEntry.KeyFile(file.getString("keyFile")));
            }
            return Optional.of(new EvidenceEntry.GeneratedKey(json.getString("signedBy")));
        }

        private Expectation expectation(JSONObject json, String pointer) {
            String decision = json.getString("decision");
            Set<String> errors = new LinkedHashSet<>(strings(json.optJSONArray("errors")));
            if (decision.equals("accept") && !errors.isEmpty()) {
                problem(pointer + "/errors", "an accepted push has no errors; expect reject, or leave errors empty");
            }
            Optional<Set<String>> warnings = json.has("warnings")
                    ? Optional.of(new LinkedHashSet<>(strings(json.getJSONArray("warnings"))))
                    : Optional.empty();
            return new Expectation(decision, errors, warnings, strings(json.optJSONArray("messages")));
        }

        private Optional<Instant> instant(String text, String pointer) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                problem(pointer, "'" + text + "' is not an RFC 3339 instant such as 2026-11-27T12:00:00Z");
                return Optional.empty();
            }
        }

        private static List<String> strings(JSONArray json) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; json != null && i < json.length(); i++) {
                strings.add(json.getString(i));
            }
            return strings;
        }

        private static Set<String> union(Set<String> keys, Set<String> more) {
            Set<String> all = new LinkedHashSet<>(keys);
            all.addAll(more);
            return all;
        }
    }
}
