package dev.stagegate.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.report.SourcePosition;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaValidatorTest {

    private static final String FIXTURES = "schema/validator/";

    private final List<String> reads = new ArrayList<>();

    /** The schema files under src/test/resources/schema/validator, as if they were a revision. */
    private final SchemaSource fixtures = path -> {
        reads.add(path);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FIXTURES + path)) {
            if (in == null) {
                throw new NoSuchFileException(path);
            }
            return in.readAllBytes();
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"valid", "type", "required", "additional-properties", "enum-const-pattern", "range",
            "items", "alternatives", "anchors", "several", "document"})
    void reportsTheFindingsEachFixtureStates(String fixture) throws Exception {
        String text = resource("instances/" + fixture + ".yaml");

        List<String> found = findings(new SchemaValidator(fixtures).load("app.schema.json"), text);

        assertThat(found).containsExactlyInAnyOrderElementsOf(InlineFindings.in(text));
    }

    @Test
    void aForbiddenValueReadsAsWhatIsForbidden() throws Exception {
        SchemaSource source = path -> ("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"properties\": {"
                + "\"tag\": {\"not\": {\"const\": \"latest\"}},"
                + "\"env\": {\"not\": {\"enum\": [\"prod\", \"live\"]}},"
                + "\"name\": {\"not\": {\"type\": \"integer\"}}}}").getBytes(StandardCharsets.UTF_8);

        List<String> found = findings(new SchemaValidator(source).load("not.schema.json"),
                "tag: latest\nenv: live\nname: 3\n");

        assertThat(found).containsExactly(
                "1:1 tag: must not be 'latest'",
                "2:1 env: 'live' is one of the forbidden values: 'prod', 'live'",
                "3:1 name: must not match the schema {\"type\":\"integer\"}");
    }

    @Test
    void sortsProblemsByPositionAndPointsAtTheOffendingNode() throws Exception {
        CompiledSchema schema = new SchemaValidator(fixtures).load("app.schema.json");

        List<SchemaProblem> problems = schema.validate(document(resource("instances/several.yaml")));

        assertThat(problems).extracting(SchemaProblem::position).containsExactly(
                new SourcePosition(2, 1), new SourcePosition(3, 1), new SourcePosition(4, 1),
                new SourcePosition(6, 3), new SourcePosition(7, 3));
        assertThat(problems).extracting(SchemaProblem::pointer).containsExactly(
                "/name", "/replicas", "/port", "/image/repository", "/image/extra");
    }

    @Test
    void aMissingPropertyIsReportedAtTheKeyOfTheMappingThatLacksIt() throws Exception {
        CompiledSchema schema = new SchemaValidator(fixtures).load("app.schema.json");

        List<SchemaProblem> problems = schema.validate(document("""
                name: web
                resources:
                  limits:
                    memory: 1Gi
                image:
                  repository: nginx
                """));

        assertThat(problems).containsExactly(new SchemaProblem("/resources/limits", new SourcePosition(3, 3),
                "resources.limits: required property 'cpu' is missing"));
    }

    @Test
    void aSchemaWithoutDollarSchemaIsDraft07() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("schemas/conditional.json", """
                {"if": {"properties": {"kind": {"const": "Service"}}},
                 "then": {"required": ["port"]}}
                """)));

        List<SchemaProblem> problems = validator.load("schemas/conditional.json").validate(document("kind: Service"));

        assertThat(problems).extracting(SchemaProblem::message).containsExactly("required property 'port' is missing");
    }

    @Test
    void acceptsDraft04AndDraft06WithTheirOwnRules() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "draft-04.json", """
                        {"$schema": "http://json-schema.org/draft-04/schema#",
                         "properties": {"replicas": {"minimum": 1, "exclusiveMinimum": true}}}
                        """,
                "draft-06.json", """
                        {"$schema": "http://json-schema.org/draft-06/schema#",
                         "properties": {"replicas": {"exclusiveMinimum": 1}}}
                        """)));

        assertThat(validator.load("draft-04.json").validate(document("replicas: 1")))
                .extracting(SchemaProblem::message).containsExactly("replicas: must be greater than 1, found 1");
        assertThat(validator.load("draft-06.json").validate(document("replicas: 1")))
                .extracting(SchemaProblem::message).containsExactly("replicas: must be greater than 1, found 1");
    }

    @Test
    void refusesJsonSchema202012() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("schemas/x.schema.json", """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
                """)));

        assertThatThrownBy(() -> validator.load("schemas/x.schema.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("schemas/x.schema.json declares JSON Schema 2020-12, which stagegate"
                        + " cannot check; use draft-07");
    }

    @Test
    void refusesJsonSchema201909() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("schemas/x.schema.json", """
                {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object"}
                """)));

        assertThatThrownBy(() -> validator.load("schemas/x.schema.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("schemas/x.schema.json declares JSON Schema 2019-09, which stagegate"
                        + " cannot check; use draft-07");
    }

    @Test
    void refusesAnUnknownDollarSchema() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("x.json", """
                {"$schema": "https://example.com/my-meta-schema", "type": "object"}
                """)));

        assertThatThrownBy(() -> validator.load("x.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("x.json declares $schema 'https://example.com/my-meta-schema', which"
                        + " stagegate cannot check");
    }

    @Test
    void refusesAnUnsupportedDraftInAReferencedFile() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "schemas/app.json", "{\"properties\": {\"a\": {\"$ref\": \"new.json\"}}}",
                "schemas/new.json", "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}")));

        assertThatThrownBy(() -> validator.load("schemas/app.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("schemas/new.json declares JSON Schema 2020-12")
                .hasMessageEndingWith("(referenced from schemas/app.json)");
    }

    @Test
    void resolvesRefsToOtherFilesRelativeToTheReferringFile() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "schemas/apps/web.json", """
                        {"properties": {"port": {"$ref": "../common.json#/definitions/port"},
                                        "name": {"$ref": "./name.json"}}}
                        """,
                "schemas/apps/name.json", "{\"type\": \"string\"}",
                "schemas/common.json", "{\"definitions\": {\"port\": {\"type\": \"integer\"}}}")));

        List<SchemaProblem> problems = validator.load("schemas/apps/web.json").validate(document("""
                port: http
                name: 7
                """));

        assertThat(problems).extracting(SchemaProblem::message)
                .containsExactly("port: expected integer, found string", "name: expected string, found integer");
    }

    @Test
    void mapsRefsBelowAnAbsoluteIdToFilesBesideTheSchemaThatDeclaresIt() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "schemas/app.json", """
                        {"$id": "https://schemas.example.com/deploy/app.json",
                         "properties": {"port": {"$ref": "common.json#/definitions/port"}}}
                        """,
                "schemas/common.json", "{\"definitions\": {\"port\": {\"type\": \"integer\"}}}")));

        assertThat(validator.load("schemas/app.json").validate(document("port: http")))
                .extracting(SchemaProblem::message).containsExactly("port: expected integer, found string");
    }

    @Test
    void followsRecursiveRefsBetweenTwoFilesAsDeepAsTheDocumentGoes() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "tree.json", """
                        {"type": "object",
                         "properties": {"name": {"type": "string"}, "child": {"$ref": "node.json"}}}
                        """,
                "node.json", """
                        {"type": "object", "properties": {"child": {"$ref": "tree.json"}}}
                        """)));

        List<SchemaProblem> problems = validator.load("tree.json").validate(document("""
                child:
                  child:
                    name: 1
                    child:
                      child:
                        name: 2
                """));

        assertThat(problems).extracting(SchemaProblem::message).containsExactly(
                "child.child.name: expected string, found integer",
                "child.child.child.child.name: expected string, found integer");
    }

    @Test
    void refusesARefLoopThatNeverReachesAValue() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "a.json", "{\"$ref\": \"b.json\"}",
                "b.json", "{\"allOf\": [{\"$ref\": \"a.json\"}]}")));

        assertThatThrownBy(() -> validator.load("a.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageContaining("a.json has a $ref cycle that never reaches a value to check")
                .hasMessageContaining("a.json")
                .hasMessageContaining("b.json");
    }

    @Test
    void refusesAPropertyThatRefersToItself() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "self.json", "{\"properties\": {\"x\": {\"$ref\": \"#/properties/x\"}}}")));

        assertThatThrownBy(() -> validator.load("self.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("self.json has a $ref cycle that never reaches a value to check:"
                        + " self.json#/properties/x -> self.json#/properties/x");
    }

    @Test
    void refusesAnHttpRefWithoutGoingToTheNetwork() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("schemas/remote.json", """
                {"properties": {"x": {"$ref": "http://192.0.2.1/x.json"}}}
                """)));

        assertThatThrownBy(() -> validator.load("schemas/remote.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("schemas/remote.json: $ref http://192.0.2.1/x.json is not a file of this"
                        + " revision; stagegate reads schemas only from the revision, never from the network");
        assertThat(reads).containsExactly("schemas/remote.json");
    }

    @Test
    void refusesARefOutsideTheRepository() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("schemas/evil.json", """
                {"properties": {"x": {"$ref": "../../etc/passwd"}}}
                """)));

        assertThatThrownBy(() -> validator.load("schemas/evil.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("schemas/evil.json: $ref to ../etc/passwd points outside the repository");
        assertThat(reads).containsExactly("schemas/evil.json");
    }

    @Test
    void refusesASchemaPathOutsideTheRepository() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of()));

        assertThatThrownBy(() -> validator.load("../secrets.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("schema path '../secrets.json' is not a file inside the repository");
        assertThat(reads).isEmpty();
    }

    @Test
    void namesAMissingReferencedFile() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "schemas/app.json", "{\"properties\": {\"x\": {\"$ref\": \"common.json#/definitions/x\"}}}")));

        assertThatThrownBy(() -> validator.load("schemas/app.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("schemas/common.json does not exist (referenced from schemas/app.json)");
    }

    @Test
    void namesARefToADefinitionThatDoesNotExist() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "schemas/app.json", "{\"properties\": {\"x\": {\"$ref\": \"common.json#/definitions/nope\"}}}",
                "schemas/common.json", "{\"definitions\": {\"x\": {}}}")));

        assertThatThrownBy(() -> validator.load("schemas/app.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("schemas/app.json is not a valid schema: schemas/common.json#/definitions:"
                        + " key [nope] not found");
    }

    @Test
    void namesAMissingSchemaFile() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of()));

        assertThatThrownBy(() -> validator.load("schemas/app.schema.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("schemas/app.schema.json does not exist");
    }

    @Test
    void givesThePositionOfASyntaxErrorInTheSchema() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("broken.json", """
                {
                  "type": "object",
                  "properties": {
                }
                """)));

        assertThatThrownBy(() -> validator.load("broken.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("broken.json:5:1: not valid JSON");
    }

    @Test
    void namesAnInvalidKeywordValue() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "bad.json", "{\"properties\": {\"a\": {\"type\": 5}, \"b\": {\"pattern\": \"(\"}}}")));

        assertThatThrownBy(() -> validator.load("bad.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessageStartingWith("bad.json is not a valid schema: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAFileThatIsNoSchemaObject() {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("list.json", "[1, 2]")));

        assertThatThrownBy(() -> validator.load("list.json"))
                .isInstanceOf(SchemaLoadException.class)
                .hasMessage("list.json is not a schema: a schema file holds one JSON object");
    }

    @Test
    void readsSchemasWrittenInYaml() throws Exception {
        CompiledSchema schema = new SchemaValidator(fixtures).load("app.schema.yaml");

        assertThat(schema.validate(document("replicas: 0")))
                .extracting(SchemaProblem::message)
                .containsExactly("required property 'name' is missing", "replicas: must be at least 1, found 0");
    }

    @Test
    void keepsNonAsciiTextOfReferencedSchemas() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of(
                "app.json", "{\"properties\": {\"city\": {\"$ref\": \"cities.json\"}}}",
                "cities.json", "{\"enum\": [\"Zürich\", \"Kraków\"]}")));

        CompiledSchema schema = validator.load("app.json");

        assertThat(schema.validate(document("city: Zürich"))).isEmpty();
        assertThat(schema.validate(document("city: Wien"))).extracting(SchemaProblem::message)
                .containsExactly("city: 'Wien' is not one of the allowed values: 'Zürich', 'Kraków'");
    }

    @Test
    void reportsOneOfMatchingMoreThanOneAlternative() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("one.json", """
                {"properties": {"size": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}}}
                """)));

        assertThat(validator.load("one.json").validate(document("size: 3")))
                .extracting(SchemaProblem::message)
                .containsExactly("size: matches 2 alternatives of oneOf, but must match exactly one");
    }

    @Test
    void quotesKeysThatAreNoPlainNames() throws Exception {
        SchemaValidator validator = new SchemaValidator(inMemory(Map.of("labels.json", """
                {"properties": {"labels": {"additionalProperties": {"type": "string"}}}}
                """)));

        List<SchemaProblem> problems = validator.load("labels.json").validate(document("""
                labels:
                  app.kubernetes.io/name: 1
                """));

        assertThat(problems).containsExactly(new SchemaProblem("/labels/app.kubernetes.io~1name",
                new SourcePosition(2, 3), "labels.\"app.kubernetes.io/name\": expected string, found integer"));
    }

    @Test
    void compilesEachSchemaOnceAndRemembersFailures() throws Exception {
        Map<String, String> files = new HashMap<>();
        files.put("app.json", "{\"properties\": {\"port\": {\"$ref\": \"common.json#/definitions/port\"}}}");
        files.put("common.json", "{\"definitions\": {\"port\": {\"type\": \"integer\"}}}");
        SchemaValidator validator = new SchemaValidator(inMemory(files));

        CompiledSchema first = validator.load("app.json");
        CompiledSchema second = validator.load("./app.json");
        assertThatThrownBy(() -> validator.load("missing.json")).isInstanceOf(SchemaLoadException.class);
        assertThatThrownBy(() -> validator.load("missing.json")).isInstanceOf(SchemaLoadException.class);

        assertThat(second).isSameAs(first);
        assertThat(reads).containsExactly("app.json", "common.json", "missing.json");
    }

    @Test
    void readsTheSchemasBundledWithStagegate() throws Exception {
        byte[] schema = SchemaSource.bundled().read("policy.schema.json");

        assertThat(new String(schema, StandardCharsets.UTF_8)).contains("\"$schema\"");
        assertThatThrownBy(() -> SchemaSource.bundled().read("no-such.schema.json"))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> SchemaSource.bundled().read("../../../etc/passwd"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void compilesTheSchemasBundledWithStagegate() throws Exception {
        SchemaValidator bundled = new SchemaValidator(SchemaSource.bundled());

        assertThat(bundled.load("policy.schema.json")).isNotNull();
        assertThat(bundled.load("evidence.schema.json")).isNotNull();
    }

    private SchemaSource inMemory(Map<String, String> files) {
        return path -> {
            reads.add(path);
            String text = files.get(path);
            if (text == null) {
                throw new NoSuchFileException(path);
            }
            return text.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static List<String> findings(CompiledSchema schema, String yaml) throws YamlReadException {
        List<String> found = new ArrayList<>();
        for (YamlDocument document : new LocatedYamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml")) {
            for (SchemaProblem problem : schema.validate(document)) {
                found.add(problem.position() + " " + problem.message());
            }
        }
        return found;
    }

    private static YamlDocument document(String yaml) throws YamlReadException {
        return new LocatedYamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml").get(0);
    }

    private String resource(String path) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FIXTURES + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
