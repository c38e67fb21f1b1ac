package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SarifRendererTest {

    private static final String MAIN = "refs/heads/main";
    private static final String COMMIT = "3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345";

    private static CompiledSchema sarifSchema;

    private final ObjectMapper mapper = new ObjectMapper();

    /** The official SARIF 2.1.0 schema, kept next to this test (see report/README.md). */
    @BeforeAll
    static void loadSchema() throws Exception {
        sarifSchema = new SchemaValidator(path -> {
            try (InputStream in = SarifRendererTest.class.getClassLoader().getResourceAsStream("report/" + path)) {
                if (in == null) {
                    throw new NoSuchFileException(path);
                }
                return in.readAllBytes();
            }
        }).load("sarif-schema-2.1.0.json");
    }

    @Test
    void aRejectionIsValidSarifWithOneResultPerViolation() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "replicas: expected integer, found string")
                        .at("apps/a/values.yaml", 3, 5).inContext(MAIN, "production", COMMIT),
                Violation.error("skipped-stage", "content was never in staging").inContext(MAIN, "production", COMMIT),
                Violation.warning("environment-leak", "env/prod.yaml now equals staging's").at("env/prod.yaml", 0, 0)));

        String sarif = new SarifRenderer("1.2.3").render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode log = mapper.readTree(sarif);
        assertThat(log.path("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        assertThat(log.path("runs")).hasSize(1);
        JsonNode driver = log.path("runs").get(0).path("tool").path("driver");
        assertThat(driver.path("name").asText()).isEqualTo("stagegate");
        assertThat(driver.path("version").asText()).isEqualTo("1.2.3");
        assertThat(driver.path("informationUri").asText()).startsWith("https://");
        assertThat(results(log)).hasSize(3);
        assertThat(log.path("runs").get(0).path("invocations").get(0).path("executionSuccessful").asBoolean()).isTrue();
        assertThat(log.path("runs").get(0).path("properties").path("decision").asText()).isEqualTo("reject");
    }

    @Test
    void listsEveryRuleThatReportedOnceWithItsSummaryAndIndex() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "a").at("a.yaml", 1, 1),
                Violation.error("schema-violation", "b").at("b.yaml", 2, 1),
                Violation.warning("policy-loosened", "c").inContext(MAIN, null, null)));

        JsonNode log = mapper.readTree(new SarifRenderer("1.0").render(verdict));

        JsonNode rules = log.path("runs").get(0).path("tool").path("driver").path("rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(rule -> ids.add(rule.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("schema-violation", "policy-loosened");
        for (JsonNode rule : rules) {
            assertThat(rule.path("shortDescription").path("text").asText())
                    .isEqualTo(RuleSummaries.of(rule.path("id").asText()))
                    .isNotEqualTo(rule.path("id").asText());
        }
        for (JsonNode result : results(log)) {
            assertThat(rules.get(result.path("ruleIndex").asInt()).path("id").asText())
                    .isEqualTo(result.path("ruleId").asText());
        }
        JsonNode loosened = rules.get(ids.indexOf("policy-loosened"));
        assertThat(loosened.path("defaultConfiguration").path("level").asText()).isEqualTo("warning");
    }

    @Test
    void listsEveryCustomRuleOfThePolicyWithItsMessageWhetherItReportedOrNot() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "a").at("apps/a/values.yaml", 1, 1),
                Violation.error("prod-replicas", "production runs at least two replicas")
                        .at("apps/a/values.yaml", 4, 3).inContext(MAIN, "production", COMMIT),
                Violation.warning("no-latest", "image.tag: latest").at("apps/b/values.yaml", 2, 5)))
                .withCustomRules(List.of(
                        new RuleDescription("no-latest", "no :latest tag past development", Severity.WARNING, true),
                        new RuleDescription("prod-replicas", "production runs at least two replicas", Severity.ERROR,
                                true),
                        new RuleDescription("quiet-rule", "object.replicas >= 1", Severity.ERROR, true),
                        new RuleDescription("turned-off", "has(object.image)", Severity.WARNING, false)));

        String sarif = new SarifRenderer("1.0").render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode log = mapper.readTree(sarif);
        JsonNode rules = log.path("runs").get(0).path("tool").path("driver").path("rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(rule -> ids.add(rule.path("id").asText()));
        assertThat(ids).containsExactly("schema-violation", "no-latest", "prod-replicas", "quiet-rule", "turned-off");
        assertThat(rules.get(ids.indexOf("schema-violation")).path("shortDescription").path("text").asText())
                .isEqualTo(RuleSummaries.of("schema-violation"));
        assertThat(rules.get(ids.indexOf("no-latest")).path("shortDescription").path("text").asText())
                .isEqualTo("no :latest tag past development");
        assertThat(rules.get(ids.indexOf("no-latest")).path("defaultConfiguration").path("level").asText())
                .isEqualTo("warning");
        assertThat(rules.get(ids.indexOf("quiet-rule")).path("shortDescription").path("text").asText())
                .isEqualTo("object.replicas >= 1");
        assertThat(rules.get(ids.indexOf("quiet-rule")).path("defaultConfiguration").path("level").asText())
                .isEqualTo("error");
        assertThat(rules.get(ids.indexOf("quiet-rule")).path("defaultConfiguration").has("enabled")).isFalse();
        assertThat(rules.get(ids.indexOf("turned-off")).path("defaultConfiguration").path("enabled").asBoolean())
                .isFalse();
        assertThat(results(log)).hasSize(3);
        for (JsonNode result : results(log)) {
            assertThat(rules.get(result.path("ruleIndex").asInt()).path("id").asText())
                    .isEqualTo(result.path("ruleId").asText());
        }
    }

    @Test
    void aCustomRuleFromNoDescribedPolicyStillGetsAnEntryForItsResults() throws Exception {
        Verdict verdict = Verdict.of(List.of(Violation.error("prod-replicas", "too few").at("a.yaml", 1, 1)));

        String sarif = new SarifRenderer("1.0").render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode log = mapper.readTree(sarif);
        JsonNode rule = log.path("runs").get(0).path("tool").path("driver").path("rules").get(0);
        assertThat(rule.path("id").asText()).isEqualTo("prod-replicas");
        assertThat(results(log).get(0).path("ruleIndex").asInt()).isZero();
    }

    @Test
    void fileViolationsCarryTheirPathAndRegion() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "bad").at("apps/a/values.yaml", 3, 5),
                Violation.error("schema-violation", "whole document").at("apps/b/values.yaml", 7, 0)));

        JsonNode log = mapper.readTree(new SarifRenderer("1.0").render(verdict));

        JsonNode first = physical(results(log).get(0));
        assertThat(first.path("artifactLocation").path("uri").asText()).isEqualTo("apps/a/values.yaml");
        assertThat(first.path("artifactLocation").path("uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(first.path("region").path("startLine").asInt()).isEqualTo(3);
        assertThat(first.path("region").path("startColumn").asInt()).isEqualTo(5);
        JsonNode second = physical(results(log).get(1));
        assertThat(second.path("region").path("startLine").asInt()).isEqualTo(7);
        assertThat(second.path("region").has("startColumn")).isFalse();
    }

    @Test
    void refViolationsPointAtThePolicyAndNameTheRef() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("missing-evidence", "no passing integration run").inContext(MAIN, "production", COMMIT)));

        String sarif = new SarifRenderer("1.0").render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode result = results(mapper.readTree(sarif)).get(0);
        JsonNode location = result.path("locations").get(0);
        assertThat(location.path("physicalLocation").path("artifactLocation").path("uri").asText())
                .isEqualTo(".stagegate/policy.yaml");
        assertThat(location.path("physicalLocation").has("region")).isFalse();
        assertThat(location.path("logicalLocations").get(0).path("fullyQualifiedName").asText()).isEqualTo(MAIN);
        assertThat(result.path("level").asText()).isEqualTo("error");
        assertThat(result.path("message").path("text").asText()).isEqualTo("no passing integration run");
        JsonNode properties = result.path("properties");
        assertThat(properties.path("ref").asText()).isEqualTo(MAIN);
        assertThat(properties.path("environment").asText()).isEqualTo("production");
        assertThat(properties.path("commit").asText()).isEqualTo(COMMIT);
    }

    @Test
    void anAcceptedVerdictWithoutViolationsIsValidAndEmpty() throws Exception {
        String sarif = new SarifRenderer("1.0").render(Verdict.accepted());

        assertThat(problems(sarif)).isEmpty();
        JsonNode log = mapper.readTree(sarif);
        assertThat(results(log)).isEmpty();
        assertThat(log.path("runs").get(0).path("tool").path("driver").path("rules")).isEmpty();
        assertThat(log.path("runs").get(0).path("properties").path("decision").asText()).isEqualTo("accept");
    }

    @Test
    void runErrorsAndNotesAreReportedAsTheRunsOwn() throws Exception {
        Verdict verdict = Verdict.of(List.of(Violation.runError("shallow clone: fetch the full history")))
                .withNote("no policy governs refs/tags/v1");

        String sarif = new SarifRenderer(null).render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode run = mapper.readTree(sarif).path("runs").get(0);
        assertThat(run.path("tool").path("driver").has("version")).isFalse();
        assertThat(run.path("tool").path("driver").path("rules").get(0).path("id").asText()).isEqualTo("stagegate");
        JsonNode invocation = run.path("invocations").get(0);
        assertThat(invocation.path("executionSuccessful").asBoolean()).isFalse();
        assertThat(invocation.path("toolExecutionNotifications").get(0).path("message").path("text").asText())
                .isEqualTo("no policy governs refs/tags/v1");
    }

    @Test
    void pathsBecomeUriReferencesAndTextStaysAsItIs() throws Exception {
        String message = "quote \" backslash \\ newline \n tab \t unicode \u00e9\u65e5\u672c \ud83d\ude80 <&>";
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", message).at("apps/my app/v\u00e4lues:1.yaml", 1, 1)));

        String sarif = new SarifRenderer("1.0").render(verdict);

        assertThat(problems(sarif)).isEmpty();
        JsonNode result = results(mapper.readTree(sarif)).get(0);
        assertThat(physical(result).path("artifactLocation").path("uri").asText())
                .isEqualTo("apps/my%20app/v%C3%A4lues%3A1.yaml");
        assertThat(result.path("message").path("text").asText()).isEqualTo(message);
    }

    @Test
    void theSchemaCheckCatchesInvalidSarif() throws Exception {
        String broken = new SarifRenderer("1.0")
                .render(Verdict.of(List.of(Violation.error("schema-violation", "x").at("a.yaml", 2, 3))))
                .replace("\"startLine\" : 2", "\"startLine\" : 0")
                .replace("\"version\" : \"2.1.0\"", "\"version\" : \"2.0.0\"");

        assertThat(problems(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void uriEncodingKeepsPathCharactersAndEncodesTheRest() {
        assertThat(SarifRenderer.uriOf("a/b-c_d.e~f/g+h=i@j(k)")).isEqualTo("a/b-c_d.e~f/g+h=i@j(k)");
        assertThat(SarifRenderer.uriOf("a b/%/#?/:")).isEqualTo("a%20b/%25/%23%3F/%3A");
    }

    private static List<String> problems(String sarif) throws Exception {
        List<String> problems = new ArrayList<>();
        for (SchemaProblem problem : sarifSchema.validate(
                new LocatedYamlReader().read(sarif.getBytes(StandardCharsets.UTF_8), "report.sarif.json").get(0))) {
            problems.add(problem.position() + " " + problem.message());
        }
        return problems;
    }

    private static JsonNode results(JsonNode log) {
        return log.path("runs").get(0).path("results");
    }

    private static JsonNode physical(JsonNode result) {
        return result.path("locations").get(0).path("physicalLocation");
    }
}
