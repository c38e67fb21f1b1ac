package dev.stagegate.kubernetes;

import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.report.KindCount;
import dev.stagegate.report.ManifestSummary;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The {@code schema-violation} check of kubernetes.md: every resource in the files the policy's
 * {@code kubernetes.manifests} match is checked against the schema of its {@code apiVersion}
 * and {@code kind}, found by {@link KindSchemaLookup}, at the same revision. It fails closed as
 * {@code FileSchemaCheck} does: whatever keeps a file or a resource from being checked is a
 * violation on it, unless {@code missingSchema} says a missing schema may pass.
 */
public final class ManifestCheck {

    public static final String RULE = "schema-violation";

    private final KubernetesSettings settings;
    private final List<SchemaLocationTemplate> serverLocations;
    private final List<SchemaLocationTemplate> policyLocations;
    private final YamlLimits limits;
    private final PathSet manifests;
    private final PathSet exclude;
    private final PathSet crdFiles;

    /** What {@code validate} gets: every violation, and the counts for its summary. */
    public record Result(List<Violation> violations, ManifestSummary summary) {

        public Result {
            violations = List.copyOf(violations);
        }
    }

    /**
     * @param settings        the policy's {@code kubernetes} section
     * @param serverLocations the server's {@code --schema-location} templates (absolute paths),
     *                        tried before the policy's
     */
    public ManifestCheck(KubernetesSettings settings, List<SchemaLocationTemplate> serverLocations, YamlLimits limits) {
        this.settings = settings;
        this.serverLocations = List.copyOf(serverLocations);
        this.policyLocations = settings.templates();
        this.limits = limits;
        this.manifests = settings.manifestFiles();
        this.exclude = settings.excludedFiles();
        this.crdFiles = settings.crdFiles();
    }

    /** Whether {@code path} holds resources to check: matched by {@code manifests}, not by {@code exclude}. */
    public boolean isManifest(String path) {
        return manifests.contains(path) && !exclude.contains(path);
    }

    /** Whether {@code path} is a file the policy's {@code crds} match. */
    public boolean isCrdFile(String path) {
        return crdFiles.contains(path);
    }

    /** {@code validate}: every manifest and every CRD of the revision. */
    public Result checkAll(RevisionFiles files) throws IOException {
        List<String> matched = files.paths(manifests).stream().filter(manifests::contains).toList();
        List<String> checked = matched.stream().filter(path -> !exclude.contains(path)).toList();
        List<String> crdPaths = crdPaths(files);
        Run run = new Run(files, () -> RepositoryCrds.read(files, crdPaths, settings.strict()));
        List<FileResult> results = run.check(checked, path -> Selection.WHOLE_FILE);
        List<Violation> violations = new ArrayList<>();
        if (!crdPaths.isEmpty()) {
            violations.addAll(run.crds().problemsOf(crdPaths));
        }
        // per kind: files, then the sums of each file's resources, skipped and missing schema
        Map<String, int[]> kinds = new TreeMap<>();
        int empty = 0;
        for (FileResult result : results) {
            violations.addAll(result.violations());
            empty += result.emptyDocuments();
            result.kinds().forEach((kind, counts) -> {
                int[] total = kinds.computeIfAbsent(kind, ignored -> new int[4]);
                total[0]++;
                for (int i = 0; i < 3; i++) {
                    total[i + 1] += counts[i];
                }
            });
        }
        List<KindCount> counts = new ArrayList<>();
        kinds.forEach((kind, total) -> counts.add(new KindCount(kind, total[0], total[1], total[2], total[3])));
        return new Result(violations, new ManifestSummary(checked.size(), matched.size() - checked.size(), empty,
                counts));
    }

