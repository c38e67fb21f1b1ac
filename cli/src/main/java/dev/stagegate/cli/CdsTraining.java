package dev.stagegate.cli;

import dev.stagegate.customrules.CompiledExpressionFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevWalk;
import picocli.CommandLine.Command;

/**
 * {@code stagegate hook train} (hidden): the workload {@code hook install} runs once under
 * {@code -XX:ArchiveClassesAtExit} to build the hook's class-data-sharing archive. It judges
 * the pushes a hook typically sees (a promotion with evidence and a signed approval, a skipped
 * stage, a schema-checked change, an evidence note, a tag) against a small packed repository, then validates a
 * checkout, so the archive holds the classes a real push or {@code stagegate validate} loads,
 * and the JVM starts from it instead of the jar. The launcher {@code ./stagegate} builds its
 * own archive with this same run.
 */
@Command(name = "train", hidden = true,
        description = "Runs a representative hook workload (used by hook install to build the CDS archive).")
final class CdsTraining implements java.util.concurrent.Callable<Integer> {

    private static final long COMPILE_TIMEOUT_SECONDS = 60;
    private static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");
    /**
     * A throwaway key (its private half was deleted) and a signature it made over another
     * payload: checking it runs the whole verification, Ed25519 included, and fails, as training
     * needs no ssh-keygen on the server and the classes are the same either way.
     */
    private static final String TRAINING_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID4T/TUuhVzZv4FCRy1+IER93bThSmAkkF2ApYwFZSh5";
    private static final String TRAINING_SIGNATURE = "-----BEGIN SSH SIGNATURE-----\\n"
            + "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgPhP9NS6FXNm/gUJHLX4gRH3dtO\\n"
            + "FKYCSQXYCljAVlKHkAAAAJc3RhZ2VnYXRlAAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1l\\n"
            + "ZDI1NTE5AAAAQCp/Qa6fd3NgMyK1CLohJEgQ9JFFc5Z58cEbp5jfpISJeicj/07qk2lJAv\\n"
            + "wB0sIBRuR/B3lNyaf+A3DRFH2GRAI=\\n-----END SSH SIGNATURE-----";

    /**
     * Custom rules, as the cookbook's rules use them: comparisons, {@code has()}, string
     * functions, a regular expression, arithmetic, a comprehension, {@code oldObject} and a
     * message expression; every one within the fast path on the training's files (which is why
     * none reads {@code replicas}: one file holds "many", an error cel-java would report).
     */
    private static final String TRAINING_RULES = """
            rules:
              - id: image-present
                environments: [production]
                files: "apps/**/values.yaml"
                expression: "has(object.image) && size(object.image) >= 2 && environment != ''"
                fieldPath: image
                message: "production names an image"
              - id: image-tag
                files: "apps/**/values.yaml"
                expression: "!has(object.image) || object.image.matches('^[a-z]+:[0-9.]+$')"
                messageExpression: "'image ' + string(object.image) + ' has no release tag'"
              - id: image-kept
                files: "apps/**/values.yaml"
                expression: "oldObject == null || !has(oldObject.image) || size(object.image) * 2 >= size(oldObject.image)"
              - id: registry
                files: "apps/**/values.yaml"
                expression: "!has(object.containers) || object.containers.all(c, c.image.startsWith('shop'))"
            """;

    /**
     * Where the classes of CEL and of what it brings (protobuf, Guava, ANTLR) start, as a class
     * list names them. An archive never holds them: they are 1,500 classes and 13 MB that every
     * JVM mapping the archive would carry in memory, with rules or without, while a push or a
     * {@code validate} under rules compiled before runs on the fast path and loads none of them
     * but two ({@link #ARCHIVED_ANYWAY}; docs/design.md, "Custom rules"). The training compiles
     * its rules in another process, so it loads no others either; this list is the safety net
     * for when that process fails. The launcher script ({@code ./stagegate}) drops the same
     * prefixes from its own list.
     */
    static final List<String> NOT_ARCHIVED = List.of("dev/cel/", "cel/parser/", "com/google/protobuf/",
            "com/google/common/", "org/antlr/");

