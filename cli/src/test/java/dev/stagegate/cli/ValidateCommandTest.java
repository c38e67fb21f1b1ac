package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.KindCount;
import dev.stagegate.report.ManifestSummary;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    private static final Violation BAD_REPLICAS = Violation.error("schema-violation", "replicas must be at most 50")
            .at("apps/frontend/values.yaml", 4, 3);

    @TempDir
    Path directory;

    private final ScriptedEngine engine = ScriptedEngine.rejecting(BAD_REPLICAS);
    private final InProcessStagegate stagegate = new InProcessStagegate(engine);

    @Test
    void asksForTheWorkingTreeOfTheCurrentDirectoryByDefault() {
        stagegate.in(directory).run("validate");

        assertThat(engine.lastRequest(ValidateRequest.class))
                .isEqualTo(new ValidateRequest(directory, Optional.empty(), Optional.empty()));
    }

    @Test
    void resolvesRepositoryAndPolicyAgainstTheCurrentDirectory() throws IOException {
        Files.createDirectories(directory.resolve("gitops"));
        Files.createDirectories(directory.getParent().resolve("server"));
        Files.writeString(directory.getParent().resolve("server/policy.yaml"), "apiVersion: stagegate/v1\n");
        stagegate.in(directory).run("validate", "--repo", "gitops", "--policy", "../server/policy.yaml", "--rev", "v1");

        assertThat(engine.lastRequest(ValidateRequest.class)).isEqualTo(new ValidateRequest(
                directory.resolve("gitops"),
                Optional.of("v1"),
                Optional.of(directory.getParent().resolve("server/policy.yaml"))));
    }

    @Test
    void passesSchemaLocationsInOrderWithRelativePathsTakenFromTheCurrentDirectory() {
        stagegate.in(directory).run("validate", "--schema-location", "/srv/schemas/k8s",
                "--schema-location", "mirror/{{ .Group }}/{{ .ResourceKind }}.json",
                "--schema-location", "https://example.com/schemas");

        assertThat(engine.lastRequest(ValidateRequest.class).schemaLocations()).containsExactly(
                "/srv/schemas/k8s",
                directory.resolve("mirror/{{ .Group }}/{{ .ResourceKind }}.json").toString(),
                "https://example.com/schemas");
    }

    @Test
    void passesTheEnvironmentWhoseCustomRulesApply() {
        stagegate.in(directory).run("validate", "--environment", "production");

        assertThat(engine.lastRequest(ValidateRequest.class)).isEqualTo(new ValidateRequest(directory,
                Optional.empty(), Optional.empty(), List.of(), Optional.of("production")));
    }

    @Test
    void appliesTheCustomRulesOfTheEnvironmentGivenAndNamesAnUnknownOne() throws Exception {
        org.eclipse.jgit.api.Git.init().setDirectory(directory.toFile()).call().close();
        Files.createDirectories(directory.resolve(".stagegate"));
        Files.writeString(directory.resolve(".stagegate/policy.yaml"), """
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
                """);
        Files.createDirectories(directory.resolve("apps/web"));
        Files.writeString(directory.resolve("apps/web/values.yaml"), "image: web\nreplicas: 1\n");
        InProcessStagegate real = new InProcessStagegate(Engine.of(new dev.stagegate.Validator(
                java.time.Clock.systemUTC()))).in(directory);

        InProcessStagegate.Run production = real.run("validate", "--environment", "production");
        InProcessStagegate.Run none = real.run("validate");
        InProcessStagegate.Run unknown = real.run("validate", "--environment", "prod");

        assertThat(production.stdout()).contains("error [replica-floor] apps/web/values.yaml:2:1: production runs at"
                + " least two replicas\n");
        assertThat(production.status()).isEqualTo(1);
        assertThat(none.stdout()).doesNotContain("replica-floor");
        assertThat(none.status()).isZero();
        assertThat(unknown.stderr()).startsWith("stagegate validate: unknown environment 'prod'; environments:"
                + " development, production");
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.status()).isEqualTo(2);

        com.fasterxml.jackson.databind.JsonNode sarif = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(real.run("validate", "--format", "sarif").stdout()).path("runs").get(0);
        assertThat(sarif.path("results")).isEmpty();
        com.fasterxml.jackson.databind.JsonNode rule = sarif.path("tool").path("driver").path("rules").get(0);
        assertThat(rule.path("id").asText()).isEqualTo("replica-floor");
        assertThat(rule.path("shortDescription").path("text").asText())
                .isEqualTo("production runs at least two replicas");
    }

    @Test
    void printsTheVerdictAsTextAndExitsWithItsStatus() {
        InProcessStagegate.Run run = stagegate.run("validate");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout()).isEqualTo(new TextRenderer().render(Verdict.of(List.of(BAD_REPLICAS))));
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void printsTheKubernetesKindsOneByOneOnlyWithSummaryAndAlwaysInJson() {
        Verdict counted = Verdict.accepted().withManifests(new ManifestSummary(2, 0, 0, List.of(
                new KindCount("apps/v1/Deployment", 1, 1, 0, 0), new KindCount("v1/Service", 1, 1, 0, 0))));
        InProcessStagegate counting = new InProcessStagegate(ScriptedEngine.answering(
                new Outcome(counted, ExitStatus.ACCEPTED)));

        String plain = counting.run("validate").stdout();
        String summary = counting.run("validate", "--summary").stdout();
        String json = counting.run("validate", "--format", "json").stdout();

        assertThat(plain).contains("kubernetes: 2 manifest files (0 excluded), 2 resources of 2 kinds, 2 checked")
                .doesNotContain("apps/v1/Deployment");
        assertThat(summary).isEqualTo(new TextRenderer().render(counted))
                .contains("  apps/v1/Deployment: 1 resource in 1 file, 1 checked");
        assertThat(json).isEqualTo(new JsonRenderer().render(counted)).contains("apps/v1/Deployment");
    }

    @Test
    void printsJsonOnRequest() {
        InProcessStagegate.Run run = stagegate.run("validate", "--format", "json");

        assertThat(run.stdout()).isEqualTo(new JsonRenderer().render(Verdict.of(List.of(BAD_REPLICAS))));
    }

    @Test
    void writesTheReportToTheOutputFile() throws IOException {
        InProcessStagegate.Run run = stagegate.in(directory).run("validate", "--format", "JSON", "--output", "report.json");

        assertThat(run.stdout()).isEmpty();
        assertThat(Files.readString(directory.resolve("report.json")))
                .isEqualTo(new JsonRenderer().render(Verdict.of(List.of(BAD_REPLICAS))));
    }

    @Test
    void passesTheEnginesStatusThrough() {
        Outcome unloadablePolicy = new Outcome(
                Verdict.of(List.of(Violation.error("policy-invalid", "no such file: policy.yaml"))),
                ExitStatus.USAGE_OR_POLICY);

        InProcessStagegate.Run run = new InProcessStagegate(ScriptedEngine.answering(unloadablePolicy)).run("validate");

        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void judgesAtTheInstantOfStagegateNow() {
        stagegate.env("STAGEGATE_NOW", "2026-12-24T18:00:00Z").run("validate");

        assertThat(stagegate.clockSeen().instant()).isEqualTo(Instant.parse("2026-12-24T18:00:00Z"));
    }
}
