package dev.stagegate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stagegate demo}: plays a team for a few minutes. Builds a throwaway server
 * repository with the hook installed, then pushes good and bad promotions with the real
 * {@code git} client and narrates each verdict. The only command that drives git itself,
 * because here stagegate is the user, not the judge.
 */
@Command(name = "demo",
        description = "Builds a throwaway environment-per-branch repository with the hook installed, "
                + "pushes good and bad promotions with git, and narrates each decision.",
        footer = {
            "",
            "Exit status: 0 every verdict was the expected one, 1 a verdict differed from the expected one, "
                    + "2 usage error, 3 the demo could not run (no git, I/O)."
        })
final class DemoCommand implements Callable<Integer> {

    static final String POLICY = """
            # yaml-language-server: $schema=https://stagegate.dev/schemas/policy-v1.schema.json
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: testing
                branch: test
                promotesFrom: development
              - name: staging
                branch: staging
                promotesFrom: testing
              - name: production
                branch: main
                promotesFrom: staging
                requiresEvidence:
                  - suite: integration
                    environment: staging
                requiresApproval:
                  count: 2
                  from: [release-managers]
            groups:
              release-managers: [alice, bob, dana]
            identities:
              alice: [alice@example.invalid]
              bob: [bob@example.invalid]
              dana: [dana@example.invalid]
            environmentSpecificPaths: ["env/**"]
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/app-values.schema.json
            evidence:
              writers: [ci-bot, alice, bob, dana]
            """;

    static final String SCHEMA = """
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "type": "object",
              "properties": {
                "image": {"type": "string", "description": "Container image with its tag"},
                "replicas": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Pods to run"}
              },
              "required": ["image", "replicas"],
              "additionalProperties": false
            }
            """;

    private static final long GIT_TIMEOUT_SECONDS = 60;

    private final Invocation invocation;

    @Option(names = "--keep", description = "Keep the demo repositories and print where they are.")
    private boolean keep;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Build the demo here (a new or empty directory) instead of a temporary one, and keep it.")
    private Path directory;

    private PrintStream out;
    private Path workspace;
    private Map<String, String> gitEnvironment;
    private int surprises;

    DemoCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        out = invocation.stdout();
        if (directory != null && !isNewOrEmpty(invocation.resolve(directory))) {
            // a second run over the first's repositories would fail half-way through
            throw new UsageException("--dir " + invocation.resolve(directory) + " is not empty: the demo builds its"
                    + " repositories in a new or empty directory; remove it or name another");
        }
        Path root = directory == null ? Files.createTempDirectory("stagegate-demo-")
                : Files.createDirectories(invocation.resolve(directory));
        try {
            run(root);
        } finally {
            if (keep || directory != null) {
                out.println("\nThe demo repositories are in " + root);
            } else {
                deleteRecursively(root);
            }
        }
        out.println(surprises == 0 ? "\nEvery verdict was the expected one."
                : "\n" + surprises + " verdict(s) differed from what the demo expected.");
        out.flush();
        return surprises == 0 ? 0 : 1;
    }

    private void run(Path root) throws IOException, InterruptedException {
        Path home = Files.createDirectories(root.resolve("home"));
        gitEnvironment = new HashMap<>(invocation.environment());
        gitEnvironment.put("HOME", home.toString());
        gitEnvironment.put("GIT_CONFIG_NOSYSTEM", "1");
        gitEnvironment.put("GIT_AUTHOR_NAME", "Dana Developer");
        gitEnvironment.put("GIT_AUTHOR_EMAIL", "dana@example.invalid");
        gitEnvironment.put("GIT_COMMITTER_NAME", "Dana Developer");
        gitEnvironment.put("GIT_COMMITTER_EMAIL", "dana@example.invalid");
        gitEnvironment.remove("STAGEGATE_USER");
        Path server = root.resolve("server.git");
        workspace = root.resolve("workspace");

        say("1. A Git server with the stagegate hook",
                "git init --bare server.git, then stagegate hook install --repo server.git");
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", server.toString());
        int installed = new Main(new Invocation(invocation.stdin(), new PrintStream(OutputSink.INSTANCE, true,
                StandardCharsets.UTF_8), invocation.stderr(), invocation.environment(), root))
                .run("hook", "install", "--repo", server.toString(), "--identity-env", "STAGEGATE_USER");
        if (installed != 0) {
            throw new IOException("hook install failed with exit status " + installed);
        }
        git(root, "clone", "--quiet", server.toString(), workspace.toString());

        say("2. Four environments: develop -> test -> staging -> main",
                "the policy, a JSON Schema for values files, and each environment's own env/ settings");
        write(".stagegate/policy.yaml", POLICY);
        write("schemas/app-values.schema.json", SCHEMA);
        write("apps/shop/values.yaml", "image: shop:1.0\nreplicas: 2\n");
        write("env/values.yaml", "cluster: prod-eu\n");
        commit("Start the shop");
        expect(true, push("main"));
        for (String branch : List.of("develop", "test", "staging")) {
            git(workspace, "checkout", "--quiet", "-b", branch, "main");
            write("env/values.yaml", "cluster: " + branch + "\n");
            commit("Settings of " + branch);
            expect(true, push(branch));
        }

        say("3. A developer ships shop 1.1 to develop", "a normal push to the entry branch");
        git(workspace, "checkout", "--quiet", "develop");
        write("apps/shop/values.yaml", "image: shop:1.1\nreplicas: 3\n");
        commit("Shop 1.1");
        expect(true, push("develop"));

        say("4. An invalid values file never gets in", "replicas: three fails the schema, with its line and column");
        write("apps/shop/values.yaml", "image: shop:1.1\nreplicas: three\n");
        commit("Typo");
        expect(false, push("develop"));
        git(workspace, "reset", "--quiet", "--hard", "HEAD~1");

        say("5. Someone merges develop straight into main", "stagegate says which stages were skipped");
        expect(false, promote("develop", "main"));
        git(workspace, "reset", "--quiet", "--hard", "origin/main");

        say("6. A hotfix committed directly to production", "production only takes what staging already has");
        write("apps/shop/values.yaml", "image: shop:1.0-hotfix\nreplicas: 2\n");
        commit("Quick fix in prod");
        expect(false, push("main"));
        git(workspace, "reset", "--quiet", "--hard", "origin/main");

        say("7. The good path: develop -> test -> staging", "each promotion carries content the stage before already has");
        expect(true, promote("develop", "test"));
        expect(true, promote("test", "staging"));

        say("8. Staging -> main without test evidence",
                "production requires a passing 'integration' run in staging (and approvals: step 10)");
        expect(false, promote("staging", "main"));
        git(workspace, "reset", "--quiet", "--hard", "origin/main");

        say("9. CI records the integration run as evidence",
                "stagegate evidence record ... --producer ci-bot, then git push origin refs/notes/stagegate as ci-bot");
        java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
        int recorded = new Main(new Invocation(invocation.stdin(), new PrintStream(report, true, StandardCharsets.UTF_8),
                invocation.stderr(), gitEnvironment, workspace))
                .run("evidence", "record", "--commit", "origin/staging", "--environment", "staging",
                        "--suite", "integration", "--result", "passed", "--producer", "ci-bot");
        out.println("   $ stagegate evidence record --commit origin/staging --environment staging --suite integration"
                + " --result passed --producer ci-bot");
        out.print(report.toString(StandardCharsets.UTF_8).indent(3));
        if (recorded != 0) {
            surprises++;
        }
        expect(true, push(Map.of("STAGEGATE_USER", "ci-bot"), "refs/notes/stagegate"));

        say("10. Production also needs two release managers' approvals",
                "alice and dana approve, but dana wrote the change, so her approval does not count; then bob approves");
        approve("alice");
        approve("dana");
        expect(false, promote("staging", "main"));
        git(workspace, "reset", "--quiet", "--hard", "origin/main");
        approve("bob");
        expect(true, promote("staging", "main"));
    }

    /**
     * {@code approver} approves promoting staging's content into production and pushes the
     * record in their own name. Written with git itself, as a CI without Java can;
     * {@code stagegate approve --environment production --approver NAME --push} does the same.
     */
    private void approve(String approver) throws IOException, InterruptedException {
        git(workspace, "fetch", "--quiet", "origin");
        String commit = runGit(workspace, Map.of(), "rev-parse", "origin/staging").output().strip();
        String record = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + commit
                + "\",\"environment\":\"production\",\"approver\":\"" + approver
                + "\",\"decision\":\"approved\",\"recordedAt\":\""
                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}";
        out.println("   $ git notes --ref=stagegate append -m '{\"kind\":\"Approval\",\"approver\":\"" + approver
                + "\",...}' origin/staging");
        git(workspace, "notes", "--ref=stagegate", "append", "-m", record, commit);
        expect(true, push(Map.of("STAGEGATE_USER", approver), "refs/notes/stagegate"));
    }

    private void say(String title, String detail) {
        out.println();
        out.println("== " + title);
        out.println("   " + detail);
    }

    private void write(String path, String content) throws IOException {
        Path file = workspace.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private void commit(String message) throws IOException, InterruptedException {
        git(workspace, "add", "--all");
        git(workspace, "commit", "--quiet", "--message", message);
    }

    /** Merges origin/FROM into TO and pushes it, keeping TO's own environment settings. */
    private GitResult promote(String from, String to) throws IOException, InterruptedException {
        git(workspace, "fetch", "--quiet", "origin");
        git(workspace, "checkout", "--quiet", "-B", to, "origin/" + to);
        GitResult merge = runGit(workspace, Map.of(), "merge", "--quiet", "--no-ff", "--no-commit", "origin/" + from);
        if (merge.status() != 0) {
            // the environment files conflict by design: keep this environment's own
            git(workspace, "checkout", "--ours", "--", "env");
        } else {
            git(workspace, "checkout", "origin/" + to, "--", "env");
        }
        git(workspace, "add", "--all");
        git(workspace, "commit", "--quiet", "--message", "Promote " + from + " into " + to);
        return push(to);
    }

    private GitResult push(String refspec) throws IOException, InterruptedException {
        return push(Map.of(), refspec);
    }

    private GitResult push(Map<String, String> environment, String refspec) throws IOException, InterruptedException {
        out.println("   $ git push origin " + refspec + (environment.isEmpty() ? "" : "   (as " + environment.values() + ")"));
        GitResult result = runGit(workspace, environment, "push", "origin", refspec);
        for (String line : result.output().split("\\R")) {
            if (line.startsWith("remote:")) {
                out.println("   " + line);
            }
        }
        return result;
    }

    private void expect(boolean accepted, GitResult push) {
        boolean wasAccepted = push.status() == 0;
        String verdict = wasAccepted ? "ACCEPTED" : "REJECTED";
        if (wasAccepted == accepted) {
            out.println("   -> " + verdict + (accepted ? "" : ", as it should be"));
        } else {
            surprises++;
            out.println("   -> " + verdict + ", which the demo did not expect:");
            out.println(push.output().indent(6));
        }
    }

    private void git(Path directory, String... args) throws IOException, InterruptedException {
        GitResult result = runGit(directory, Map.of(), args);
        if (result.status() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed:\n" + result.output());
        }
    }

    private GitResult runGit(Path directory, Map<String, String> extra, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(gitEnvironment);
        builder.environment().putAll(extra);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("the demo drives the git client, which is not installed (" + e.getMessage() + ")", e);
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " did not finish");
        }
        return new GitResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record GitResult(int status, String output) {
    }

    private static boolean isNewOrEmpty(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return true;
        }
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Swallows the installer's own report, which the narration replaces. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }
    }
}
