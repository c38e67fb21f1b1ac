package dev.stagegate.engine;

import static dev.stagegate.testing.CustomRuleFixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.git.CommitFiles;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.Severity;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryValidationTest {

    @TempDir
    Path dir;

    private final Validator validator = new Validator(Clock.systemUTC());

    private Outcome validate(Path repository, String revision) {
        return validator.validate(new ValidateRequest(repository, Optional.ofNullable(revision), Optional.empty()));
    }

    @Test
    void validatesARevisionOfABareRepositoryWithoutACheckout() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            RevCommit broken = gitops.repo().commitOn("develop")
                    .file("apps/web/values.yaml", "replicas: many\nimage: web:2\n").commitTo("develop");

            Outcome atDevelop = validate(gitops.repo().directory(), "develop");
            Outcome atMain = validate(gitops.repo().directory(), "main");
            Outcome atCommit = validate(gitops.repo().directory(), broken.name());

            assertThat(atMain.status()).as(render(atMain)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(atDevelop.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(render(atDevelop)).contains("error [schema-violation] apps/web/values.yaml:1:1: replicas: expected integer, found string");
            assertThat(atCommit.status()).isEqualTo(ExitStatus.REJECTED);
        }
    }

    @Test
    void aBareRepositoryWithoutRevisionIsValidatedAtHead() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            assertThat(validate(gitops.repo().directory(), null).status()).isEqualTo(ExitStatus.ACCEPTED);
        }
    }

    @Test
    void anUnknownRevisionIsAUsageError() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            Outcome outcome = validate(gitops.repo().directory(), "no-such-branch");
            assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
            assertThat(outcome.usageMessage()).contains("revision 'no-such-branch' does not exist in "
                    + gitops.repo().directory());
        }
    }

    @Test
    void validatesAWorkingTree() throws IOException {
        write(".stagegate/policy.yaml", GitOpsFixture.POLICY);
        write("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA);
        write("apps/web/values.yaml", "replicas: 2\n");
        write("apps/api/values.yaml", "image: api:1\n");
        write("apps/api/notes.yaml", "not: checked\n");

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations()).singleElement()
                .satisfies(v -> assertThat(v.fileLocation()).isEqualTo("apps/api/values.yaml:1:1"))
                .satisfies(v -> assertThat(v.message()).contains("required property 'replicas' is missing"));
    }

    @Test
    void anInvalidPolicyExitsWithStatus2() throws IOException {
        write(".stagegate/policy.yaml", GitOpsFixture.POLICY.replace("promotesFrom: staging", "promotesFrom: qa"));

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("error [policy-invalid] .stagegate/policy.yaml:");
    }

    @Test
    void noPolicyAtAllExitsWithStatus2() {
        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("no policy at .stagegate/policy.yaml in the working tree of " + dir);
    }

    @Test
    void aPolicyOutsideTheRepositoryOverridesTheOwnOne() throws IOException {
        write(".stagegate/policy.yaml", "not: a policy\n");
        Path server = dir.resolve("server-policy.yaml");
        Files.writeString(server, GitOpsFixture.POLICY.replace("schemas:\n  - files: \"apps/**/values.yaml\"\n"
                + "    schema: schemas/app-values.schema.json\n", ""));

        Outcome outcome = validator.validate(new ValidateRequest(dir, Optional.empty(), Optional.of(server)));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    /** GitOpsFixture.POLICY with a second mapping: lines 20-24 hold the schemas list. */
    private static final String TWO_MAPPINGS = GitOpsFixture.POLICY.replace(
            "    schema: schemas/app-values.schema.json\n",
            "    schema: schemas/app-values.schema.json\n"
                    + "  - files: \"env/values.yaml\"\n"
                    + "    schema: schemas/app-values.schema.json\n");

    private void writeApplication(String policy) throws IOException {
        write(".stagegate/policy.yaml", policy);
        write("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA);
        write("apps/web/values.yaml", "replicas: 2\n");
        write("apps/api/values.yaml", "replicas: 1\n");
        write("env/values.yaml", "replicas: 3\n");
    }

    @Test
    void saysHowManyFilesEachMappingMatched() throws IOException {
        writeApplication(TWO_MAPPINGS);

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(render(outcome)).startsWith(
                "schemas[0] apps/**/values.yaml -> schemas/app-values.schema.json: 2 files\n"
                + "schemas[1] env/values.yaml -> schemas/app-values.schema.json: 1 file\n"
                + "stagegate: accepted (0 errors, 0 warnings)\n");
    }

    @Test
    void theJsonReportCarriesTheCountsBesideDecisionAndViolations() throws IOException {
        writeApplication(TWO_MAPPINGS);

        JsonNode json = new ObjectMapper().readTree(new JsonRenderer().render(validate(dir, null).verdict()));

        assertThat(json.get("decision").asText()).isEqualTo("accept");
        assertThat(json.get("violations").isArray()).isTrue();
        assertThat(json.get("mappings")).hasSize(2);
        assertThat(json.get("mappings").get(0).get("files").asText()).isEqualTo("apps/**/values.yaml");
        assertThat(json.get("mappings").get(0).get("schema").asText()).isEqualTo("schemas/app-values.schema.json");
        assertThat(json.get("mappings").get(0).get("matchedFiles").asInt()).isEqualTo(2);
        assertThat(json.get("mappings").get(1).get("matchedFiles").asInt()).isEqualTo(1);
    }

    @Test
    void aMappingThatMatchesNoFileIsAWarningAtItsPolicyLine() throws IOException {
        writeApplication(TWO_MAPPINGS.replace("\"env/values.yaml\"", "\"env/value.yaml\""));

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("schema-violation");
            assertThat(v.severity()).isEqualTo(Severity.WARNING);
            assertThat(v.fileLocation()).isEqualTo(".stagegate/policy.yaml:23:5");
            assertThat(v.message()).contains("env/value.yaml", "matches no file in the working tree");
        });
        List<String> lines = render(outcome).lines().toList();
        assertThat(lines.get(0)).startsWith("warning [schema-violation] .stagegate/policy.yaml:23:5: schemas[1] files");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "schemas[0] apps/**/values.yaml -> schemas/app-values.schema.json: 2 files",
                "schemas[1] env/value.yaml -> schemas/app-values.schema.json: 0 files",
                "stagegate: accepted (0 errors, 1 warning)");
    }

    @Test
    void aMappingThatMatchesNoFileOfARevisionIsAWarningToo() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.POLICY.replace("apps/**/values.yaml", "app/**/values.yaml"))) {
            Outcome outcome = validate(gitops.repo().directory(), "main");

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(outcome.verdict().violations()).singleElement().satisfies(v -> {
                assertThat(v.severity()).isEqualTo(Severity.WARNING);
                assertThat(v.fileLocation()).isEqualTo(".stagegate/policy.yaml:21:5");
                assertThat(v.message()).contains("matches no file in commit " + gitops.tip("main").name()
                        .substring(0, 12));
            });
        }
    }

    @Test
    void aMissingSchemaIsReportedOnceAtThePolicyLineThatNamesIt() throws IOException {
        writeApplication(GitOpsFixture.POLICY.replace("schema: schemas/app-values.schema.json",
                "schema: schemas/app-value.schema.json"));

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations()).filteredOn(v -> ".stagegate/policy.yaml".equals(v.file()))
                .singleElement().satisfies(v -> {
                    assertThat(v.rule()).isEqualTo("schema-violation");
                    assertThat(v.severity()).isEqualTo(Severity.ERROR);
                    assertThat(v.fileLocation()).isEqualTo(".stagegate/policy.yaml:22:5");
                    assertThat(v.message()).contains("schemas/app-value.schema.json does not exist",
                            "2 files", "are rejected unchecked");
                });
        assertThat(outcome.verdict().violations()).filteredOn(v -> "apps/web/values.yaml".equals(v.file()))
                .hasSize(1);
    }

    @Test
    void aMissingSchemaOfAMappingThatMatchesNothingIsAWarning() throws IOException {
        writeApplication(GitOpsFixture.POLICY.replace("apps/**/values.yaml", "charts/**/values.yaml")
                .replace("schemas/app-values.schema.json", "schemas/chart.schema.json"));

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).extracting(Violation::fileLocation)
                .containsExactly(".stagegate/policy.yaml:21:5", ".stagegate/policy.yaml:22:5");
    }

    @Test
    void aMappingNamingADirectoryChecksEverythingInIt() throws IOException {
        writeApplication(GitOpsFixture.POLICY.replace("\"apps/**/values.yaml\"", "apps/"));
        write("apps/web/extra.yaml", "replicas: none\n");

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(render(outcome)).contains("schemas[0] apps/ -> schemas/app-values.schema.json: 3 files",
                "error [schema-violation] apps/web/extra.yaml:1:1");
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }
    /**
     * The policy's custom rules on every file they match at a revision: production's rules at
     * main, the environment asked for, or without one only the rules for every environment.
     */
    @Nested
    class CustomRules {

        private static final String APP = "config/app.yaml";

        private final CustomRuleFixture productionReplicas = rule("prod-replicas", "config/**", "object.replicas >= 2")
                .environments("production").fieldPath("replicas");
        private final CustomRuleFixture where = rule("where", "config/**", "false")
                .messageExpression("'in ' + environment + ' on ' + branch + ' at ' + path");

        private Outcome validate(ValidateRequest request, Policy policy) throws IOException {
            try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"));
                    ObjectReader reader = gitops.repo().repository().newObjectReader()) {
                RevCommit tip = gitops.repo().commitOn("main").file(APP, "image: web:1\nreplicas: 1\n")
                        .message("one replica").commitTo("main");
                return new RepositoryValidation(new PolicyLoader(), YamlLimits.DEFAULTS).validate(
                        new CommitFiles(reader, tip), request, new PolicyLoadResult(Optional.of(policy), List.of()));
            }
        }

        private ValidateRequest atRevision(String revision) {
            return new ValidateRequest(dir.resolve("server.git"), Optional.of(revision), Optional.empty());
        }

        @Test
        void aRevisionNamingAnEnvironmentsBranchAppliesThatEnvironmentsRules() throws IOException {
            Outcome outcome = validate(atRevision("main"),
                    CustomRuleFixture.policyWith(GitOpsFixture.POLICY, productionReplicas, where));

            assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(outcome.verdict().violations()).extracting(Violation::rule)
                    .containsExactlyInAnyOrder("prod-replicas", "where");
            assertThat(outcome.verdict().violations()).filteredOn(v -> v.rule().equals("prod-replicas"))
                    .singleElement().satisfies(v -> {
                        assertThat(v.file()).isEqualTo(APP);
                        assertThat(v.line()).isEqualTo(2);
                    });
            assertThat(outcome.verdict().violations()).filteredOn(v -> v.rule().equals("where"))
                    .singleElement().extracting(Violation::message).isEqualTo("in production on main at " + APP);
        }

        @Test
        void theEnvironmentAskedForWinsOverTheRevisionsBranch() throws IOException {
            Outcome outcome = validate(atRevision("origin/main").withEnvironment("staging"),
                    CustomRuleFixture.policyWith(GitOpsFixture.POLICY, productionReplicas, where));

            assertThat(outcome.verdict().violations()).extracting(Violation::message)
                    .containsExactly("in staging on staging at " + APP);
        }

        @Test
        void withoutAnEnvironmentOnlyTheRulesForEveryEnvironmentApply() throws IOException {
            Outcome outcome = validate(new ValidateRequest(dir.resolve("server.git"), Optional.empty(), Optional.empty()),
                    CustomRuleFixture.policyWith(GitOpsFixture.POLICY, productionReplicas, where));

            assertThat(outcome.verdict().violations()).extracting(Violation::message)
                    .containsExactly("in  on  at " + APP);
        }

        @Test
        void anUnknownEnvironmentIsAUsageErrorNamingTheKnownOnes() throws IOException {
            Outcome outcome = validate(atRevision("main").withEnvironment("prodution"),
                    CustomRuleFixture.policyWith(GitOpsFixture.POLICY, productionReplicas));

            assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
            assertThat(outcome.verdict().violations()).singleElement().extracting(Violation::message).asString()
                    .contains("unknown environment 'prodution'")
                    .contains("environments: development, testing, staging, production")
                    .contains("'production'?");
        }

        @Test
        void aWorkingTreeOfMoreFilesThanOneSliceIsJudgedWholeSchemaFindingsFirstEachInPathOrder() throws IOException {
            write(".stagegate/policy.yaml", GitOpsFixture.POLICY + """
                    rules:
                      - id: two-replicas
                        files: "apps/**/values.yaml"
                        expression: "object.replicas >= 2"
                    """);
            write("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA);
            List<Integer> brokenSchema = List.of(5, 600, 1099);
            List<Integer> oneReplica = List.of(7, 700);
            for (int app = 0; app < 1_100; app++) {
                String replicas = brokenSchema.contains(app) ? "many" : oneReplica.contains(app) ? "1" : "3";
                write(String.format("apps/app-%04d/values.yaml", app), "image: web:1\nreplicas: " + replicas + "\n");
            }

            Outcome outcome = validator.validate(
                    new ValidateRequest(dir, Optional.empty(), Optional.empty()).withEnvironment("production"));

            assertThat(outcome.verdict().violations()).extracting(v -> v.rule() + " " + v.file()).containsExactly(
                    "schema-violation apps/app-0005/values.yaml",
                    "schema-violation apps/app-0600/values.yaml",
                    "schema-violation apps/app-1099/values.yaml",
                    "two-replicas apps/app-0005/values.yaml",
                    "two-replicas apps/app-0007/values.yaml",
                    "two-replicas apps/app-0600/values.yaml",
                    "two-replicas apps/app-0700/values.yaml",
                    "two-replicas apps/app-1099/values.yaml");
        }

        @Test
        void ruleModesApplyAsInTheHook() throws IOException {
            Policy policy = CustomRuleFixture.policyWith(GitOpsFixture.POLICY).withCustomRules(
                    List.of(productionReplicas.rule(), where.rule()),
                    Map.of("prod-replicas", RuleMode.WARN, "where", RuleMode.OFF));

            Outcome outcome = validate(atRevision("main"), policy);

            assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(outcome.verdict().violations()).singleElement().satisfies(v -> {
                assertThat(v.rule()).isEqualTo("prod-replicas");
                assertThat(v.severity()).isEqualTo(Severity.WARNING);
            });
        }
    }
}
