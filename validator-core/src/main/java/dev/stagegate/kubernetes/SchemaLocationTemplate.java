package dev.stagegate.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema location in kubeconform's template language, e.g.
 * {@code schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json},
 * so that a directory laid out for kubeconform (a mirror of yannh/kubernetes-json-schema, or
 * the datreeio CRDs catalog) works unchanged.
 *
 * <p>kubeconform's rules, kept exactly (kubeconform v0.7.0 {@code pkg/registry/registry.go}):
 * <ul>
 * <li>The six variables and their values are those of {@link #render}; any other variable is an
 *     error, as kubeconform refuses it at start-up.</li>
 * <li>A location that does not end in {@code json} is a directory in kubernetes-json-schema's
 *     layout: {@code /}{@link #DEFAULT_LAYOUT} is appended. A location that ends in {@code json}
 *     is used as written, even with no variable at all (every resource then gets that file).</li>
 * </ul>
 *
 * <p>Where stagegate is stricter than kubeconform, and why:
 * <ul>
 * <li>A URL ({@code https://}, {@code file://}, any {@code scheme://}) is refused: stagegate
 *     never reads schemas over the network, and reads them from the checked revision or an
 *     absolute path on the server.</li>
 * <li>Only {@code {{ .Variable }}} (spaces optional) is understood, not the rest of Go's
 *     text/template (pipelines, functions, trim markers, comments): paths need nothing else.</li>
 * <li>A {@code .} or {@code ..} path segment after the first variable is refused, and a resource
 *     whose names could form a path outside the location's directory ({@code kind: ../../etc/passwd},
 *     a group {@code ..}) gets no path at all: kubeconform would open whatever file it names.</li>
 * </ul>
 */
public final class SchemaLocationTemplate {

    /** What kubeconform appends to a location that does not end in {@code json}. */
    public static final String DEFAULT_LAYOUT =
            "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";

    /** The variables a template may use, as kubeconform names them. */
    public static final List<String> VARIABLES = List.of("NormalizedKubernetesVersion", "StrictSuffix",
            "ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix");

    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern VARIABLE = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern KUBERNETES_VERSION = Pattern.compile("master|\\d+\\.\\d+\\.\\d+");
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,252}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final String DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern GROUP = Pattern.compile(DNS_LABEL + "(?:\\." + DNS_LABEL + ")*");
    private static final int MAX_GROUP_LENGTH = 253;
    private static final List<Part> DEFAULT_LAYOUT_PARTS = List.of(Part.variable("NormalizedKubernetesVersion"),
            Part.literal("-standalone"), Part.variable("StrictSuffix"), Part.literal("/"), Part.variable("ResourceKind"),
            Part.variable("KindSuffix"), Part.literal(".json"));

    private final String text;
    private final List<Part> parts;

    private SchemaLocationTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Reads a template as a policy's {@code schemaLocations} or {@code --schema-location} give it.
     *
     * @throws InvalidSchemaLocationException for a URL, an unknown variable (the message lists
     *                                        the six), an unclosed or empty {@code {{ }}}, Go
     *                                        template syntax other than a variable, or a
     *                                        {@code .}/{@code ..} segment after a variable
     */
    public static SchemaLocationTemplate parse(String template) throws InvalidSchemaLocationException {
        Objects.requireNonNull(template, "template");
        if (template.isBlank()) {
            throw new InvalidSchemaLocationException("a schema location must not be empty", 1);
        }
        Matcher url = URL_SCHEME.matcher(template);
        if (url.find()) {
            throw new InvalidSchemaLocationException("'" + template + "' is a URL; stagegate never reads schemas over"
                    + " the network: mirror the schemas into the repository or onto this machine and give their path", 1);
        }
        List<Part> parts = parts(template);
        refuseDotSegmentsAfterTheFirstVariable(template, parts);
        if (!template.endsWith("json")) {
            if (!template.endsWith("/")) {
                parts.add(Part.literal("/"));
            }
            parts.addAll(DEFAULT_LAYOUT_PARTS);
        }
        return new SchemaLocationTemplate(template, List.copyOf(parts));
    }

    /** Whether {@code version} is a Kubernetes version kubeconform accepts: {@code 1.31.0} or {@code master}. */
    public static boolean isKubernetesVersion(String version) {
        return version != null && KUBERNETES_VERSION.matcher(version).matches();
    }

    /** The template as written, without the default layout kubeconform appends to a directory. */
    public String text() {
        return text;
    }

    /** The template with the default layout appended when it names a directory: what is rendered. */
    public String expanded() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.variable() == null ? part.literal() : "{{ ." + part.variable() + " }}");
        }
        return out.toString();
    }

    /**
     * The schema file for a resource, relative or absolute as the template is. The variables
     * take kubeconform's values; for {@code apps/v1 Deployment}, {@code v1 Service},
     * {@code networking.k8s.io/v1 Ingress}:
     * <ul>
     * <li>{@code NormalizedKubernetesVersion}: {@code v} + the version ({@code v1.31.0}), or
     *     {@code master} unchanged</li>
     * <li>{@code StrictSuffix}: {@code -strict} when strict, else empty</li>
     * <li>{@code ResourceKind}: the kind lowercased: {@code deployment}, {@code service}, {@code ingress}</li>
     * <li>{@code ResourceAPIVersion}: the version as written: {@code v1}</li>
     * <li>{@code Group}: the group as written, and for the core group the version itself:
     *     {@code apps}, {@code v1}, {@code networking.k8s.io}</li>
     * <li>{@code KindSuffix}: {@code -} + the group's first DNS label lowercased, then {@code -} +
     *     the version lowercased, for the core group just {@code -} + the version:
     *     {@code -apps-v1}, {@code -v1}, {@code -networking-v1}</li>
     * </ul>
     *
     * @param kubernetesVersion {@code 1.31.0} or {@code master} (see {@link #isKubernetesVersion})
     * @return the path, or empty when the resource's names cannot safely name a file (see
     *         {@link #unsafeName}, which says why)
     * @throws IllegalArgumentException when {@code kubernetesVersion} is neither
     */
    public Optional<String> render(GroupVersionKind gvk, String kubernetesVersion, boolean strict) {
        if (!isKubernetesVersion(kubernetesVersion)) {
            throw new IllegalArgumentException("not a Kubernetes version: " + kubernetesVersion);
        }
        if (unsafeName(gvk).isPresent()) {
            return Optional.empty();
        }
        String group = gvk.isCore() ? gvk.version() : gvk.group();
        String firstLabel = group.split("\\.", 2)[0];
        String kindSuffix = "-" + lower(firstLabel) + (gvk.isCore() ? "" : "-" + lower(gvk.version()));
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.variable() == null) {
                out.append(part.literal());
                continue;
            }
            out.append(switch (part.variable()) {
                case "NormalizedKubernetesVersion" -> kubernetesVersion.equals("master") ? "master" : "v" + kubernetesVersion;
                case "StrictSuffix" -> strict ? "-strict" : "";
                case "ResourceKind" -> lower(gvk.kind());
                case "ResourceAPIVersion" -> gvk.version();
                case "Group" -> group;
                case "KindSuffix" -> kindSuffix;
                default -> throw new IllegalStateException("parse admits only the six variables: " + part.variable());
            });
        }
        return Optional.of(out.toString());
    }

    /**
     * Why a resource's names cannot be put into a schema path, or empty when they can: a kind
     * of letters, digits, {@code -} and {@code _}; a group of DNS labels; a version of letters,
     * digits and {@code -}. Anything else ({@code /}, {@code \}, {@code ..}, NUL, control
     * characters) could name a file outside the schema location's directory.
     */
    public static Optional<String> unsafeName(GroupVersionKind gvk) {
        return unsafeKind(gvk.kind()).or(() -> unsafeVersion(gvk.version()))
                .or(() -> gvk.isCore() ? Optional.empty() : unsafeGroup(gvk.group()));
    }

    static Optional<String> unsafeKind(String kind) {
        return KIND.matcher(kind).matches() ? Optional.empty() : Optional.of("kind '" + printable(kind)
                + "' cannot name a schema file: a kind is letters, digits, '-' and '_'");
    }

    static Optional<String> unsafeVersion(String version) {
        return VERSION.matcher(version).matches() ? Optional.empty() : Optional.of("version '" + printable(version)
                + "' cannot name a schema file: a version is letters, digits and '-'");
    }

    static Optional<String> unsafeGroup(String group) {
        return group.length() <= MAX_GROUP_LENGTH && GROUP.matcher(group).matches() ? Optional.empty()
                : Optional.of("group '" + printable(group) + "' cannot name a schema file: a group is DNS labels"
                        + " (letters, digits and '-') joined by '.'");
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<Part> parts(String template) throws InvalidSchemaLocationException {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(Part.literal(template.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(Part.literal(template.substring(at, open)));
            }
            int column = open + 1;
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                throw new InvalidSchemaLocationException("'{{' at column " + column + " is never closed with '}}'",
                        column);
            }
            parts.add(Part.variable(variable(template.substring(open + 2, close), open + 2, column)));
            at = close + 2;
        }
        return parts;
    }

    private static String variable(String action, int actionStart, int column)
            throws InvalidSchemaLocationException {
        String written = "{{" + action + "}}";
        String trimmed = action.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidSchemaLocationException("'" + written + "' at column " + column + " is empty: write a"
                    + " variable, e.g. {{ .ResourceKind }}; the variables are " + String.join(", ", VARIABLES), column);
        }
        Matcher variable = VARIABLE.matcher(trimmed);
        if (!variable.matches()) {
            throw new InvalidSchemaLocationException("'" + written + "' at column " + column + " is Go template syntax"
                    + " that stagegate does not support: a schema location may only use {{ .Variable }} (no"
                    + " pipelines, functions, trim markers or comments)", column);
        }
        String name = variable.group(1);
        if (!VARIABLES.contains(name)) {
            int nameColumn = actionStart + action.indexOf('.') + 1;
            throw new InvalidSchemaLocationException("unknown variable ." + name + " at column " + nameColumn
                    + suggestion(name) + "; the variables are " + String.join(", ", VARIABLES), nameColumn);
        }
        return name;
    }

    private static String suggestion(String name) {
        return VARIABLES.stream().filter(known -> known.equalsIgnoreCase(name)).findFirst()
                .map(known -> " (did you mean ." + known + "?)").orElse("");
    }

    /**
     * Variables give path segments the template's author cannot see; a {@code ..} next to them
     * could climb out of the directory the location names for some kinds and not for others.
     */
    private static void refuseDotSegmentsAfterTheFirstVariable(String template, List<Part> parts)
            throws InvalidSchemaLocationException {
        int firstVariable = 0;
        for (Part part : parts) {
            if (part.variable() != null) {
                break;
            }
            firstVariable += part.literal().length();
        }
        if (firstVariable >= template.length()) {
            return;
        }
        int segmentStart = Math.max(template.lastIndexOf('/', firstVariable), template.lastIndexOf('\\', firstVariable)) + 1;
        String rest = template.substring(segmentStart);
        int offset = segmentStart;
        for (String segment : rest.split("[/\\\\]", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                int column = offset + 1;
                throw new InvalidSchemaLocationException("'" + segment + "' at column " + column + " follows a variable:"
                        + " a schema location may only climb directories before its first variable", column);
            }
            offset += segment.length() + 1;
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return name.codePointCount(0, name.length()) > 100 ? out + "..." : out.toString();
    }

    /** Literal text, or a variable (then {@code literal} is null). */
    private record Part(String literal, String variable) {

        static Part literal(String text) {
            return new Part(text, null);
        }

        static Part variable(String name) {
            return new Part(null, name);
        }
    }
}