    /**
     * The two classes of CEL that the fast path does load: its null ({@code NullValue}, a
     * {@code CelValue}), which the fast path shares with cel-java. Archived anyway: loaded from
     * the jar, they cost a cold push under rules more than half a millisecond (measured).
     */
    static final List<String> ARCHIVED_ANYWAY = List.of("dev/cel/common/values/CelValue",
            "dev/cel/common/values/NullValue");

    /**
     * Trains under a policy with custom rules too, so that the archive holds the fast path's
     * classes. The rules are compiled first by another process ({@link #compileRulesElsewhere}),
     * so that this one, whose classes are archived, finds them compiled and never loads CEL.
     */
    @Override
    public Integer call() throws IOException, GitAPIException {
        Path directory = Files.createTempDirectory("stagegate-train-");
        try (Git git = Git.init().setBare(true).setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            Repository repository = git.getRepository();
            Map<String, String> files = new LinkedHashMap<>();
            // the demo's policy, with signatures checked, so that a push verifies one
            files.put(".stagegate/policy.yaml", DemoCommand.POLICY.replace("evidence:\n", "evidence:\n"
                    + "  signatures: optional\n  allowedSigners: .stagegate/allowed_signers\n") + TRAINING_RULES);
            files.put(".stagegate/allowed_signers", "alice " + TRAINING_KEY + "\n");
            files.put("schemas/app-values.schema.json", DemoCommand.SCHEMA);
            files.put("apps/shop/values.yaml", "image: shop:1.0\nreplicas: 2\n");
            files.put("env/values.yaml", "cluster: one\n");
            ObjectId start = commit(repository, files, List.of());
            files.put("apps/shop/values.yaml", "image: shop:1.1\nreplicas: 3\n");
            ObjectId change = commit(repository, files, List.of(start));
            for (String branch : List.of("main", "develop", "test", "staging")) {
                setRef(repository, Constants.R_HEADS + branch, start);
            }
            setRef(repository, Constants.R_HEADS + "develop", change);
            setRef(repository, Constants.R_HEADS + "test", change);
            setRef(repository, Constants.R_HEADS + "staging", change);
            String evidence = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\",\"commit\":\"" + change.name()
                    + "\",\"environment\":\"staging\",\"suite\":\"integration\",\"result\":\"passed\","
                    + "\"recordedAt\":\"2026-01-01T00:00:00Z\",\"producer\":\"ci-bot\"}";
            String approval = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + change.name()
                    + "\",\"environment\":\"production\",\"approver\":\"alice\",\"decision\":\"approved\","
                    + "\"recordedAt\":\"2026-01-01T00:00:00Z\",\"signature\":\"" + TRAINING_SIGNATURE + "\"}";
            ObjectId notes = note(repository, null, change, evidence + "\n" + approval);
            setRef(repository, "refs/notes/stagegate", notes);
            git.gc().call();

            compileRulesElsewhere(directory);
            ObjectId promotion = commit(repository, files, List.of(start, change));
            files.put("apps/shop/values.yaml", "image: shop:1.2\nreplicas: many\n");
            ObjectId invalid = commit(repository, files, List.of(change));
            ObjectId moreNotes = note(repository, notes, start,
                    (evidence + "\n" + approval).replace(change.name(), start.name()));
            judge(directory, Map.of(), start.name() + " " + promotion.name() + " refs/heads/main");
            judge(directory, Map.of(), change.name() + " " + invalid.name() + " refs/heads/develop\n"
                    + start.name() + " " + invalid.name() + " refs/heads/main\n"
                    + ObjectId.zeroId().name() + " " + start.name() + " refs/tags/v1");
            judge(directory, Map.of("STAGEGATE_USER", "ci-bot"),
                    notes.name() + " " + moreNotes.name() + " refs/notes/stagegate");
            validateWorkingTree(directory, files, false);
            validateWorkingTree(directory, files, true);
        } finally {
            deleteRecursively(directory);
        }
        return 0;
    }

