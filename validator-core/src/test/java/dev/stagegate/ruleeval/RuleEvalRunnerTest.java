package dev.stagegate.ruleeval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.ruleeval.RuleEvalResult.Result;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEvalRunnerTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
            kubernetes:
              manifests: ["k8s/**/*.yaml"]
            rules:
              - id: deployment-replicas
                files: "k8s/**/*.yaml"
                kinds: ["apps/v1/Deployment"]
                expression: "object.spec.replicas >= 2"
              - id: named
                files: "k8s/**/*.yaml"
                expression: "has(object.metadata.name)"
              - id: branch-is-main
                environments: [production]
                files: "k8s/**/*.yaml"
                expression: "branch == 'main' && environment == 'production'"
            """;

    @TempDir
    Path repository;

    private final RuleEvalRunner runner = new RuleEvalRunner(new PolicyLoader(), YamlLimits.DEFAULTS);

    @Test
    void aRuleWithKindsIsNotAppliedToDocumentsOfOtherKinds() throws IOException {
        write(".stagegate/policy.yaml", POLICY);
        Path file = write("k8s/web.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 1}
                """);

        RuleEvalRun run = runner.run(request(file, "k8s/web.yaml", Optional.of("production")));

        assertThat(run.results()).containsExactly(
                new RuleEvalResult("deployment-replicas", Result.NOT_APPLIED,
                        "the document is not of its kinds (apps/v1/Deployment)", 1,
                        Optional.of(new SourcePosition(1, 1))),
                fails(run, "deployment-replicas"),
                new RuleEvalResult("named", Result.HOLDS, "", 1, Optional.of(new SourcePosition(1, 1))),
                new RuleEvalResult("named", Result.HOLDS, "", 2, Optional.of(new SourcePosition(5, 1))),
                new RuleEvalResult("branch-is-main", Result.HOLDS, "", 1, Optional.of(new SourcePosition(1, 1))),
                new RuleEvalResult("branch-is-main", Result.HOLDS, "", 2, Optional.of(new SourcePosition(5, 1))));
        assertThat(fails(run, "deployment-replicas").document()).isEqualTo(2);
        assertThat(run.status()).isEqualTo(ExitStatus.REJECTED);
    }

    @Test
    void aFileThatIsNoYamlIsAnErrorOfEveryRuleThatWouldJudgeIt() throws IOException {
        write(".stagegate/policy.yaml", POLICY);
        Path file = write("k8s/web.yaml", "a: [unclosed\n");

        RuleEvalRun run = runner.run(request(file, "k8s/web.yaml", Optional.empty()));

        assertThat(run.results()).extracting(RuleEvalResult::ruleId, RuleEvalResult::result, RuleEvalResult::document)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("deployment-replicas", Result.ERROR, 0),
                        org.assertj.core.groups.Tuple.tuple("named", Result.ERROR, 0),
                        org.assertj.core.groups.Tuple.tuple("branch-is-main", Result.NOT_APPLIED, 0));
        assertThat(run.results().get(0).message()).contains("cannot be read as YAML");
        assertThat(run.status()).isEqualTo(ExitStatus.REJECTED);
    }

    @Test
    void aFileLargerThanTheLimitIsAnErrorNotAPass() throws IOException {
        write(".stagegate/policy.yaml", POLICY);
        Path file = write("k8s/web.yaml", "metadata: {name: " + "x".repeat(200) + "}\n");
        RuleEvalRunner small = new RuleEvalRunner(new PolicyLoader(), new YamlLimits(100, 1_000, 10_000));

        RuleEvalRun run = small.run(request(file, "k8s/web.yaml", Optional.empty()));

        assertThat(run.results()).filteredOn(result -> result.ruleId().equals("named")).singleElement()
                .satisfies(result -> {
                    assertThat(result.result()).isEqualTo(Result.ERROR);
                    assertThat(result.message()).contains("more than the limit of 100 bytes");
                });
    }

    @Test
    void anOldVersionLargerThanTheLimitIsAnErrorNotANewFile() throws IOException {
        write(".stagegate/policy.yaml", POLICY);
        Path file = write("k8s/web.yaml", "metadata: {name: web}\n");
        Path old = write("old.yaml", "metadata: {name: " + "x".repeat(200) + "}\n");
        RuleEvalRunner small = new RuleEvalRunner(new PolicyLoader(), new YamlLimits(100, 1_000, 10_000));

        RuleEvalRun run = small.run(new RuleEvalRequest(repository, Optional.empty(), file, "k8s/web.yaml",
                Optional.of(old), Optional.empty()));

        assertThat(run.results()).filteredOn(result -> result.ruleId().equals("named")).singleElement()
                .satisfies(result -> {
                    assertThat(result.result()).isEqualTo(Result.ERROR);
                    assertThat(result.message()).startsWith("its old version (--old): ");
                });
        assertThat(run.status()).isEqualTo(ExitStatus.REJECTED);
    }

    @Test
    void anEmptyFileHasNoDocumentForTheRulesToJudge() throws IOException {
        write(".stagegate/policy.yaml", POLICY);
        Path file = write("k8s/empty.yaml", "");

        RuleEvalRun run = runner.run(request(file, "k8s/empty.yaml", Optional.of("production")));

        assertThat(run.results()).extracting(RuleEvalResult::ruleId).containsExactly(
                "deployment-replicas", "named", "branch-is-main");
        assertThat(run.results()).allSatisfy(result -> {
            assertThat(result.result()).isEqualTo(Result.NOT_APPLIED);
            assertThat(result.message()).isEqualTo("the file has no YAML document");
        });
        assertThat(run.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void withoutAPolicyNothingIsEvaluatedAndTheRunIsAPolicyProblem() throws IOException {
        Path file = write("k8s/web.yaml", "metadata: {name: web}\n");

        RuleEvalRun run = runner.run(request(file, "k8s/web.yaml", Optional.empty()));

        assertThat(run.policyProblems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).startsWith("no policy at "));
        assertThat(run.results()).isEmpty();
        assertThat(run.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void aPolicyGivenOutsideTheRepositoryIsUsedInstead() throws IOException {
        Path policy = write("elsewhere/policy.yaml", POLICY);
        Path file = write("k8s/web.yaml", "metadata: {name: web}\n");

        RuleEvalRun run = runner.run(new RuleEvalRequest(repository, Optional.of(policy), file, "k8s/web.yaml",
                Optional.empty(), Optional.empty()));

        assertThat(run.results()).extracting(RuleEvalResult::result).contains(Result.HOLDS);
        assertThat(run.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    private static RuleEvalResult fails(RuleEvalRun run, String ruleId) {
        return run.results().stream().filter(result -> result.ruleId().equals(ruleId)
                && result.result() == Result.FAILS).findFirst().orElseThrow();
    }

    private RuleEvalRequest request(Path file, String path, Optional<String> environment) {
        return new RuleEvalRequest(repository, Optional.empty(), file, path, Optional.empty(), environment);
    }

    private Path write(String path, String content) throws IOException {
        Path file = repository.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }
}