    /**
     * A push: the manifests it changed, whole; and when it changed a CRD (or removed one) or a
     * file some policy schema location could render to, or the policy itself, the resources of
     * the kinds that change affects in every other manifest too (all of them after a policy
     * change, which may have turned on {@code strict} or moved the schemas).
     *
     * @param files         the new revision
     * @param before        the revision the push is compared with, when there is one
     * @param changed       paths added or modified by the push
     * @param policyChanged whether the push changes the policy file
     */
    public List<Violation> checkChanges(RevisionFiles files, Optional<RevisionFiles> before, List<String> changed,
            boolean policyChanged) throws IOException {
        Set<String> changedManifests = new HashSet<>();
        Set<String> changedCrds = new TreeSet<>();
        Set<String> possibleSchemas = new HashSet<>();
        for (String path : changed) {
            if (isManifest(path)) {
                changedManifests.add(path);
            }
            if (isCrdFile(path)) {
                changedCrds.add(path);
            }
            if (couldBePolicySchema(path)) {
                possibleSchemas.add(path);
            }
        }
        List<String> crdPaths = crdPaths(files);
        Set<String> affectedGroupKinds = new TreeSet<>();
        if (before.isPresent() && !policyChanged) {
            List<String> removed = crdPaths(before.get()).stream().filter(path -> !crdPaths.contains(path)).toList();
            Set<String> previously = new TreeSet<>(changedCrds);
            previously.addAll(removed);
            affectedGroupKinds.addAll(RepositoryCrds.claims(before.get(), previously));
            changedCrds.addAll(removed);
        }
        Run run = new Run(files, () -> RepositoryCrds.read(files, crdPaths, settings.strict()));
        List<Violation> violations = new ArrayList<>();
        if (!changedCrds.isEmpty() || policyChanged) {
            Collection<String> reported = policyChanged ? crdPaths : changedCrds;
            violations.addAll(run.crds().problemsOf(reported));
            affectedGroupKinds.addAll(RepositoryCrds.claims(files, reported));
        }
        List<String> paths;
        Predicate<GroupVersionKind> affected;
        if (policyChanged) {
            paths = allManifests(files);
            affected = gvk -> true;
        } else if (affectedGroupKinds.isEmpty() && possibleSchemas.isEmpty()) {
            paths = List.copyOf(changedManifests);
            affected = gvk -> false;
        } else {
            paths = allManifests(files);
            affected = gvk -> affectedGroupKinds.contains(RepositoryCrds.groupKind(gvk))
                    || rendersToAnyOf(gvk, possibleSchemas);
        }
        Selection kindsOnly = new Selection(false, affected);
        for (FileResult result : run.check(paths, path -> changedManifests.contains(path) || policyChanged
                ? Selection.WHOLE_FILE : kindsOnly)) {
            violations.addAll(result.violations());
        }
        return violations;
    }

    private List<String> allManifests(RevisionFiles files) throws IOException {
        return files.paths(manifests).stream().filter(this::isManifest).toList();
    }

    private List<String> crdPaths(RevisionFiles files) throws IOException {
        return crdFiles.isEmpty() ? List.of() : files.paths(crdFiles).stream().filter(crdFiles::contains).toList();
    }

