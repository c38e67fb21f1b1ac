package dev.stagegate.kubernetes;

import static dev.stagegate.kubernetes.KubernetesFixtures.compile;
import static dev.stagegate.kubernetes.KubernetesFixtures.pointers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.schema.CompiledSchema;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** ObjectMeta as the API server reads a custom resource's metadata. */
class ObjectMetaSchemaTest {

    private static CompiledSchema metadata(boolean strict, boolean resourceName) throws Exception {
        return compile(new JSONObject().put("$schema", CrdSchemaTranslator.DRAFT_07)
                .put("properties", new JSONObject().put("metadata", ObjectMetaSchema.of(strict, resourceName))));
    }

    @Test
    void acceptsMetadataAsKubectlWritesIt() throws Exception {
        String metadata = """
                metadata:
                  name: web
                  generateName: web-
                  namespace: shop
                  uid: 6f1e0c38-0f0f-4c5e-8f0e-0f0f0f0f0f0f
                  resourceVersion: "12345"
                  generation: 3
                  creationTimestamp: null
                  labels:
                    app.kubernetes.io/name: web
                    tier: ""
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"a": 1}'
                  finalizers: [example.com/cleanup]
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: y}]
                """;

        assertThat(pointers(metadata(true, true), metadata)).isEmpty();
    }

    @Test
    void everyFieldMayBeNullAsGoDecodesNullToNotSet() throws Exception {
        String metadata = """
                metadata:
                  name: null
                  namespace: null
                  generation: null
                  labels: null
                  annotations: {a: null}
                  finalizers: null
                """;

        assertThat(pointers(metadata(true, true), metadata)).isEmpty();
    }

    @Test
    void labelValuesAreShortStringsAndKeysQualifiedNames() throws Exception {
        CompiledSchema schema = metadata(false, false);

        assertThat(pointers(schema, "metadata: {labels: {tier: 3}}\n")).containsExactly("/metadata/labels/tier");
        assertThat(pointers(schema, "metadata: {labels: {tier: -web}}\n")).containsExactly("/metadata/labels/tier");
        assertThat(pointers(schema, "metadata: {labels: {tier: " + "a".repeat(64) + "}}\n"))
                .containsExactly("/metadata/labels/tier");
        assertThat(pointers(schema, "metadata: {labels: {'a b': x}}\n")).containsExactly("/metadata/labels/a b");
        assertThat(pointers(schema, "metadata: {annotations: {'Example.com/x': y}}\n"))
                .containsExactly("/metadata/annotations/Example.com~1x");
        assertThat(pointers(schema, "metadata: {annotations: {note: '" + "long text, any characters: ✓ ".repeat(20) + "'}}\n"))
                .isEmpty();
    }

    @Test
    void aResourcesOwnNameIsADnsSubdomainAnEmbeddedOnesOnlyAString() throws Exception {
        assertThat(pointers(metadata(false, true), "metadata: {name: Web_1}\n")).containsExactly("/metadata/name");
        assertThat(pointers(metadata(false, true), "metadata: {name: " + "a".repeat(254) + "}\n"))
                .containsExactly("/metadata/name");
        assertThat(pointers(metadata(false, false), "metadata: {name: Web_1}\n")).isEmpty();
        assertThat(pointers(metadata(false, false), "metadata: {name: 1}\n")).containsExactly("/metadata/name");
    }

    @Test
    void unknownMetadataFieldsAreErrorsOnlyInStrictMode() throws Exception {
        assertThat(pointers(metadata(true, true), "metadata: {name: web, label: {a: b}}\n"))
                .containsExactly("/metadata/label");
        assertThat(pointers(metadata(false, true), "metadata: {name: web, label: {a: b}}\n")).isEmpty();
    }
}
