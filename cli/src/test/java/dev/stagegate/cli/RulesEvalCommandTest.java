package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesEvalCommandTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            rules:
              - id: replica-floor
                environments: [production]
                files: "apps/**/values.yaml"
                expression: "object.replicas >= 2"
                fieldPath: replicas
                message: "production runs at least two replicas"
              - id: no-latest
                files: "apps/**/values.yaml"
                expression: "!object.image.tag.endsWith('latest')"
              - id: no-big-drop
                files: "apps/**/values.yaml"
                expression: "oldObject == null || object.replicas * 2 >= oldObject.replicas"
                message: "replicas never drop by more than half"
              - id: env-only
                files: "env/**"
                expression: "true"
            """;

    @TempDir
    Path repository;

    private final InProcessStagegate stagegate = new InProcessStagegate(Engine.of(new Validator(Clock.systemUTC())));

    @BeforeEach
    void repositoryWithPolicy() throws Exception {
        Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call().close();
        write(".stagegate/policy.yaml", POLICY);
    }

    @Test
    void everyRuleThatAppliesHoldsSoItExitsZeroAndSaysWhichDidNotApply() throws IOException {
        write("apps/web/values.yaml", "replicas: 3\nimage:\n  tag: \"1.2\"\n");

        InProcessStagegate.Run run = stagegate.in(repository.resolve("apps")).run(
                "rules", "eval", "--file", "web/values.yaml", "--environment", "production");

        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).isEqualTo("""
                holds [replica-floor] apps/web/values.yaml:1:1
                holds [no-latest] apps/web/values.yaml:1:1
                holds [no-big-drop] apps/web/values.yaml:1:1
                not applied [env-only]: its files (env/**) do not match apps/web/values.yaml
                rules eval apps/web/values.yaml in production: 3 holds, 0 fails, 0 errors, 1 not applied
                """);
        assertThat(run.status()).isZero();
    }

    @Test
    void aFailingRuleIsLocatedAtItsFieldPathWithItsMessageAndExitsOne() throws IOException {
        write("apps/web/values.yaml", "image:\n  tag: \"1.2\"\nreplicas: 1\n");

        InProcessStagegate.Run run = stagegate.in(repository).run(
                "rules", "eval", "--file", "apps/web/values.yaml", "--environment", "production");

        assertThat(run.stdout()).contains(
                "fails [replica-floor] apps/web/values.yaml:3:1: production runs at least two replicas\n");
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void anEvaluationErrorIsReportedAndExitsOne() throws IOException {
        write("apps/web/values.yaml", "replicas: 3\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml");

        assertThat(run.stdout()).containsPattern("error \\[no-latest\\] apps/web/values.yaml:1:1: .*no such key");
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void withoutAnEnvironmentRulesNamingEnvironmentsAreNotApplied() throws IOException {
        write("apps/web/values.yaml", "replicas: 1\nimage:\n  tag: \"1.2\"\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml");

        assertThat(run.stdout()).contains("not applied [replica-floor]: it judges only environments production;"
                + " give --environment to apply it\n");
        assertThat(run.status()).isZero();
        assertThat(stagegate.run("rules", "eval", "--file", "apps/web/values.yaml", "--environment", "development")
                .stdout()).contains("not applied [replica-floor]: it judges only environments production,"
                        + " not development\n");
    }

    @Test
    void theOldVersionIsOldObjectForTransitionRules() throws IOException {
        write("apps/web/values.yaml", "replicas: 2\nimage:\n  tag: \"1.2\"\n");
        write("old.yaml", "replicas: 10\nimage:\n  tag: \"1.1\"\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml",
                "--old", "old.yaml");

        assertThat(run.stdout()).contains("fails [no-big-drop] apps/web/values.yaml:1:1: replicas never drop by more"
                + " than half\n");
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void pathNamesTheRepositoryPathOfAFileElsewhere() throws IOException {
        Path elsewhere = Files.createTempFile("values", ".yaml");
        try {
            Files.writeString(elsewhere, "replicas: 3\nimage:\n  tag: latest\n");

            InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", elsewhere.toString(),
                    "--path", "apps/api/values.yaml", "--format", "json");

            JsonNode report = new ObjectMapper().readTree(run.stdout());
            assertThat(report.path("file").asText()).isEqualTo("apps/api/values.yaml");
            assertThat(report.path("passed").asBoolean()).isFalse();
            JsonNode failed = report.path("results").get(1);
            assertThat(failed.path("rule").asText()).isEqualTo("no-latest");
            assertThat(failed.path("result").asText()).isEqualTo("fails");
            assertThat(failed.path("document").asInt()).isEqualTo(1);
            assertThat(failed.path("line").asInt()).isEqualTo(1);
            assertThat(report.path("results").get(0).path("result").asText()).isEqualTo("not-applied");
            assertThat(run.status()).isEqualTo(1);
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void eachDocumentOfAMultiDocumentFileHasItsOwnLine() throws IOException {
        write("apps/web/values.yaml", "replicas: 3\nimage: {tag: \"1\"}\n---\nreplicas: 3\nimage: {tag: latest}\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml");

        assertThat(run.stdout()).contains("holds [no-latest] apps/web/values.yaml:1:1\n",
                "fails [no-latest] apps/web/values.yaml:4:1: ");
    }

    @Test
    void anInvalidPolicyPrintsItsLocatedProblemsAndExitsTwo() throws IOException {
        write(".stagegate/policy.yaml", POLICY.replace("object.replicas >= 2", "object.replicas >="));
        write("apps/web/values.yaml", "replicas: 3\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml");

        assertThat(run.stdout()).containsPattern("error \\[policy-invalid\\] \\.stagegate/policy\\.yaml:13:\\d+: ");
        assertThat(run.stdout()).endsWith("rules eval: the policy is invalid; nothing was evaluated\n");
        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void anUnknownEnvironmentIsAUsageErrorNamingTheEnvironments() throws IOException {
        write("apps/web/values.yaml", "replicas: 3\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml",
                "--environment", "prod");

        assertThat(run.stderr()).isEqualTo("stagegate rules eval: unknown environment 'prod'; environments:"
                + " development, production (did you mean 'production'?)\nTry 'stagegate rules eval --help'.\n");
        assertThat(run.stdout()).isEmpty();
        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void aMissingFileIsAUsageError() {
        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/none.yaml");

        assertThat(run.stderr()).startsWith("stagegate rules eval: --file " + repository.resolve("apps/none.yaml")
                + " does not exist\n");
        assertThat(run.status()).isEqualTo(2);
        assertThat(stagegate.run("rules", "eval").stderr()).startsWith("stagegate rules eval: Missing required option");
    }

    @Test
    void aFileOutsideTheRepositoryNeedsPath() throws IOException {
        Path elsewhere = Files.createTempFile("values", ".yaml");
        try {
            InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", elsewhere.toString());

            assertThat(run.stderr()).contains("is outside the repository", "give its path in the repository with --path");
            assertThat(run.status()).isEqualTo(2);
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void aPolicyWithoutRulesSaysSo() throws IOException {
        write(".stagegate/policy.yaml", POLICY.substring(0, POLICY.indexOf("rules:")));
        write("apps/web/values.yaml", "replicas: 3\n");

        InProcessStagegate.Run run = stagegate.in(repository).run("rules", "eval", "--file", "apps/web/values.yaml");

        assertThat(run.stdout()).isEqualTo("rules eval: the policy has no custom rules (rules:)\n");
        assertThat(run.status()).isZero();
    }

    private void write(String path, String content) throws IOException {
        Path file = repository.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
