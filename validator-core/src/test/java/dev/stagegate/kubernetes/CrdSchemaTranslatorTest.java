package dev.stagegate.kubernetes;

import static dev.stagegate.kubernetes.KubernetesFixtures.compile;
import static dev.stagegate.kubernetes.KubernetesFixtures.pointers;
import static dev.stagegate.kubernetes.KubernetesFixtures.problems;
import static dev.stagegate.kubernetes.KubernetesFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.report.SourcePosition;
import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each construct of a CRD schema, translated and then exercised with resources that the API
 * server (apiextensions-apiserver 1.31, research/k8s/NOTES.md section 5) accepts or refuses.
 */
class CrdSchemaTranslatorTest {

    private final CrdSchemaTranslator translator = new CrdSchemaTranslator();

    /** A CRD for example.com/v1 Widget whose spec is {@code specSchema} (YAML, indented for its place). */
    private static String widgetCrd(String specSchema) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.example.com
                spec:
                  group: example.com
                  names:
                    kind: Widget
                    plural: widgets
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          apiVersion:
                            type: string
                          kind:
                            type: string
                          metadata:
                            type: object
                          spec:
                """ + specSchema.stripTrailing().indent(12);
    }

    private static String widget(String spec) {
        return "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n" + spec.indent(2);
    }

    private CompiledSchema widgetSchema(String specSchema, boolean strict) throws Exception {
        CrdTranslation translation = translator.translate(yaml(widgetCrd(specSchema)), strict);
        assertThat(translation.problems()).isEmpty();
        assertThat(translation.schemas()).hasSize(1);
        return compile(translation.schemas().get(0).schema());
    }

    // --- the sample with all four extensions, against a hand-written expectation ---

    private static final String ALL_EXTENSIONS = """
            type: object
            required: [port]
            properties:
              port:
                x-kubernetes-int-or-string: true
                anyOf:
                - type: integer
                - type: string
              comment:
                type: string
                nullable: true
              size:
                type: string
                enum: [small, large]
                nullable: true
              values:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              template:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
            x-kubernetes-validations:
            - rule: self.port != 0
              message: port must not be 0
            """;

    /** What the API server's semantics come to in draft-07, written by hand; metadata is ObjectMetaSchema's. */
    private static JSONObject handWrittenWidgetSchema(boolean strict) {
        String closed = strict ? ", \"additionalProperties\": false" : "";
        JSONObject schema = new JSONObject("""
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "type": "object",
                 "required": ["apiVersion", "kind"],
                 "properties": {
                   "apiVersion": {"type": "string", "enum": ["example.com/v1"]},
                   "kind": {"type": "string", "enum": ["Widget"]},
                   "spec": {
                     "type": "object",
                     "required": ["port"],
                     "properties": {
                       "port": {"type": ["integer", "string"]},
                       "comment": {"type": ["string", "null"]},
                       "size": {"type": ["string", "null"], "enum": ["small", "large"]},
                       "values": {"type": "object"},
                       "template": {
                         "type": "object",
                         "required": ["apiVersion", "kind"],
                         "properties": {
                           "apiVersion": {"type": "string", "minLength": 1},
                           "kind": {"type": "string", "minLength": 1}
                         }
                       }
                     }CLOSED
                   }
                 }CLOSED
                }""".replace("CLOSED", closed));
        schema.getJSONObject("properties").put("metadata", ObjectMetaSchema.of(strict, true));
        schema.getJSONObject("properties").getJSONObject("spec").getJSONObject("properties")
                .getJSONObject("template").getJSONObject("properties").put("metadata", ObjectMetaSchema.of(strict, false));
        return schema;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void translatesAllFourExtensionsAsWrittenByHand(boolean strict) {
        CrdTranslation translation = translator.translate(yaml(widgetCrd(ALL_EXTENSIONS)), strict);

        assertThat(translation.schemas()).singleElement().satisfies(schema -> {
            assertThat(schema.gvk()).isEqualTo(new GroupVersionKind("example.com", "v1", "Widget"));
            assertThat(schema.schema().similar(handWrittenWidgetSchema(strict)))
                    .as(schema.schema().toString(2)).isTrue();
        });
    }

    @Test
    void theGeneratedAndTheHandWrittenSchemaJudgeEachResourceAlike() throws Exception {
        for (boolean strict : new boolean[] {false, true}) {
            CompiledSchema generated = compile(translator.translate(yaml(widgetCrd(ALL_EXTENSIONS)), strict)
                    .schemas().get(0).schema());
            CompiledSchema handWritten = compile(handWrittenWidgetSchema(strict));
            Map<String, List<String>> expected = new LinkedHashMap<>();
            expected.put(widget("port: 80\ncomment: null\n"), List.of());
            expected.put(widget("port: 80\nsize: null\n"), List.of("/spec/size"));
            expected.put(widget("port: 80%\nvalues: {any: [thing]}\n"
                    + "template: {apiVersion: v1, kind: ConfigMap, data: {a: b}}\n"), List.of());
            expected.put(widget("port: true\n"), List.of("/spec/port"));
            expected.put(widget("port: null\n"), List.of("/spec/port"));
            expected.put(widget("comment: 3\nport: 1\n"), List.of("/spec/comment"));
            expected.put(widget("size: medium\nport: 1\n"), List.of("/spec/size"));
            expected.put(widget("port: 1\ntemplate: {kind: ConfigMap}\n"), List.of("/spec/template"));
            expected.put(widget("port: 1\ntemplate: {apiVersion: '', kind: ConfigMap}\n"),
                    List.of("/spec/template/apiVersion"));
            expected.put(widget("port: 1\ntemplate: {apiVersion: v1, kind: ConfigMap, metadata: {labels: {on: true}}}\n"),
                    List.of("/spec/template/metadata/labels/on"));
            expected.put(widget("port: 1\ncolour: red\n"), strict ? List.of("/spec/colour") : List.of());
            for (Map.Entry<String, List<String>> resource : expected.entrySet()) {
                assertThat(pointers(generated, resource.getKey())).as(resource.getKey())
                        .isEqualTo(pointers(handWritten, resource.getKey()))
                        .isEqualTo(resource.getValue());
            }
        }
    }

    // --- each construct on its own ---

    @Test
    void nullableAllowsNullButANullableEnumStillRefusesItUnlessItListsIt() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  size: {type: string, enum: [small, large], nullable: true}
                  mode: {type: string, enum: [fast, null], nullable: true}
                  owner:
                    type: object
                    nullable: true
                    properties:
                      name: {type: string}
                  tags: {type: array, nullable: true, items: {type: string}}
                  plain: {type: string}
                """, false);

        assertThat(problems(schema, widget("owner: null\ntags: null\nmode: null\n"))).isEmpty();
        assertThat(pointers(schema, widget("size: null\n"))).containsExactly("/spec/size");
        assertThat(pointers(schema, widget("plain: null\n"))).containsExactly("/spec/plain");
        // a nullable type list is an anyOf to Everit: the closest alternative speaks, at the key itself
        assertThat(pointers(schema, widget("owner: {name: 3}\n"))).containsExactly("/spec/owner/name");
    }

    @Test
    void intOrStringIsAnIntegerOrAStringAndNothingElseAtTheKeysOwnLine() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  maxSurge:
                    anyOf: [{type: integer}, {type: string}]
                    x-kubernetes-int-or-string: true
                  port:
                    allOf:
                    - anyOf: [{type: integer}, {type: string}]
                    - pattern: '^[0-9a-z%]+$'
                    x-kubernetes-int-or-string: true
                """, false);

        assertThat(problems(schema, widget("maxSurge: 25%\nport: 8080\n"))).isEmpty();
        assertThat(problems(schema, widget("maxSurge: 1\nport: http\n"))).isEmpty();
        assertThat(problems(schema, widget("maxSurge: true\n"))).singleElement().asString()
                .startsWith("/spec/maxSurge 6:3 ");
        assertThat(pointers(schema, widget("maxSurge: [1]\nport: 1.5\n"))).containsExactly("/spec/maxSurge", "/spec/port");
        assertThat(pointers(schema, widget("port: HTTP\n"))).containsExactly("/spec/port");
    }

    @Test
    void preservedUnknownFieldsPassEvenInStrictModeUntilANestedObjectDeclaresProperties() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  values:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
                    properties:
                      image:
                        type: object
                        properties:
                          tag: {type: string}
                  raw:
                    x-kubernetes-preserve-unknown-fields: true
                """, true);

        assertThat(problems(schema, widget("values: {replicas: 3, image: {tag: v1}}\nraw: [1, {a: b}]\n"))).isEmpty();
        assertThat(pointers(schema, widget("values: {image: {tag: v1, digest: sha}}\n")))
                .containsExactly("/spec/values/image/digest");
        assertThat(pointers(schema, widget("values: {image: {tag: 1}}\n"))).containsExactly("/spec/values/image/tag");
    }

    @Test
    void anEmbeddedResourceNeedsApiVersionKindAndValidMetadata() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    properties:
                      spec:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                """, true);

        assertThat(problems(schema, widget("template: {apiVersion: v1, kind: Pod, metadata: {labels: {app: web}},"
                + " spec: {containers: []}}\n"))).isEmpty();
        assertThat(problems(schema, widget("template: {spec: {}}\n"))).containsExactly(
                "/spec/template 6:3 spec.template: required property 'apiVersion' is missing",
                "/spec/template 6:3 spec.template: required property 'kind' is missing");
        assertThat(pointers(schema, widget("template: {apiVersion: v1, kind: Pod, metadata: {labels: {app: 3}}}\n")))
                .containsExactly("/spec/template/metadata/labels/app");
        assertThat(pointers(schema, widget("template: {apiVersion: v1, kind: Pod, extra: 1}\n")))
                .containsExactly("/spec/template/extra");
    }

    @Test
    void celRulesAreNotEvaluatedAndOtherExtensionsAreDropped() throws Exception {
        String specSchema = """
                type: object
                x-kubernetes-validations:
                - rule: self.min <= self.max
                  message: min must not exceed max
                x-kubernetes-map-type: atomic
                properties:
                  min: {type: integer}
                  max: {type: integer}
                  hosts:
                    type: array
                    x-kubernetes-list-type: set
                    items: {type: string}
                """;
        JSONObject translated = translator.translate(yaml(widgetCrd(specSchema)), false).schemas().get(0).schema();
        CompiledSchema schema = compile(translated);

        assertThat(translated.toString()).doesNotContain("x-kubernetes");
        assertThat(problems(schema, widget("min: 5\nmax: 1\n"))).isEmpty();
        assertThat(pointers(schema, widget("hosts: [a, b, a]\n"))).containsExactly("/spec/hosts");
    }

    @Test
    void strictModeRefusesUnknownFieldsOnlyWhereTheServerWouldDropThem() throws Exception {
        String specSchema = """
                type: object
                properties:
                  replicas: {type: integer}
                  labels:
                    type: object
                    additionalProperties: {type: string}
                  anyKind:
                    type: object
                    properties:
                      a: {type: string}
                    additionalProperties: true
                """;
        String resource = widget("replicas: 1\nreplica: 2\nlabels: {a: b}\nanyKind: {a: x, b: y}\n");
        String unknownMetadata = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labelz: {}\n";

        assertThat(problems(widgetSchema(specSchema, false), resource)).isEmpty();
        assertThat(problems(widgetSchema(specSchema, false), unknownMetadata)).isEmpty();
        assertThat(problems(widgetSchema(specSchema, true), resource)).containsExactly("/spec/replica 7:3 spec.replica:"
                + " property not allowed by the schema (allowed: anyKind, labels, replicas)");
        assertThat(pointers(widgetSchema(specSchema, true), unknownMetadata)).containsExactly("/metadata/labelz");
        assertThat(pointers(widgetSchema(specSchema, true), "apiVersion: example.com/v1\nkind: Widget\nstatus: {}\n"))
                .containsExactly("/status");
    }

    @Test
    void theResourceIsCheckedAsAResourceOfThisGroupVersionAndKind() throws Exception {
        CompiledSchema schema = widgetSchema("type: object\n", false);

        assertThat(pointers(schema, "apiVersion: example.com/v2\nkind: Widget\n")).containsExactly("/apiVersion");
        assertThat(pointers(schema, "apiVersion: example.com/v1\nkind: Gadget\n")).containsExactly("/kind");
        assertThat(pointers(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: My_Widget}\n"))
                .containsExactly("/metadata/name");
        assertThat(pointers(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {labels: {tier: 1}}\n"))
                .containsExactly("/metadata/labels/tier");
        assertThat(pointers(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {labels: {tier: '-x'}}\n"))
                .containsExactly("/metadata/labels/tier");
        assertThat(problems(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: web.example-1\n"
                + "  creationTimestamp: null\n  annotations: {note: long text, example.com/x: 'y'}\n")).isEmpty();
    }

    @Test
    void whatTheCrdSaysOfTheNameNarrowsObjectMeta() throws Exception {
        String crd = widgetCrd("type: object\n").replace("""
                          metadata:
                            type: object
                """, """
                          metadata:
                            type: object
                            properties:
                              name:
                                type: string
                                maxLength: 8
                """);
        CompiledSchema schema = compile(translator.translate(yaml(crd), true).schemas().get(0).schema());

        assertThat(problems(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: short, namespace: x}\n"))
                .isEmpty();
        assertThat(pointers(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: much-too-long}\n"))
                .containsExactly("/metadata/name");
    }

    @Test
    void aDefaultedPropertyIsNotRequiredBecauseTheServerFillsItIn() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                required: [interval, mode]
                properties:
                  interval: {type: string}
                  mode: {type: string, default: Fast}
                """, false);

        assertThat(pointers(schema, widget("interval: 1m\n"))).isEmpty();
        assertThat(problems(schema, widget("mode: Slow\n"))).singleElement().asString().contains("interval");
    }

    @Test
    void openApiExclusiveBoundsBecomeDraft07Ones() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false}
                """, false);

        assertThat(problems(schema, widget("ratio: 1\n"))).isEmpty();
        assertThat(pointers(schema, widget("ratio: 0\n"))).containsExactly("/spec/ratio");
        assertThat(pointers(schema, widget("ratio: 1.5\n"))).containsExactly("/spec/ratio");
    }

    @Test
    void keepsOnlyTheFormatsTheServerAndEveritCheckAlike() throws Exception {
        CompiledSchema schema = widgetSchema("""
                type: object
                properties:
                  count: {type: string, format: int64}
                  link: {type: string, format: uri}
                  at: {type: string, format: date-time}
                """, false);

        assertThat(problems(schema, widget("count: many\nlink: /relative\nat: '2024-05-01T10:00:00Z'\n"))).isEmpty();
        assertThat(pointers(schema, widget("at: yesterday\n"))).containsExactly("/spec/at");
    }

    @Test
    void unservedVersionsSupplyNoSchema() {
        String crd = widgetCrd("type: object\n") + """
                  - name: v1beta1
                    served: false
                    storage: false
                    schema:
                      openAPIV3Schema:
                        type: object
                  - name: v2
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema:
                        type: object
                """;

        assertThat(translator.translate(yaml(crd), false).schemas()).extracting(CrdTranslation.VersionSchema::gvk)
                .containsExactly(new GroupVersionKind("example.com", "v1", "Widget"),
                        new GroupVersionKind("example.com", "v2", "Widget"));
    }

    // --- CRDs it refuses, each with a located problem ---

    @Test
    void refusesAV1beta1CrdAtItsApiVersion() {
        String crd = widgetCrd("type: object\n").replace("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1");

        assertRefused(crd, "/apiVersion", new SourcePosition(1, 1), "apiextensions.k8s.io/v1beta1"
                + " CustomResourceDefinitions were removed in Kubernetes 1.22");
    }

    @Test
    void refusesWhatTheApiServerRefusesInASchema() {
        assertRefused(widgetCrd("type: object\nproperties:\n  a: {$ref: '#/definitions/x'}\n"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/a/$ref", new SourcePosition(28, 19),
                "$ref is not supported in a CRD schema (the API server refuses it)");
        assertRefused(widgetCrd("type: object\npatternProperties: {'^a': {type: string}}\n"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/patternProperties", new SourcePosition(27, 13),
                "patternProperties is not supported");
        assertRefused(widgetCrd("type: array\nitems: [{type: string}]\n"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/items", new SourcePosition(27, 13),
                "items must be one schema, not a list");
        assertRefused(widgetCrd("type: 'null'\n"), "/spec/versions/0/schema/openAPIV3Schema/properties/spec/type",
                new SourcePosition(26, 13), "type must be one of array, boolean, integer, number, object, string"
                        + " (for null write nullable: true)");
        assertRefused(widgetCrd("type: string\npattern: '[a-'\n"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/pattern", new SourcePosition(27, 13),
                "pattern '[a-' is not a regular expression");
        assertRefused(widgetCrd("type: object\nx-kubernetes-preserve-unknown-fields: 'yes'\n"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-preserve-unknown-fields",
                new SourcePosition(27, 13), "x-kubernetes-preserve-unknown-fields must be true or false");
    }

    @Test
    void refusesACrdWhoseNamesCannotBeAKind() {
        assertRefused(widgetCrd("type: object\n").replace("kind: Widget", "kind: ../../etc/passwd"),
                "/spec/names/kind", new SourcePosition(8, 5), "kind '../../etc/passwd' is not a Kubernetes name");
        assertRefused(widgetCrd("type: object\n").replace("group: example.com", "group: .."),
                "/spec/group", new SourcePosition(6, 3), "group '..' is not a Kubernetes name");
        assertRefused(widgetCrd("type: object\n").replace("- name: v1", "- name: v1/../.."),
                "/spec/versions/0/name", new SourcePosition(12, 5), "version 'v1/../..' is not a Kubernetes name");
    }

    @Test
    void refusesAVersionWithoutServedOrSchema() {
        assertRefused(widgetCrd("type: object\n").replace("    served: true\n", ""), "/spec/versions/0/served",
                new SourcePosition(12, 5), "version v1 must say whether it is served");
        String noSchema = widgetCrd("type: object\n");
        noSchema = noSchema.substring(0, noSchema.indexOf("    schema:"));
        assertRefused(noSchema, "/spec/versions/0", new SourcePosition(12, 5),
                "served version v1 has no schema.openAPIV3Schema");
        assertRefused("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {group: a.io}\n",
                "/spec/names", new SourcePosition(3, 1), "spec.names must be a mapping");
    }

    @Test
    @Timeout(5)
    void refusesASchemaThatContainsItselfWithoutOverflowingTheStack() {
        JSONObject crd = yamlRoot(widgetCrd("type: object\n"));
        JSONObject spec = crd.getJSONObject("spec").getJSONArray("versions").getJSONObject(0).getJSONObject("schema")
                .getJSONObject("openAPIV3Schema").getJSONObject("properties").getJSONObject("spec");
        spec.put("properties", new JSONObject().put("self", spec));

        CrdTranslation translation = translator.translate(new YamlDocument(crd, Map.of()), false);

        assertThat(translation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.pointer()).endsWith("/properties/spec/properties/self");
            assertThat(problem.message()).isEqualTo("the schema contains itself");
        });
    }

    @Test
    @Timeout(5)
    void refusesASchemaNestedTooDeeplyWithoutOverflowingTheStack() {
        JSONObject crd = yamlRoot(widgetCrd("type: object\n"));
        JSONObject deepest = crd.getJSONObject("spec").getJSONArray("versions").getJSONObject(0).getJSONObject("schema")
                .getJSONObject("openAPIV3Schema");
        for (int i = 0; i < 100_000; i++) {
            JSONObject child = new JSONObject().put("type", "array");
            deepest.put("items", child);
            deepest = child;
        }

        CrdTranslation translation = translator.translate(new YamlDocument(crd, Map.of()), false);

        assertThat(translation.problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).isEqualTo("the schema is nested more than 1000 levels deep"));
    }

    @Test
    @Timeout(10)
    void aTenMegabyteCrdIsRefusedBeforeItIsParsedWhenReadWithTheCrdLimits() {
        String crd = widgetCrd("type: object\n") + "# padding\n".repeat(1_000_000);

        assertThatThrownBy(() -> new LocatedYamlReader(CrdSchemaTranslator.READ_LIMITS)
                .read(crd.getBytes(StandardCharsets.UTF_8), "crd.yaml"))
                .isInstanceOfSatisfying(YamlReadException.class, problem -> {
                    assertThat(problem.getMessage()).isEqualTo("file is 10000508 bytes, more than the limit of 3145728 bytes");
                    assertThat(problem.position()).isEqualTo(SourcePosition.START);
                });
    }

    @Test
    @Timeout(60)
    void refusesAHugeSchemaAtTheNodePastTheLimit() throws Exception {
        JSONObject crd = yamlRoot(widgetCrd("type: object\n"));
        JSONObject properties = new JSONObject();
        crd.getJSONObject("spec").getJSONArray("versions").getJSONObject(0).getJSONObject("schema")
                .getJSONObject("openAPIV3Schema").put("properties", properties);
        for (int i = 0; i < 105_000; i++) {
            properties.put("field" + i, new JSONObject().put("type", "string").put("maxLength", 64));
        }
        byte[] json = crd.toString().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        List<YamlDocument> documents = new LocatedYamlReader(new YamlLimits(20_000_000, 1_000, 10_000))
                .read(json, "big-crd.json");
        long read = System.nanoTime();

        CrdTranslation translation = translator.translate(documents.get(0), false);
        System.out.printf("%d-byte CRD of 105,000 properties: read in %d ms, refused in %d ms%n", json.length,
                (read - start) / 1_000_000, (System.nanoTime() - read) / 1_000_000);

        assertThat(translation.schemas()).isEmpty();
        assertThat(translation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).startsWith("the schema has more than 100000 nodes");
            assertThat(problem.pointer()).startsWith("/spec/versions/0/schema/openAPIV3Schema/properties/field");
            assertThat(problem.position().column()).isGreaterThan(1);
        });
    }

    @Test
    void countsAnAliasEachTimeItIsUsed() {
        StringBuilder specSchema = new StringBuilder("type: object\nproperties:\n  a: &a {type: object, properties: {");
        for (int i = 0; i < 50; i++) {
            specSchema.append(i == 0 ? "" : ", ").append("f").append(i).append(": {type: string}");
        }
        specSchema.append("}}\n");
        for (int i = 0; i < 60; i++) {
            specSchema.append("  b").append(i).append(": *a\n");
        }

        CrdTranslation small = new CrdSchemaTranslator(1_000, 1_000).translate(yaml(widgetCrd(specSchema.toString())), false);
        CrdTranslation large = translator.translate(yaml(widgetCrd(specSchema.toString())), false);

        assertThat(small.problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).startsWith("the schema has more than 1000 nodes (aliases counted"));
        assertThat(large.problems()).isEmpty();
    }

    @Test
    void tellsACrdFromOtherDocuments() {
        assertThat(CrdSchemaTranslator.isCrd(yaml(widgetCrd("type: object\n")))).isTrue();
        assertThat(CrdSchemaTranslator.isCrd(yaml("apiVersion: apiextensions.k8s.io/v1beta1\n"
                + "kind: CustomResourceDefinition\n"))).isTrue();
        assertThat(CrdSchemaTranslator.isCrd(yaml("apiVersion: v1\nkind: ConfigMap\n"))).isFalse();
        assertThat(CrdSchemaTranslator.isCrd(yaml("- a\n"))).isFalse();
        assertThat(translator.translate(yaml("apiVersion: v1\nkind: ConfigMap\n"), false).problems())
                .extracting(CrdTranslation.Problem::message)
                .containsExactly("not an apiextensions.k8s.io/v1 CustomResourceDefinition");
    }

    private void assertRefused(String crd, String pointer, SourcePosition position, String message) {
        CrdTranslation translation = translator.translate(yaml(crd), false);

        assertThat(translation.translated()).isFalse();
        assertThat(translation.schemas()).isEmpty();
        assertThat(translation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.pointer()).isEqualTo(pointer);
            assertThat(problem.message()).startsWith(message);
            assertThat(problem.position()).isEqualTo(position);
        });
    }

    private static JSONObject yamlRoot(String text) {
        return (JSONObject) yaml(text).root();
    }
}
