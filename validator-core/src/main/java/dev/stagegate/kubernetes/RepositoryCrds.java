package dev.stagegate.kubernetes;

import dev.stagegate.Sha256;
import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.memo.BoundedMemo;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONObject;

/**
 * The CustomResourceDefinitions kept in the repository at one revision (files matched by the
 * policy's {@code crds}), as schema sources for their kinds, and what is wrong with them.
 *
 * <p>A CRD claims its group and kind even when it cannot be used (a translation problem): its
 * resources then get a violation that points at it, rather than quietly falling through to
 * another schema, or to none.
 */
final class RepositoryCrds {

    /** One CRD document: where it is, and its schemas or why it has none. */
    record Crd(String path, SourcePosition position, String groupKind, CrdTranslation translation) {

        String describe() {
            return path + ":" + position;
        }
    }

    /** Translated CRD files, in a process that remembers: a few dozen CRD files, without their descriptions. */
    private static final BoundedMemo<String, FileCrds> REMEMBERED = new BoundedMemo<>(64);

    private final Map<String, List<Crd>> byGroupKind;
    /** Unreadable files and CRDs that cannot be translated. */
    private final Map<String, List<Violation>> problemsByFile;

    private RepositoryCrds(Map<String, List<Crd>> byGroupKind, Map<String, List<Violation>> problemsByFile) {
        this.byGroupKind = byGroupKind;
        this.problemsByFile = problemsByFile;
    }

    /**
     * What is wrong with the CRDs of {@code paths}; a CRD defined twice is reported at both
     * places even when only one of them is in {@code paths}.
     */
    List<Violation> problemsOf(Collection<String> paths) {
        List<Violation> problems = new ArrayList<>();
        for (String file : paths) {
            problems.addAll(problemsByFile.getOrDefault(file, List.of()));
        }
        for (List<Crd> claims : byGroupKind.values()) {
            if (claims.size() > 1 && claims.stream().anyMatch(crd -> paths.contains(crd.path()))) {
                claims.forEach(crd -> problems.add(definedAgain(crd, claims)));
            }
        }
        return problems;
    }

    private static Violation definedAgain(Crd crd, List<Crd> claims) {
        List<String> others = claims.stream().filter(other -> other != crd).map(Crd::describe).toList();
        return violation(crd.path(), crd.position(), "CustomResourceDefinition for " + crd.groupKind()
                + " is defined again at " + String.join(", ", others) + "; keep one definition per group and kind, so"
                + " that it is clear which schema checks its resources");
    }

    /** Reads and translates every CRD in {@code paths} of {@code files}. */
    static RepositoryCrds read(RevisionFiles files, Collection<String> paths, boolean strict) {
        Map<String, List<Crd>> byGroupKind = new LinkedHashMap<>();
        Map<String, List<Violation>> problems = new LinkedHashMap<>();
        CrdSchemaTranslator translator = new CrdSchemaTranslator();
        LocatedYamlReader reader = new LocatedYamlReader(CrdSchemaTranslator.READ_LIMITS);
        for (String path : paths.stream().sorted().distinct().toList()) {
            FileCrds file = readFile(files, path, strict, translator, reader);
            problems.put(path, file.problems());
            file.crds().forEach(crd -> byGroupKind.computeIfAbsent(crd.groupKind(), ignored -> new ArrayList<>())
                    .add(crd));
        }
        return new RepositoryCrds(byGroupKind, problems);
    }

    /** The CRDs of one file, and what is wrong with them. */
    private record FileCrds(List<Crd> crds, List<Violation> problems) {
    }