    /**
     * {@code stagegate validate} of a checkout, as the command line runs it (the launcher's
     * archive is trained with this command too): simple values files, one only the full YAML
     * reader reads, and one that breaks its schema; {@code withRules}, under the policy with
     * {@link #TRAINING_RULES} for production, else under the policy without them.
     */
    private static void validateWorkingTree(Path repository, Map<String, String> files, boolean withRules)
            throws IOException {
        Path tree = Files.createTempDirectory("stagegate-train-tree-");
        try {
            // the same rules, compiled by compileRulesElsewhere: found in the checkout's git directory
            copyTree(CompiledExpressionFiles.directoryIn(repository),
                    CompiledExpressionFiles.directoryIn(tree.resolve(".git")));
            Map<String, String> checkout = new LinkedHashMap<>(files);
            if (!withRules) {
                checkout.put(".stagegate/policy.yaml",
                        files.get(".stagegate/policy.yaml").replace(TRAINING_RULES, ""));
            }
            checkout.put("apps/shop/values.yaml", "# a comment\nimage: shop:1.2\nreplicas: 3\n");
            checkout.put("apps/cart/values.yaml", "image: &image cart:1.0\nreplicas: 2\nlabels: {tier: web}\n");
            checkout.put("apps/bad/values.yaml", "image: bad:1.0\nreplicas: many\n");
            for (Map.Entry<String, String> file : checkout.entrySet()) {
                Path path = tree.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            Invocation invocation = new Invocation(InputStream.nullInputStream(), discard, discard, Map.of(), tree);
            if (withRules) {
                new Main(invocation).run("validate", "--repo", tree.toString(), "--environment", "production");
            } else {
                new Main(invocation).run("validate", "--repo", tree.toString());
            }
        } finally {
            deleteRecursively(tree);
        }
    }

    /**
     * Runs {@code validate} of the training repository in a JVM of its own, which compiles the
     * training rules and keeps them in the repository ({@code CompiledExpressionFiles}). Best
     * effort: without it, this process compiles them, and the archive builders drop CEL's classes
     * from the list ({@link #NOT_ARCHIVED}).
     */
    private static void compileRulesElsewhere(Path repository) {
        Optional<Path> jar = HookInstallCommand.codeSource().filter(Files::isRegularFile);
        Optional<String> java = ProcessHandle.current().info().command();
        if (jar.isEmpty() || java.isEmpty()) {
            return;
        }
        // best effort: should it fail, the rules are compiled here instead
        HookInstallCommand.runJava(List.of(java.get(), "-cp", jar.get().toString(), Main.class.getName(), "validate",
                "--repo", repository.toString()), COMPILE_TIMEOUT_SECONDS);
    }

    private static void judge(Path repository, Map<String, String> environment, String stdin) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Invocation invocation = new Invocation(new ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)),
                discard, discard, environment, repository);
        new Main(invocation).run("pre-receive");
    }

    private static ObjectId commit(Repository repository, Map<String, String> files, List<ObjectId> parents)
            throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (Map.Entry<String, String> file : files.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentIds(parents);
            PersonIdent ident = new PersonIdent("stagegate", "train@stagegate.invalid", TIME, ZoneOffset.UTC);
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("training\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static ObjectId note(Repository repository, ObjectId parent, ObjectId annotated, String line)
            throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter(); RevWalk walk = new RevWalk(repository)) {
            NoteMap map = parent == null ? NoteMap.newEmptyMap() : NoteMap.read(walk.getObjectReader(), walk.parseCommit(parent));
            map.set(annotated, line + "\n", inserter);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(map.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent ident = new PersonIdent("ci-bot", "ci-bot@stagegate.invalid", TIME, ZoneOffset.UTC);
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("evidence\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static void setRef(Repository repository, String name, ObjectId id) throws IOException {
        RefUpdate update = repository.updateRef(name);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        update.update();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName().toString()));
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
