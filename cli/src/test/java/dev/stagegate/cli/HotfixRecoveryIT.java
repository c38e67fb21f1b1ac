package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way back after a hotfix pushed into production with the audited bypass, for both settings
 * of {@code promotion.fastForwardOnly}: the promotions that cannot converge are rejected, the
 * rejection names the hotfix and the route, and the route it gives, followed with the real
 * {@code git} client through the installed hook, is accepted at every stage (docs/recipes.md,
 * "Hotfix recovery").
 */
@Tag("end-to-end")
class HotfixRecoveryIT {

    private static final String POLICY = """
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
            environmentSpecificPaths: ["env/**"]
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            evidence:
              writers: [ci-bot]
            bypass:
              users: [release-manager]
            """;
    private static final String FAST_FORWARD_ONLY = POLICY + "promotion:\n  fastForwardOnly: true\n";
    private static final String SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "type": "object",
             "properties": {"replicas": {"type": "integer", "minimum": 1}},
             "additionalProperties": false}
            """;
    private static final Map<String, String> CI_BOT = Map.of("STAGEGATE_USER", "ci-bot");
    private static final Map<String, String> RELEASE_MANAGER = Map.of("STAGEGATE_USER", "release-manager");
    private static final String WEB = "apps/web/values.yaml";
    private static final String API = "apps/api/values.yaml";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;

    /** Every environment at one commit, the hook installed, and a hotfix bypassed into production. */
    private String environmentsWithAHotfixInProduction(String policy) throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", policy)
                .write("schemas/values.schema.json", SCHEMA)
                .write(WEB, "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:test", "main:staging");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER", "--audit-log",
                root.resolve("audit.log").toString());

        checkout("main");
        workspace.write(WEB, "replicas: 9\n").commit("Hotfix: scale web to 9");
        assertAccepted(workspace.push(RELEASE_MANAGER, "-o", "stagegate.bypass=INC-42 web is down", "main"));
        return workspace.id("HEAD").substring(0, 12);
    }

    @Test
    void withFastForwardOnlyMergingTheHotfixIntoDevelopAndFastForwardingEachStageConverges() throws IOException {
        String hotfix = environmentsWithAHotfixInProduction(FAST_FORWARD_ONLY);
        checkout("develop");
        workspace.write(API, "replicas: 1\n").commit("Add the api");
        workspace.write(WEB, "replicas: 9\n").commit("Scale web to 9, as the hotfix did");
        assertAccepted(workspace.push("develop"));
        fastForward("develop", "test");
        fastForward("test", "staging");
        recordEvidenceOnStaging();

        mergeLocally("staging", "main");
        ProgramResult merge = workspace.push("main");
        ProgramResult reset = workspace.push("--force", "origin/staging:main");
        checkout("main");
        workspace.git("revert", "--no-edit", "HEAD");
        ProgramResult revert = workspace.push("main");

        assertRejected(reset, "error [force-push] refs/heads/main (production)");
        for (ProgramResult rejected : new ProgramResult[] {merge, revert}) {
            String line = assertRejected(rejected, "error [skipped-stage] refs/heads/main (production)");
            assertThat(line).contains("'main' carries a commit that staging lacks (never brought back upstream): "
                    + hotfix + " \"Hotfix: scale web to 9\"");
        }
        String route = routeIn(merge, "merge it into develop \\(there: git merge ([0-9a-f]{12})\\)");
        assertThat(route).isEqualTo(hotfix);

        checkout("develop");
        workspace.git("merge", "--quiet", "--no-edit", route);
        assertAccepted(workspace.push("develop"));
        fastForward("develop", "test");
        fastForward("test", "staging");
        recordEvidenceOnStaging();
        fastForward("staging", "main");
        assertThat(server.ref("refs/heads/main")).isEqualTo(server.ref("refs/heads/develop"));
    }

    @Test
    void withoutFastForwardOnlyCherryPickingTheHotfixOntoDevelopAndPromotingConverges() throws IOException {
        String hotfix = environmentsWithAHotfixInProduction(POLICY);
        checkout("develop");
        workspace.write(API, "replicas: 1\n").commit("Add the api");
        assertAccepted(workspace.push("develop"));
        promoteByMerge("develop", "test");
        promoteByMerge("test", "staging");
        recordEvidenceOnStaging();

        mergeLocally("staging", "main");
        ProgramResult merge = workspace.push("main");

        String line = assertRejected(merge, "error [skipped-stage] refs/heads/main (production)");
        assertThat(line).contains("differs from staging in apps/web/values.yaml")
                .contains("'main' carries a change found nowhere upstream (never brought back to staging): "
                        + hotfix + " \"Hotfix: scale web to 9\"");
        String route = routeIn(merge, "cherry-pick it onto develop \\(git cherry-pick ([0-9a-f ]+)\\)");
        assertThat(route).isEqualTo(hotfix);

        checkout("develop");
        workspace.git("cherry-pick", route);
        assertAccepted(workspace.push("develop"));
        promoteByMerge("develop", "test");
        promoteByMerge("test", "staging");
        recordEvidenceOnStaging();
        promoteByMerge("staging", "main");
    }

    private void checkout(String branch) {
        workspace.git("fetch", "--quiet", "origin");
        workspace.git("checkout", "--quiet", "-B", branch, "origin/" + branch);
    }

    private void mergeLocally(String from, String to) {
        checkout(to);
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "origin/" + from);
    }

    private void promoteByMerge(String from, String to) {
        mergeLocally(from, to);
        assertAccepted(workspace.push(to));
    }

    private void fastForward(String from, String to) {
        checkout(to);
        workspace.git("merge", "--quiet", "--ff-only", "origin/" + from);
        assertAccepted(workspace.push(to));
    }

    private void recordEvidenceOnStaging() {
        workspace.git("fetch", "--quiet", "origin");
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", "origin/staging",
                "--environment", "staging", "--suite", "integration", "--result", "passed", "--producer", "ci-bot");
        assertThat(record.exitCode()).as("%s", record).isZero();
        assertAccepted(workspace.push(CI_BOT, "refs/notes/stagegate"));
    }

    /** The first group of {@code pattern} in the push's skipped-stage line: the command it tells the user to run. */
    private static String routeIn(ProgramResult push, String pattern) {
        String line = push.remoteLines().stream().filter(l -> l.contains("[skipped-stage]")).findFirst().orElseThrow();
        Matcher matcher = Pattern.compile(pattern).matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        return matcher.group(1);
    }

    private static void assertAccepted(ProgramResult push) {
        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("stagegate: accepted"));
    }

    /** The rejected push's line that contains {@code expected}. */
    private static String assertRejected(ProgramResult push, String expected) {
        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).as("%s", push).contains("pre-receive hook declined");
        return push.remoteLines().stream().filter(line -> line.contains(expected)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + expected + " in\n" + push));
    }
}
