package dev.stagegate.kubernetes;

import org.json.JSONArray;
import org.json.JSONObject;

/**
 * A compact draft-07 schema for {@code metadata} (Kubernetes' ObjectMeta), checked as the API
 * server checks a custom resource's metadata, because a CRD's own schema may say no more about
 * it than {@code type: object}.
 *
 * <p>Every field also accepts {@code null}: the server decodes metadata into Go types, where
 * {@code null} means "not set". Label keys and values follow {@code ValidateLabels}, and a
 * resource's own name is a DNS subdomain ({@code NameIsDNSSubdomain}, as for every custom
 * resource); an embedded resource's name is only a string. In strict mode unknown metadata
 * fields are errors, as {@code fieldValidation=Strict} reports them (apiextensions-apiserver
 * {@code objectmeta.GetObjectMetaWithOptions} with {@code ReturnUnknownFieldPaths}); otherwise the
 * server drops them and so are they allowed.
 */
final class ObjectMetaSchema {

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS_SUBDOMAIN = "^" + DNS_LABEL + "(\\." + DNS_LABEL + ")*$";
    private static final String QUALIFIED_NAME_PART = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_KEY = "^(" + DNS_LABEL + "(\\." + DNS_LABEL + ")*/)?" + QUALIFIED_NAME_PART + "$";
    private static final String LABEL_VALUE = "^(" + QUALIFIED_NAME_PART + ")?$";

    private ObjectMetaSchema() {
    }

    /**
     * @param strict        unknown metadata fields are errors
     * @param resourceName  the name must be a DNS subdomain, as for a custom resource itself
     */
    static JSONObject of(boolean strict, boolean resourceName) {
        JSONObject properties = new JSONObject();
        JSONObject name = nullable("string");
        if (resourceName) {
            name.put("maxLength", 253).put("pattern", DNS_SUBDOMAIN);
        }
        properties.put("name", name);
        for (String field : new String[] {"generateName", "namespace", "selfLink", "uid", "resourceVersion",
            "creationTimestamp", "deletionTimestamp"}) {
            properties.put(field, nullable("string"));
        }
        properties.put("generation", nullable("integer"));
        properties.put("deletionGracePeriodSeconds", nullable("integer"));
        properties.put("labels", nullable("object")
                .put("propertyNames", new JSONObject().put("maxLength", 317).put("pattern", LABEL_KEY))
                .put("additionalProperties", nullable("string").put("maxLength", 63).put("pattern", LABEL_VALUE)));
        properties.put("annotations", nullable("object")
                .put("propertyNames", new JSONObject().put("maxLength", 317).put("pattern", LABEL_KEY))
                .put("additionalProperties", nullable("string")));
        properties.put("finalizers", nullable("array").put("items", nullable("string")));
        properties.put("ownerReferences", nullable("array").put("items", new JSONObject().put("type", "object")));
        properties.put("managedFields", nullable("array").put("items", new JSONObject().put("type", "object")));
        JSONObject metadata = new JSONObject().put("type", "object").put("properties", properties);
        if (strict) {
            metadata.put("additionalProperties", false);
        }
        return metadata;
    }

    private static JSONObject nullable(String type) {
        return new JSONObject().put("type", new JSONArray().put(type).put("null"));
    }
}
