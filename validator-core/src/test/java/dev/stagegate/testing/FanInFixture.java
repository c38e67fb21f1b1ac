package dev.stagegate.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of issue 13's repository, with fan-out and fan-in: {@code main -> qa ->} four
 * test environments {@code ->} three staging environments that each take from all four
 * ({@code upstreams: all}, 4 -> 3 edges) {@code ->} one production per staging. Twelve
 * environments with long names, all at the same content; {@code main} (the default branch,
 * holding the policy) is the entry.
 */
public final class FanInFixture {

    public static final List<String> TESTS = List.of("test-eu-west", "test-eu-central", "test-us-east", "test-us-west");
    public static final List<String> STAGINGS = List.of("staging-eu-west", "staging-eu-central", "staging-us-east");
    public static final List<String> PRODS = List.of("prod-eu-west", "prod-eu-central", "prod-us-east");

    /** Production needs 'smoke' from its staging; every environment's name is its branch's. */
    public static final String POLICY = policy();

    private FanInFixture() {
    }

    public static GitOpsFixture create(Path directory) {
        List<String> branches = new ArrayList<>(List.of("qa"));
        branches.addAll(TESTS);
        branches.addAll(STAGINGS);
        branches.addAll(PRODS);
        return GitOpsFixture.createWithBranches(directory, POLICY, branches);
    }

    /**
     * {@link #create} with each way an environment can stand: a hotfix straight into
     * prod-eu-west; a change from main promoted through qa into three of the four tests;
     * staging-eu-west took it from test-eu-west while test-us-west never got it (a skipped
     * stage), with passing 'smoke'; the other stagings are behind three tests.
     */
    public static GitOpsFixture createWithEveryState(Path directory) {
        GitOpsFixture gitops = create(directory);
        gitops.repo().commitOn("prod-eu-west").file("apps/web/values.yaml", "replicas: 9\n")
                .message("Hotfix straight into prod-eu-west").commitTo("prod-eu-west");
        changeOnMain(gitops, "apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("main", "qa");
        promote(gitops, "qa", TESTS.subList(0, 3));
        gitops.promote("test-eu-west", "staging-eu-west");
        gitops.passEvidence("staging-eu-west", "smoke");
        return gitops;
    }

    /** Commits a change to main, the entry, and moves it. */
    public static void changeOnMain(GitOpsFixture gitops, String path, String content) {
        gitops.repo().commitOn("main").file(path, content).message("change " + path).commitTo("main");
    }

    /** Promotes {@code from} into each of {@code targets}, as accepted pushes would. */
    public static void promote(GitOpsFixture gitops, String from, List<String> targets) {
        for (String target : targets) {
            gitops.promote(from, target);
        }
    }

    private static String policy() {
        StringBuilder policy = new StringBuilder("""
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: main
                    branch: main
                  - name: qa
                    branch: qa
                    promotesFrom: main
                """);
        for (String test : TESTS) {
            policy.append("  - name: ").append(test).append("\n    branch: ").append(test)
                    .append("\n    promotesFrom: qa\n");
        }
        for (String staging : STAGINGS) {
            policy.append("  - name: ").append(staging).append("\n    branch: ").append(staging)
                    .append("\n    promotesFrom: [").append(String.join(", ", TESTS)).append("]\n    upstreams: all\n");
        }
        for (int i = 0; i < PRODS.size(); i++) {
            policy.append("  - name: ").append(PRODS.get(i)).append("\n    branch: ").append(PRODS.get(i))
                    .append("\n    promotesFrom: ").append(STAGINGS.get(i)).append("\n    requiresEvidence:\n")
                    .append("      - suite: smoke\n        environment: ").append(STAGINGS.get(i)).append('\n');
        }
        policy.append("""
                environmentSpecificPaths:
                  - "env/**"
                schemas:
                  - files: "apps/**/values.yaml"
                    schema: schemas/app-values.schema.json
                evidence:
                  writers: [ci-bot]
                """);
        return policy.toString();
    }
}
