package dev.stagegate.kubernetes;

import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Turns a CustomResourceDefinition ({@code apiextensions.k8s.io/v1}) into one draft-07 JSON
 * Schema per <em>served</em> version, which accepts and rejects a resource as the API server
 * does (apiextensions-apiserver, Kubernetes 1.31), so that a CRD kept in the repository checks
 * its resources without a conversion script.
 *
 * <p>How each construct of the CRD's {@code openAPIV3Schema} is translated, and why:
 * <ul>
 * <li>{@code nullable: true}: {@code "null"} is added to {@code type}; an {@code enum} is kept as
 *     it is, so a nullable enum still refuses {@code null} unless it lists it (kube-openapi runs
 *     the enum check on {@code null} too).</li>
 * <li>{@code x-kubernetes-int-or-string: true}: {@code type: [integer, string]} and no other type
 *     constraint; the {@code anyOf: [{type: integer}, {type: string}]} that marks it structurally is
 *     dropped, as it says nothing more and would only word a wrong value as "none of the alternatives".</li>
 * <li>{@code x-kubernetes-preserve-unknown-fields: true}: unknown fields are allowed on that
 *     object even in strict mode; a nested object that declares {@code properties} is strict again,
 *     as the server "switches back to normal pruning" there.</li>
 * <li>{@code x-kubernetes-embedded-resource: true}: the object must be a resource itself:
 *     {@code apiVersion} and {@code kind} non-empty strings, {@code metadata} checked as ObjectMeta.</li>
 * <li>{@code x-kubernetes-list-type: set}: {@code uniqueItems: true}, as the server refuses duplicates.</li>
 * <li>Other {@code x-kubernetes-*} keys are dropped. {@code x-kubernetes-validations} (CEL rules)
 *     are <strong>not evaluated</strong>: the server checks them, this schema cannot.</li>
 * <li>OpenAPI v3.0's boolean {@code exclusiveMinimum}/{@code exclusiveMaximum} become draft-07's
 *     numeric ones.</li>
 * <li>{@code format}: only {@code date-time} and {@code date} are kept. The server ignores
 *     formats it does not support ({@code int32}, {@code int64}, ...); of those it checks, these two
 *     are the ones Everit checks the same way (RFC 3339), while Everit's {@code uri},
 *     {@code hostname} or {@code email} refuse values the server accepts (a relative {@code uri}).</li>
 * <li>A property with a {@code default} is not required: the server fills it in before it validates.</li>
 * <li>{@code description}, {@code example}, {@code default} and other annotations are dropped,
 *     which keeps compiled schemas small.</li>
 * <li>The resource itself: {@code apiVersion} must be {@code group/version}, {@code kind} the
 *     CRD's kind, {@code metadata} is checked as ObjectMeta (see {@code ObjectMetaSchema}) and
 *     whatever the CRD says of {@code metadata.name}/{@code generateName} besides.</li>
 * <li>Strict: every object that declares {@code properties} and does not preserve unknown fields
 *     gets {@code additionalProperties: false}, matching {@code fieldValidation=Strict}; without
 *     strict, unknown fields pass, as the server drops them. Never inside {@code allOf},
 *     {@code anyOf}, {@code oneOf} or {@code not}, whose branches constrain only part of an object.</li>
 * </ul>
 *
 * <p>A deliberate difference: {@code null} on a field that is not nullable is refused, where the
 * server deletes it before validating (or fills in its default). A {@code null} there never
 * reaches the cluster, which is rarely what its author meant; kubeconform refuses it too.
 *
 * <p>Refused, with a located problem: {@code apiextensions.k8s.io/v1beta1} (removed in Kubernetes
 * 1.22; its schemas need not be structural), what the API server refuses in a schema
 * ({@code $ref}, {@code definitions}, {@code id}, {@code patternProperties}, {@code dependencies},
 * {@code additionalItems}, an {@code items} list, an unknown {@code type}), a {@code pattern}
 * that is no regular expression, and, so that no CRD can make the translation hang or overflow
 * the stack, a schema nested deeper than {@link #DEFAULT_MAX_DEPTH}, larger than
 * {@link #DEFAULT_MAX_NODES} schema nodes (counting every visit of a node shared through a YAML
 * alias), or containing itself.
 */
public final class CrdSchemaTranslator {

    /** Deepest schema nesting translated, as deep as any YAML file may nest (quality.md). */
    public static final int DEFAULT_MAX_DEPTH = 1_000;

    /**
     * Most schema nodes translated per CRD. Argo CD's Application CRD, among the largest
     * published (406 KB, one version), has 1,839; a CRD within {@link #READ_LIMITS} with no
     * descriptions at all has some 60,000 at most.
     */
    public static final int DEFAULT_MAX_NODES = 100_000;

    /**
     * The limits to read a CRD file with: at most 3 MiB, the most the API server accepts in one
     * request (etcd then stores at most 1.5 MiB), so a 10 MB "CRD" is refused before it is parsed.
     */
    public static final YamlLimits READ_LIMITS = new YamlLimits(3L * 1024 * 1024,
            YamlLimits.DEFAULTS.maxDepth(), YamlLimits.DEFAULTS.maxAliasNodes());

    static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";
    private static final String API_VERSION = "apiextensions.k8s.io/v1";
    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");
    /** As the server names them: it drops '-' (go-openapi's normalisation), so date-time is datetime. */
    private static final Set<String> FORMATS_KEPT = Set.of("datetime", "date");
    private static final Set<String> FORBIDDEN = Set.of("$ref", "definitions", "id", "patternProperties",
            "dependencies", "additionalItems");
    private static final List<String> PASSED_NUMBERS = List.of("multipleOf", "minLength", "maxLength", "minItems",
            "maxItems", "minProperties", "maxProperties");

    private final int maxDepth;
    private final int maxNodes;

    public CrdSchemaTranslator() {
        this(DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES);
    }

    public CrdSchemaTranslator(int maxDepth, int maxNodes) {
        if (maxDepth < 1 || maxNodes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
    }

    /** Whether a document is a CustomResourceDefinition of any version, i.e. for {@link #translate}. */
    public static boolean isCrd(YamlDocument document) {
        return document.root() instanceof JSONObject root
                && "CustomResourceDefinition".equals(root.opt("kind"))
                && root.opt("apiVersion") instanceof String apiVersion
                && apiVersion.startsWith("apiextensions.k8s.io/");
    }

    /**
     * The schemas of every served version of the CRD in {@code crd}, or the problems that keep
     * it from supplying any. Never throws for bad input.
     *
     * @param strict unknown fields are errors (see the class comment)
     */
    public CrdTranslation translate(YamlDocument crd, boolean strict) {
        Translation translation = new Translation(crd, strict);
        try {
            return CrdTranslation.of(translation.versions());
        } catch (Refusal refusal) {
            return CrdTranslation.refused(new CrdTranslation.Problem(refusal.pointer, crd.positionOf(refusal.pointer),
                    refusal.getMessage()));
        }
    }

    /** One CRD being translated: its limits count across all its versions. */
    private final class Translation {

        private final YamlDocument crd;
        private final boolean strict;
        private final Set<Object> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());
        private int nodes;

        Translation(YamlDocument crd, boolean strict) {
            this.crd = crd;
            this.strict = strict;
        }

        List<CrdTranslation.VersionSchema> versions() throws Refusal {
            JSONObject root = mapping(crd.root(), "", "a CustomResourceDefinition");
            Object apiVersion = root.opt("apiVersion");
            if ("apiextensions.k8s.io/v1beta1".equals(apiVersion)) {
                throw new Refusal("/apiVersion", "apiextensions.k8s.io/v1beta1 CustomResourceDefinitions were removed"
                        + " in Kubernetes 1.22 and no cluster since accepts them; convert this one to"
                        + " apiextensions.k8s.io/v1, whose schemas are structural");
            }
            if (!API_VERSION.equals(apiVersion) || !"CustomResourceDefinition".equals(root.opt("kind"))) {
                throw new Refusal("", "not an apiextensions.k8s.io/v1 CustomResourceDefinition");
            }
            JSONObject spec = mapping(root.opt("spec"), "/spec", "spec");
            String group = text(spec.opt("group"), "/spec/group", "spec.group");
            JSONObject names = mapping(spec.opt("names"), "/spec/names", "spec.names");
            String kind = text(names.opt("kind"), "/spec/names/kind", "spec.names.kind");
            notAName(SchemaLocationTemplate.unsafeGroup(group), "/spec/group");
            notAName(SchemaLocationTemplate.unsafeKind(kind), "/spec/names/kind");
            JSONArray versions = list(spec.opt("versions"), "/spec/versions", "spec.versions");
            List<CrdTranslation.VersionSchema> schemas = new ArrayList<>();
            for (int i = 0; i < versions.length(); i++) {
                String pointer = "/spec/versions/" + i;
                JSONObject version = mapping(versions.get(i), pointer, "a version");
                String name = text(version.opt("name"), pointer + "/name", "a version's name");
                if (!(version.opt("served") instanceof Boolean served)) {
                    throw new Refusal(pointer + "/served", "version " + name + " must say whether it is served"
                            + " (served: true or false)");
                }
                if (!served) {
                    continue;
                }
                notAName(SchemaLocationTemplate.unsafeVersion(name), pointer + "/name");
                GroupVersionKind gvk = new GroupVersionKind(group, name, kind);
                String schemaPointer = pointer + "/schema/openAPIV3Schema";
                JSONObject schema = version.optJSONObject("schema");
                if (schema == null || !schema.has("openAPIV3Schema")) {
                    throw new Refusal(pointer, "served version " + name + " has no schema.openAPIV3Schema");
                }
                schemas.add(new CrdTranslation.VersionSchema(gvk,
                        resourceRoot(schema.get("openAPIV3Schema"), schemaPointer, gvk)));
            }
            return schemas;
        }

        /** Names a resource's schema is found by must be ones Kubernetes accepts, and never a path. */
        private void notAName(Optional<String> unsafe, String pointer) throws Refusal {
            if (unsafe.isPresent()) {
                throw new Refusal(pointer, unsafe.get().replace("cannot name a schema file", "is not a Kubernetes name"));
            }
        }

        private JSONObject resourceRoot(Object schema, String pointer, GroupVersionKind gvk) throws Refusal {
            JSONObject root = translateNode(mapping(schema, pointer, "openAPIV3Schema"), pointer, 1, false, true);
            JSONObject properties = root.getJSONObject("properties");
            properties.put("apiVersion", new JSONObject().put("type", "string")
                    .put("enum", new JSONArray().put(gvk.apiVersion())));
            properties.put("kind", new JSONObject().put("type", "string").put("enum", new JSONArray().put(gvk.kind())));
            return root;
        }

        /** A schema node: the translated copy of {@code value}, found at {@code pointer} in the CRD. */
        private JSONObject node(Object value, String pointer, int depth, boolean inCombinator) throws Refusal {
            JSONObject node = mapping(value, pointer, "a schema");
            return translateNode(node, pointer, depth, inCombinator, false);
        }

        private JSONObject translateNode(JSONObject node, String pointer, int depth, boolean inCombinator,
                boolean resourceRoot) throws Refusal {
            if (depth > maxDepth) {
                throw new Refusal(pointer, "the schema is nested more than " + maxDepth + " levels deep");
            }
            if (++nodes > maxNodes) {
                throw new Refusal(pointer, "the schema has more than " + maxNodes + " nodes (aliases counted each"
                        + " time they are used); no CRD the API server can store is that large");
            }
            if (!ancestors.add(node)) {
                throw new Refusal(pointer, "the schema contains itself");
            }
            try {
                return translated(node, pointer, depth, inCombinator, resourceRoot);
            } finally {
                ancestors.remove(node);
            }
        }

        private JSONObject translated(JSONObject node, String pointer, int depth, boolean inCombinator,
                boolean resourceRoot) throws Refusal {
            for (String key : node.keySet()) {
                if (FORBIDDEN.contains(key)) {
                    throw new Refusal(pointer + "/" + YamlDocument.escape(key), key + " is not supported in a CRD"
                            + " schema (the API server refuses it)");
                }
            }
            JSONObject out = new JSONObject();
            if (resourceRoot) {
                out.put("$schema", DRAFT_07);
            }
            boolean intOrString = flag(node, "x-kubernetes-int-or-string", pointer);
            boolean preserveUnknown = flag(node, "x-kubernetes-preserve-unknown-fields", pointer);
            boolean embedded = flag(node, "x-kubernetes-embedded-resource", pointer);
            boolean nullable = flag(node, "nullable", pointer);
            type(node, pointer, intOrString, nullable && !inCombinator, out);
            copyNumbers(node, pointer, out);
            if (node.has("pattern")) {
                out.put("pattern", pattern(node.get("pattern"), pointer + "/pattern"));
            }
            if (node.opt("format") instanceof String format && FORMATS_KEPT.contains(format.replace("-", ""))) {
                out.put("format", format.equals("date") ? "date" : "date-time");
            }
            if (node.has("enum")) {
                out.put("enum", list(node.get("enum"), pointer + "/enum", "enum"));
            }
            if (node.has("uniqueItems")) {
                out.put("uniqueItems", node.get("uniqueItems"));
            }
            if ("set".equals(node.opt("x-kubernetes-list-type"))) {
                out.put("uniqueItems", true);
            }
            if (node.has("items")) {
                if (node.get("items") instanceof JSONArray) {
                    throw new Refusal(pointer + "/items", "items must be one schema, not a list (the API server"
                            + " refuses a list)");
                }
                out.put("items", node(node.get("items"), pointer + "/items", depth + 1, inCombinator));
            }
            JSONObject properties = properties(node, pointer, depth, inCombinator, resourceRoot);
            if (properties != null) {
                out.put("properties", properties);
            }
            Set<String> required = required(node, pointer);
            if (node.has("additionalProperties")) {
                Object additional = node.get("additionalProperties");
                out.put("additionalProperties", additional instanceof Boolean ? additional
                        : node(additional, pointer + "/additionalProperties", depth + 1, inCombinator));
            }
            combinators(node, pointer, depth, intOrString, out);
            if (embedded && !inCombinator) {
                resource(out, required, ObjectMetaSchema.of(strict, false));
                out.getJSONObject("properties").put("apiVersion", nonEmptyString());
                out.getJSONObject("properties").put("kind", nonEmptyString());
            }
            if (resourceRoot) {
                resource(out, required, ObjectMetaSchema.of(strict, true));
            }
            if (!required.isEmpty()) {
                out.put("required", new JSONArray(required));
            }
            if (strict && !inCombinator && !preserveUnknown && out.has("properties") && !out.has("additionalProperties")) {
                out.put("additionalProperties", false);
            }
            return out;
        }

        private void type(JSONObject node, String pointer, boolean intOrString, boolean nullable, JSONObject out)
                throws Refusal {
            JSONArray types = new JSONArray();
            if (intOrString) {
                types.put("integer").put("string");
            } else if (node.has("type")) {
                if (!(node.get("type") instanceof String type) || !TYPES.contains(type)) {
                    throw new Refusal(pointer + "/type", "type must be one of " + String.join(", ", sorted(TYPES))
                            + (node.get("type") == JSONObject.NULL || "null".equals(node.get("type"))
                                    ? " (for null write nullable: true)" : ""));
                }
                types.put(type);
            }
            if (types.isEmpty()) {
                return;
            }
            if (nullable) {
                types.put("null");
            }
            out.put("type", types.length() == 1 ? types.get(0) : types);
        }

        private void copyNumbers(JSONObject node, String pointer, JSONObject out) throws Refusal {
            for (String key : PASSED_NUMBERS) {
                if (node.has(key)) {
                    out.put(key, number(node.get(key), pointer + "/" + key, key));
                }
            }
            bound(node, pointer, "minimum", "exclusiveMinimum", out);
            bound(node, pointer, "maximum", "exclusiveMaximum", out);
        }

        /** OpenAPI 3.0: {@code minimum: 1, exclusiveMinimum: true}; draft-07: {@code exclusiveMinimum: 1}. */
        private void bound(JSONObject node, String pointer, String inclusive, String exclusive, JSONObject out)
                throws Refusal {
            if (!node.has(inclusive)) {
                return;
            }
            Number limit = number(node.get(inclusive), pointer + "/" + inclusive, inclusive);
            out.put(Boolean.TRUE.equals(node.opt(exclusive)) ? exclusive : inclusive, limit);
        }

        private JSONObject properties(JSONObject node, String pointer, int depth, boolean inCombinator,
                boolean resourceRoot) throws Refusal {
            if (!node.has("properties")) {
                return resourceRoot ? new JSONObject() : null;
            }
            JSONObject declared = mapping(node.get("properties"), pointer + "/properties", "properties");
            JSONObject out = new JSONObject();
            for (String name : declared.keySet()) {
                String propertyPointer = pointer + "/properties/" + YamlDocument.escape(name);
                boolean resourceMetadata = resourceRoot && name.equals("metadata");
                // A resource's metadata is checked as ObjectMeta; the CRD may only narrow name and generateName.
                out.put(name, node(declared.get(name), propertyPointer, depth + 1, inCombinator || resourceMetadata));
            }
            return out;
        }

        /** Properties the resource must have; one with a default is filled in by the server before it validates. */
        private Set<String> required(JSONObject node, String pointer) throws Refusal {
            Set<String> required = new LinkedHashSet<>();
            if (!node.has("required")) {
                return required;
            }
            JSONArray names = list(node.get("required"), pointer + "/required", "required");
            JSONObject properties = node.optJSONObject("properties");
            for (int i = 0; i < names.length(); i++) {
                String name = text(names.get(i), pointer + "/required/" + i, "a required property");
                JSONObject property = properties == null ? null : properties.optJSONObject(name);
                if (property == null || !property.has("default")) {
                    required.add(name);
                }
            }
            return required;
        }

        private void combinators(JSONObject node, String pointer, int depth, boolean intOrString, JSONObject out)
                throws Refusal {
            for (String key : List.of("allOf", "anyOf", "oneOf")) {
                if (!node.has(key)) {
                    continue;
                }
                JSONArray branches = list(node.get(key), pointer + "/" + key, key);
                JSONArray translated = new JSONArray();
                for (int i = 0; i < branches.length(); i++) {
                    Object branch = branches.get(i);
                    if (intOrString && isIntOrStringMarker(key, branch)) {
                        continue;
                    }
                    translated.put(node(branch, pointer + "/" + key + "/" + i, depth + 1, true));
                }
                if (intOrString && key.equals("anyOf") && isIntOrStringAnyOf(branches)) {
                    continue;
                }
                if (!translated.isEmpty()) {
                    out.put(key, translated);
                }
            }
            if (node.has("not")) {
                out.put("not", node(node.get("not"), pointer + "/not", depth + 1, true));
            }
        }

        /** {@code allOf: [{anyOf: [{type: integer}, {type: string}]}, ...]}: the structural marker of int-or-string. */
        private boolean isIntOrStringMarker(String key, Object branch) {
            return key.equals("allOf") && branch instanceof JSONObject object && object.length() == 1
                    && object.opt("anyOf") instanceof JSONArray anyOf && isIntOrStringAnyOf(anyOf);
        }

        private boolean isIntOrStringAnyOf(JSONArray branches) {
            Set<Object> types = new LinkedHashSet<>();
            for (Object branch : branches) {
                if (!(branch instanceof JSONObject object) || object.length() != 1 || !object.has("type")) {
                    return false;
                }
                types.add(object.get("type"));
            }
            return branches.length() == 2 && types.equals(Set.of("integer", "string"));
        }

        /** A resource (the CRD's own, or embedded): apiVersion, kind and metadata as the server checks them. */
        private void resource(JSONObject out, Set<String> required, JSONObject objectMeta) {
            if (!out.has("type")) {
                out.put("type", "object");
            }
            JSONObject properties = out.optJSONObject("properties");
            if (properties == null) {
                properties = new JSONObject();
                out.put("properties", properties);
            }
            JSONObject declaredMetadata = properties.optJSONObject("metadata");
            properties.put("metadata", narrows(declaredMetadata)
                    ? new JSONObject().put("allOf", new JSONArray().put(objectMeta).put(declaredMetadata))
                    : objectMeta);
            List<String> all = new ArrayList<>(List.of("apiVersion", "kind"));
            all.addAll(required);
            required.clear();
            required.addAll(all);
        }

        /** Whether a CRD's metadata schema says more than {@code type: object}. */
        private boolean narrows(JSONObject metadata) {
            if (metadata == null) {
                return false;
            }
            Set<String> keys = new LinkedHashSet<>(metadata.keySet());
            keys.remove("type");
            return !keys.isEmpty();
        }

        private JSONObject nonEmptyString() {
            return new JSONObject().put("type", "string").put("minLength", 1);
        }

        private String pattern(Object value, String pointer) throws Refusal {
            String pattern = text(value, pointer, "pattern");
            try {
                java.util.regex.Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new Refusal(pointer, "pattern '" + pattern + "' is not a regular expression: "
                        + e.getDescription());
            }
            return pattern;
        }

        private boolean flag(JSONObject node, String key, String pointer) throws Refusal {
            if (!node.has(key)) {
                return false;
            }
            if (!(node.get(key) instanceof Boolean value)) {
                throw new Refusal(pointer + "/" + key, key + " must be true or false");
            }
            return value;
        }

        private JSONObject mapping(Object value, String pointer, String what) throws Refusal {
            if (!(value instanceof JSONObject object)) {
                throw new Refusal(pointer, what + " must be a mapping");
            }
            return object;
        }

        private JSONArray list(Object value, String pointer, String what) throws Refusal {
            if (!(value instanceof JSONArray array)) {
                throw new Refusal(pointer, what + " must be a list");
            }
            return array;
        }

        private String text(Object value, String pointer, String what) throws Refusal {
            if (!(value instanceof String text) || text.isEmpty()) {
                throw new Refusal(pointer, what + " must be a non-empty string");
            }
            return text;
        }

        private Number number(Object value, String pointer, String what) throws Refusal {
            if (!(value instanceof Number number)) {
                throw new Refusal(pointer, what + " must be a number");
            }
            return number;
        }
    }

    private static List<String> sorted(Set<String> names) {
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        return sorted;
    }

    /** A reason the CRD cannot be translated, at the JSON pointer of the offending node. */
    private static final class Refusal extends Exception {

        private final String pointer;

        Refusal(String pointer, String message) {
            super(message, null, false, false);
            this.pointer = pointer;
        }
    }
}