    /**
     * Whether a changed path could be a schema file of some kind: it starts with a policy
     * template's text before its first variable and ends with its text after the last. Cheap and
     * sound (every path a template renders has that shape), so a push that changes no such file
     * reads no manifest it did not change.
     */
    private boolean couldBePolicySchema(String path) {
        for (SchemaLocationTemplate template : policyLocations) {
            String expanded = normalize(template.expanded());
            int first = expanded.indexOf("{{");
            int last = expanded.lastIndexOf("}}");
            String prefix = first < 0 ? expanded : expanded.substring(0, first);
            String suffix = first < 0 ? "" : expanded.substring(last + 2);
            if (path.length() >= prefix.length() + suffix.length() && path.startsWith(prefix) && path.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private boolean rendersToAnyOf(GroupVersionKind gvk, Set<String> paths) {
        for (SchemaLocationTemplate template : policyLocations) {
            Optional<String> rendered = template.render(gvk, settings.version(), settings.strict());
            if (rendered.isPresent() && paths.contains(normalize(rendered.get()))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ./schemas//k8s/x.json} as the revision names it: {@code schemas/k8s/x.json}. */
    static String normalize(String path) {
        return String.join("/", Stream.of(path.split("/")).filter(s -> !s.isEmpty() && !s.equals(".")).toList());
    }

    /** Which resources of a file are checked: all of them (a changed file), or only some kinds. */
    private record Selection(boolean wholeFile, Predicate<GroupVersionKind> kinds) {

        static final Selection WHOLE_FILE = new Selection(true, gvk -> true);
    }

    /**
     * @param kinds per kind ({@code apps/v1/Deployment}): resources, skipped, missing schema
     */
    private record FileResult(List<Violation> violations, Map<String, int[]> kinds, int emptyDocuments) {
    }

    /** One check of one revision: the schema lookup and the CRDs are shared by all its files. */
    private final class Run {

        private final RevisionFiles files;
        private final Supplier<RepositoryCrds> crdReader;
        private final KindSchemaLookup lookup;
        private final LocatedYamlReader reader = new LocatedYamlReader(limits);
        private RepositoryCrds crds;

        Run(RevisionFiles files, Supplier<RepositoryCrds> crdReader) {
            this.files = files;
            this.crdReader = crdReader;
            this.lookup = new KindSchemaLookup(files, settings, serverLocations, policyLocations, this::crds,
                    limits.maxBytes());
        }

        synchronized RepositoryCrds crds() {
            if (crds == null) {
                crds = crdReader.get();
            }
            return crds;
        }

        List<FileResult> check(Collection<String> paths, Function<String, Selection> selection) {
            Stream<String> sorted = new TreeSet<>(paths).stream();
            // Files are independent: where the revision allows it, check them on every core,
            // keeping the sorted order of the findings.
            if (files.supportsConcurrentReads()) {
                sorted = sorted.parallel();
            }
            return sorted.map(path -> checkSafely(path, selection.apply(path))).toList();
        }

        private FileResult checkSafely(String path, Selection selection) {
            FileResult result = new FileResult(new ArrayList<>(), new HashMap<>(), 0);
            try {
                return checkFile(path, selection);
            } catch (IOException e) {
                result.violations().add(fileViolation(path, SourcePosition.START, "cannot be read from "
                        + files.describe() + " (" + e.getClass().getSimpleName() + "), so its resources cannot be"
                        + " checked"));
            } catch (RuntimeException | StackOverflowError e) {
                result.violations().add(fileViolation(path, SourcePosition.START, "could not be checked ("
                        + e.getClass().getSimpleName() + "); it is rejected to be safe"));
            }
            return result;
        }

        private FileResult checkFile(String path, Selection selection) throws IOException {
            List<Violation> violations = new ArrayList<>();
            Map<String, int[]> kinds = new HashMap<>();
            Optional<FileContent> file;
            try {
                file = files.readFile(path, limits.maxBytes());
            } catch (FileTooLargeException e) {
                return fileProblem(path, selection, SourcePosition.START, "is " + e.size()
                        + " bytes, more than the limit of " + e.limit() + " bytes for a checked file; split it up");
            }
            if (file.isEmpty()) {
                return new FileResult(violations, kinds, 0);
            }
            if (!file.get().isFile()) {
                return fileProblem(path, selection, SourcePosition.START, "is not a regular file (a symbolic link,"
                        + " a submodule); manifests must be committed as files");
            }
            List<YamlDocument> documents;
            try {
                documents = reader.read(file.get().bytes(), path);
            } catch (YamlReadException e) {
                return fileProblem(path, selection, e.position(), e.getMessage());
            }
            int empty = 0;
            for (YamlDocument document : documents) {
                if (document.root() == JSONObject.NULL) {
                    empty++;
                    continue;
                }
                checkResource(path, document, selection, violations, kinds);
            }
            return new FileResult(violations, kinds, empty);
        }

        /** A file that cannot be read is a problem for a changed file, and for no other: it was judged when it changed. */
        private FileResult fileProblem(String path, Selection selection, SourcePosition position, String message) {
            List<Violation> violations = new ArrayList<>();
            if (selection.wholeFile()) {
                violations.add(fileViolation(path, position, message));
            }
            return new FileResult(violations, new HashMap<>(), 0);
        }

        private void checkResource(String path, YamlDocument document, Selection selection,
                List<Violation> violations, Map<String, int[]> kinds) {
            SourcePosition at = document.positionOf("");
            if (!(document.root() instanceof JSONObject resource)
                    || !(resource.opt("apiVersion") instanceof String apiVersion)
                    || !(resource.opt("kind") instanceof String kind)) {
                if (selection.wholeFile()) {
                    violations.add(fileViolation(path, at, "is not a Kubernetes resource: " + whatIsMissing(document)
                            + " (exclude the file in kubernetes.exclude if it holds no resources)"));
                }
                return;
            }
            if (kind.equalsIgnoreCase("List")) {
                checkListItems(path, document, resource, selection, violations, kinds);
                return;
            }
            Optional<GroupVersionKind> parsed = GroupVersionKind.parse(apiVersion, kind);
            if (parsed.isEmpty()) {
                if (selection.wholeFile()) {
                    violations.add(fileViolation(path, document.positionOf("/apiVersion"), name(resource, kind,
                            apiVersion) + ": apiVersion '" + apiVersion + "' is neither VERSION nor GROUP/VERSION"));
                }
                return;
            }
            GroupVersionKind gvk = parsed.get();
            if (!selection.kinds().test(gvk)) {
                return;
            }
            int[] counts = kinds.computeIfAbsent(gvk.toString(), ignored -> new int[3]);
            counts[0]++;
            if (settings.skipKinds().stream().anyMatch(gvk::matches)) {
                counts[1]++;
                return;
            }
            String resourceName = name(resource, kind, apiVersion);
            KindSchemaLookup.Found found = lookup.find(gvk);
            if (found instanceof KindSchemaLookup.Schema schema) {
                for (SchemaProblem problem : schema.schema().validate(document)) {
                    violations.add(fileViolation(path, problem.position(), resourceName + ": " + problem.message()
                            + " (" + schema.source() + ")"));
                }
            } else if (found instanceof KindSchemaLookup.Missing missing) {
                KubernetesSettings.MissingSchema mode = settings.missingSchema();
                if (mode != KubernetesSettings.MissingSchema.ERROR) {
                    counts[2]++;
                }
                if (mode != KubernetesSettings.MissingSchema.IGNORE) {
                    String message = resourceName + ": no schema for " + gvk + " (tried "
                            + (missing.tried().isEmpty() ? "no location: set kubernetes.schemaLocations or crds"
                                    : String.join(", ", missing.tried()))
                            + "); add its schema or CRD, or list the kind in kubernetes.skipKinds (missingSchema: "
                            + mode.label() + ")";
                    violations.add(mode == KubernetesSettings.MissingSchema.WARN
                            ? Violation.warning(RULE, message).at(path, at) : fileViolation(path, at, message));
                }
            } else if (found instanceof KindSchemaLookup.Unusable unusable) {
                violations.add(fileViolation(path, at, resourceName + ": cannot be checked: " + unusable.reason()));
            }
        }

        /** A {@code List}'s items, each checked as a resource of its own, at its own place in the file. */
        private void checkListItems(String path, YamlDocument document, JSONObject list, Selection selection,
                List<Violation> violations, Map<String, int[]> kinds) {
            Object items = list.opt("items");
            if (items == null || items == JSONObject.NULL) {
                return;
            }
            if (!(items instanceof JSONArray array)) {
                if (selection.wholeFile()) {
                    violations.add(fileViolation(path, document.positionOf("/items"), "List: items must be a"
                            + " sequence of resources"));
                }
                return;
            }
            for (int i = 0; i < array.length(); i++) {
                checkResource(path, item(document, "/items/" + i, array.get(i)), selection, violations, kinds);
            }
        }
    }

    /** The item at {@code pointer} as a document of its own, its positions those in the file. */
    private static YamlDocument item(YamlDocument document, String pointer, Object value) {
        Map<String, SourcePosition> positions = new HashMap<>();
        positions.put("", document.positionOf(pointer));
        document.positions().forEach((key, position) -> {
            if (key.startsWith(pointer + "/")) {
                positions.put(key.substring(pointer.length()), position);
            }
        });
        return new YamlDocument(value, positions);
    }

    /** {@code Deployment web (apps/v1)}; without a name, {@code Deployment (apps/v1)}. */
    static String name(JSONObject resource, String kind, String apiVersion) {
        String name = null;
        if (resource.opt("metadata") instanceof JSONObject metadata) {
            if (metadata.opt("name") instanceof String given) {
                name = given;
            } else if (metadata.opt("generateName") instanceof String prefix) {
                name = prefix + "*";
            }
        }
        return kind + (name == null ? "" : " " + name) + " (" + apiVersion + ")";
    }

    private static String whatIsMissing(YamlDocument document) {
        if (!(document.root() instanceof JSONObject resource)) {
            return "a resource is a mapping with apiVersion and kind";
        }
        List<String> missing = new ArrayList<>();
        if (!(resource.opt("apiVersion") instanceof String)) {
            missing.add("apiVersion");
        }
        if (!(resource.opt("kind") instanceof String)) {
            missing.add("kind");
        }
        return "it has no " + String.join(" and no ", missing) + " string";
    }

    private static Violation fileViolation(String path, SourcePosition position, String message) {
        return Violation.error(RULE, message).at(path, position);
    }
}