    /**
     * One file's CRDs; in a process that remembers, translated once per content: a push that
     * changes a manifest need not parse a 400 KB CRD again.
     */
    private static FileCrds readFile(RevisionFiles files, String path, boolean strict, CrdSchemaTranslator translator,
            LocatedYamlReader reader) {
        List<Violation> problems = new ArrayList<>();
        Optional<byte[]> content = content(files, path, problems);
        if (content.isEmpty()) {
            return new FileCrds(List.of(), problems);
        }
        String key = ProcessMemory.enabled() ? path + "\0" + strict + "\0" + Sha256.hex(content.get()) : null;
        if (key != null) {
            Optional<FileCrds> remembered = REMEMBERED.get(key);
            if (remembered.isPresent()) {
                return remembered.get();
            }
        }
        List<Crd> crds = new ArrayList<>();
        for (YamlDocument document : documents(content.get(), path, reader, problems)) {
            if (!CrdSchemaTranslator.isCrd(document)) {
                continue;
            }
            Optional<String> dotless = groupKind(document).map(groupKind -> groupKind.substring(0,
                    groupKind.lastIndexOf('/'))).filter(group -> group.indexOf('.') < 0);
            if (dotless.isPresent()) {
                // it must not shadow a built-in kind (apps/Deployment, the core group), whose schema the
                // platform may give with --schema-location
                problems.add(violation(path, document.positionOf("/spec/group"), "CustomResourceDefinition cannot be"
                        + " used: spec.group '" + dotless.get() + "' has no dot; the API server accepts a CRD only in a"
                        + " group that is a domain with at least one dot (such as example.com), so it cannot define"
                        + " the kinds of a built-in group"));
                continue;
            }
            CrdTranslation translation = translator.translate(document, strict);
            for (CrdTranslation.Problem problem : translation.problems()) {
                problems.add(violation(path, problem.position(), "CustomResourceDefinition cannot be used: "
                        + problem.message()));
            }
            groupKind(document).ifPresent(groupKind -> crds.add(new Crd(path, document.positionOf(""), groupKind,
                    translation)));
        }
        FileCrds file = new FileCrds(List.copyOf(crds), List.copyOf(problems));
        if (key != null) {
            REMEMBERED.put(key, file);
        }
        return file;
    }

    /** The group/kind claims of the CRDs in {@code paths}, without translating them: what a change to them affects. */
    static Set<String> claims(RevisionFiles files, Collection<String> paths) {
        LocatedYamlReader reader = new LocatedYamlReader(CrdSchemaTranslator.READ_LIMITS);
        Set<String> claims = new TreeSet<>();
        for (String path : paths) {
            List<Violation> ignored = new ArrayList<>();
            for (YamlDocument document : content(files, path, ignored)
                    .map(bytes -> documents(bytes, path, reader, ignored)).orElse(List.of())) {
                if (CrdSchemaTranslator.isCrd(document)) {
                    groupKind(document).ifPresent(claims::add);
                }
            }
        }
        return claims;
    }

    /** The CRDs that claim {@code group/kind}: none, one, or (a problem) several. */
    List<Crd> claiming(String groupKind) {
        return byGroupKind.getOrDefault(groupKind, List.of());
    }

    /** {@code group/Kind} of a resource: the key a CRD claims, whichever version. */
    static String groupKind(GroupVersionKind gvk) {
        return gvk.group() + "/" + gvk.kind();
    }

    private static Optional<String> groupKind(YamlDocument document) {
        JSONObject root = (JSONObject) document.root();
        if (root.opt("spec") instanceof JSONObject spec && spec.opt("group") instanceof String group
                && spec.opt("names") instanceof JSONObject names && names.opt("kind") instanceof String kind) {
            return Optional.of(group + "/" + kind);
        }
        return Optional.empty();
    }

    private static Optional<byte[]> content(RevisionFiles files, String path, List<Violation> problems) {
        try {
            Optional<FileContent> file = files.readFile(path, CrdSchemaTranslator.READ_LIMITS.maxBytes());
            if (file.isEmpty()) {
                return Optional.empty();
            }
            if (!file.get().isFile()) {
                problems.add(violation(path, SourcePosition.START, "is not a regular file; CRDs the policy's"
                        + " crds match must be committed as files"));
                return Optional.empty();
            }
            return Optional.of(file.get().bytes());
        } catch (FileTooLargeException e) {
            problems.add(violation(path, SourcePosition.START, "is " + e.size() + " bytes, more than the "
                    + e.limit() + " bytes the API server accepts in a CustomResourceDefinition"));
        } catch (IOException | RuntimeException e) {
            problems.add(violation(path, SourcePosition.START, "cannot be read (" + e.getClass().getSimpleName()
                    + "), so the CustomResourceDefinitions in it cannot supply schemas"));
        }
        return Optional.empty();
    }

    private static List<YamlDocument> documents(byte[] content, String path, LocatedYamlReader reader,
            List<Violation> problems) {
        try {
            return reader.read(content, path);
        } catch (YamlReadException e) {
            problems.add(violation(path, e.position(), e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            problems.add(violation(path, SourcePosition.START, "cannot be read (" + e.getClass().getSimpleName()
                    + "), so the CustomResourceDefinitions in it cannot supply schemas"));
        }
        return List.of();
    }

    private static Violation violation(String path, SourcePosition position, String message) {
        return Violation.error(ManifestCheck.RULE, message).at(path, position);
    }
}
