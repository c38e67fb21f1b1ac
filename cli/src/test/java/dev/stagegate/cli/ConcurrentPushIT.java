package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty pushes at once into one repository, each from its own clone, through the installed
 * hook: each gets the verdict it would get alone; git's ref locking, not a crash, decides a
 * race for one branch; twenty audited bypasses leave twenty whole lines; and no run leaves a
 * file behind.
 */
@Tag("end-to-end")
@Tag("slow")
class ConcurrentPushIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            bypass:
              users: [release-manager]
            """;
    private static final String SCHEMA = """
            {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}
            """;
    private static final int PUSHES = 20;

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;
    private Path auditLog;
    private final List<Workspace> clones = new ArrayList<>();

    @BeforeEach
    void twentyClones() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        auditLog = root.resolve("audit.log");
        server = ServerRepository.init(git, root.resolve("server.git"));
        Workspace first = server.clone(root.resolve("clone-0"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .commit("Start");
        first.git("push", "--quiet", "origin", "main", "main:develop");
        // twenty JVMs starting at once on a small CI machine: this is about verdicts, not speed (LargePushIT)
        server.withHookInstalled("--identity-env", "STAGEGATE_USER", "--audit-log", auditLog.toString(),
                "--deadline", "60s");
        clones.add(first);
        for (int i = 1; i < PUSHES; i++) {
            clones.add(server.clone(root.resolve("clone-" + i)));
        }
    }

    /** Runs {@code push} for every clone at the same time; the results in clone order. */
    private List<ProgramResult> all(PushOfClone push) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PUSHES);
        try {
            List<Future<ProgramResult>> futures = new ArrayList<>();
            for (int i = 0; i < PUSHES; i++) {
                int clone = i;
                futures.add(pool.submit((Callable<ProgramResult>) () -> push.run(clone, clones.get(clone))));
            }
            List<ProgramResult> results = new ArrayList<>();
            for (Future<ProgramResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface PushOfClone {
        ProgramResult run(int index, Workspace clone);
    }

    @Test
    void twentyBranchesAtOnceEachGetTheirOwnVerdict() throws Exception {
        for (int i = 0; i < PUSHES; i++) {
            // even clones push valid values, odd ones a schema violation
            clones.get(i).branch("feature-" + i)
                    .write("apps/web/values.yaml", "replicas: " + (i % 2 == 0 ? i + 1 : 0) + "\n")
                    .commit("Change " + i);
        }

        List<ProgramResult> pushes = all((i, clone) -> clone.push("feature-" + i));

        for (int i = 0; i < PUSHES; i++) {
            ProgramResult push = pushes.get(i);
            if (i % 2 == 0) {
                assertThat(push.exitCode()).as("%s", push).isZero();
                assertThat(push.remoteLines()).as("%s", push).containsExactly("stagegate: accepted (0 errors, 0 warnings)");
                assertThat(server.ref("refs/heads/feature-" + i)).isEqualTo(clones.get(i).id("HEAD"));
            } else {
                assertThat(push.exitCode()).as("%s", push).isNotZero();
                assertThat(push.remoteLines()).as("%s", push).hasSize(2).first().asString()
                        .startsWith("error [schema-violation] apps/web/values.yaml:1:1 refs/heads/feature-" + i + " ");
                assertThat(server.ref("refs/heads/feature-" + i)).isNull();
            }
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void twentyPushesToOneBranchAtOnceOneWinsAndGitTurnsAwayTheRest() throws Exception {
        for (int i = 0; i < PUSHES; i++) {
            Workspace clone = clones.get(i);
            clone.git("fetch", "--quiet", "origin");
            clone.git("checkout", "--quiet", "-B", "develop", "origin/develop");
            clone.write("apps/web/values.yaml", "replicas: " + (i + 10) + "\n").commit("Scale to " + (i + 10));
        }

        List<ProgramResult> pushes = all((i, clone) -> clone.push("develop"));

        List<ProgramResult> won = pushes.stream().filter(push -> push.exitCode() == 0).toList();
        assertThat(won).hasSize(1);
        assertThat(won.get(0).remoteLines()).containsExactly("stagegate: accepted (0 errors, 0 warnings)");
        String tip = server.ref("refs/heads/develop");
        assertThat(clones.stream().map(clone -> clone.id("HEAD"))).containsOnlyOnce(tip);
        for (ProgramResult lost : pushes.stream().filter(push -> push.exitCode() != 0).toList()) {
            assertThat(lost.output()).as("%s", lost)
                    .containsAnyOf("failed to update ref", "cannot lock ref", "fetch first", "non-fast-forward")
                    .doesNotContain("pre-receive hook declined", "cannot judge");
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void twentyAuditedBypassesAtOnceWriteTwentyWholeLines() throws Exception {
        for (int i = 0; i < PUSHES; i++) {
            clones.get(i).branch("hotfix-" + i).write("apps/web/values.yaml", "replicas: 0\n").commit("Hotfix " + i);
        }

        List<ProgramResult> pushes = all((i, clone) -> clone.push(Map.of("STAGEGATE_USER", "release-manager"),
                "-o", "stagegate.bypass=INC-" + i + " concurrent", "hotfix-" + i));

        assertThat(pushes).allSatisfy(push -> {
            assertThat(push.exitCode()).as("%s", push).isZero();
            assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("warning [bypass-used] "));
        });
        List<String> lines = Files.readAllLines(auditLog);
        assertThat(lines).hasSize(PUSHES);
        List<JSONObject> entries = lines.stream().map(JSONObject::new).toList();
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.getString("user")).isEqualTo("release-manager");
            assertThat(entry.getJSONArray("violations").getJSONObject(0).getString("rule")).isEqualTo("schema-violation");
        });
        assertThat(entries.stream().map(entry -> entry.getString("ref")))
                .containsExactlyInAnyOrderElementsOf(Stream.iterate(0, i -> i + 1).limit(PUSHES)
                        .map(i -> "refs/heads/hotfix-" + i).toList());
        assertThat(entries.stream().map(entry -> entry.getString("reason")))
                .containsExactlyInAnyOrderElementsOf(Stream.iterate(0, i -> i + 1).limit(PUSHES)
                        .map(i -> "INC-" + i + " concurrent").toList());
        assertThat(leftovers()).isEmpty();
    }

    /**
     * What a run could leave behind: anything in the hooks directory besides the hook, its jar,
     * its class-data archive and git's samples; lock, temporary or quarantine files in the git
     * directory; stagegate's temporary files.
     */
    private Set<String> leftovers() throws IOException {
        Set<String> expectedHooks = Set.of("pre-receive", "stagegate.jar", "stagegate.jsa");
        try (Stream<Path> hooks = Files.list(server.hooks());
                Stream<Path> gitDirectory = Files.walk(server.directory());
                Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return Stream.of(
                            hooks.filter(path -> !expectedHooks.contains(name(path)) && !name(path).endsWith(".sample")),
                            gitDirectory.filter(path -> name(path).endsWith(".lock") || name(path).startsWith("tmp_")
                                    || name(path).startsWith("incoming-") || name(path).startsWith(".stagegate-")),
                            tmp.filter(path -> name(path).startsWith("stagegate-") && !name(path).startsWith("stagegate-it-")))
                    .flatMap(stream -> stream)
                    .map(Path::toString)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
