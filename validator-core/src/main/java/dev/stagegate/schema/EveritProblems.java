package dev.stagegate.schema;

import dev.stagegate.yaml.YamlDocument;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.everit.json.schema.ArraySchema;
import org.everit.json.schema.CombinedSchema;
import org.everit.json.schema.ConstSchema;
import org.everit.json.schema.EnumSchema;
import org.everit.json.schema.NotSchema;
import org.everit.json.schema.NumberSchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Turns Everit's tree of {@link ValidationException}s into {@link SchemaProblem}s located in
 * the YAML source and worded for the person who edits the file.
 *
 * <p>The leaves of the tree are the problems; the inner nodes only count them ("3 schema
 * violations found"). {@code anyOf} and {@code oneOf} are the exception: their causes are the
 * reasons each alternative failed, none of which is a problem on its own. Generated schemas,
 * Kubernetes' above all, wrap nearly every field in them ({@code type: [object, "null"]} is an
 * {@code anyOf} to Everit, int-or-string a {@code oneOf}), so reporting "matches none of the
 * alternatives" at the node they apply to would name {@code spec:} for a typo ten levels down.
 * Instead the alternative closest to what was written speaks, at its own locations:
 * <ul>
 *   <li>alternatives that only reject the node's type merge into one "expected integer or
 *       string, found boolean" at that node;</li>
 *   <li>otherwise an alternative that accepted the type got further than one that did not, one
 *       whose complaints are all below the node further than one that complains about the node
 *       itself, and one with fewer complaints further than one with more; the single closest
 *       one reports its own problems;</li>
 *   <li>alternatives equally close make one problem listing each one's complaints, at the
 *       deepest node all those complaints share.</li>
 * </ul>
 */
final class EveritProblems {

    private static final Pattern REQUIRED = Pattern.compile("required key \\[(.*)] not found");
    private static final Pattern EXTRANEOUS = Pattern.compile("extraneous key \\[(.*)] is not permitted");
    private static final Pattern MATCHED_SEVERAL = Pattern.compile("(\\d+) subschemas matched instead of one");
    private static final Pattern INVALID_FORMAT = Pattern.compile("\\[(.*)] is not a valid ([\\w -]+?)(\\..*)?");
    private static final Pattern EXPECTED_TYPE = Pattern.compile("expected(?: type)?: (\\w+), found: .*");
    private static final Map<String, String> JSON_TYPES = Map.of(
            "String", "string", "Integer", "integer", "Number", "number", "Boolean", "boolean",
            "JSONObject", "object", "JSONArray", "array", "null", "null", "Null", "null");
    private static final Pattern EVERIT_POINTER = Pattern.compile("^#\\S*: ");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_LISTED = 10;
    private static final int MAX_QUOTED = 60;

    private static final Comparator<SchemaProblem> BY_POSITION = Comparator
            .comparingInt((SchemaProblem problem) -> problem.position().line())
            .thenComparingInt(problem -> problem.position().column())
            .thenComparing(SchemaProblem::pointer)
            .thenComparing(SchemaProblem::message);

    private final YamlDocument document;

    private EveritProblems(YamlDocument document) {
        this.document = document;
    }

    static List<SchemaProblem> of(ValidationException failure, YamlDocument document) {
        EveritProblems problems = new EveritProblems(document);
        Set<SchemaProblem> located = new LinkedHashSet<>();
        for (Finding finding : problems.explain(failure)) {
            located.add(problems.located(finding));
        }
        List<SchemaProblem> sorted = new ArrayList<>(located);
        sorted.sort(BY_POSITION);
        return List.copyOf(sorted);
    }

    /**
     * One thing wrong with one node, not yet worded: a type mismatch keeps the types it wanted,
     * so that alternatives which each wanted another type can merge into one message.
     *
     * @param pointer       the offending node
     * @param checkedAt     the node whose schema complained: the pointer itself, except for a
     *                      property the schema does not allow, which its mapping complained about
     * @param expectedTypes for a type mismatch the JSON types the node may have, else empty
     * @param reason        for anything else, what is wrong, without the path
     */
    private record Finding(String pointer, String checkedAt, Set<String> expectedTypes, String reason) {

        boolean isTypeMismatchAt(String node) {
            return !expectedTypes.isEmpty() && pointer.equals(node);
        }
    }

    private List<Finding> explain(ValidationException failure) {
        List<ValidationException> causes = failure.getCausingExceptions();
        if (causes.isEmpty()) {
            return List.of(finding(failure));
        }
        if (isAlternatives(failure)) {
            return closestAlternative(failure);
        }
        List<Finding> findings = new ArrayList<>();
        causes.forEach(cause -> findings.addAll(explain(cause)));
        return findings;
    }

    private Finding finding(ValidationException failure) {
        String pointer = pointerOf(failure);
        String checkedAt = stripHash(failure.getPointerToViolation());
        String expected = "type".equals(failure.getKeyword()) ? expectedType(failure) : null;
        return expected == null
                ? new Finding(pointer, checkedAt, Set.of(), reason(failure, pointer))
                : new Finding(pointer, checkedAt, Set.of(expected), null);
    }

    /** An {@code anyOf} or {@code oneOf} none of whose alternatives matched: see the class comment. */
    private List<Finding> closestAlternative(ValidationException failure) {
        String node = pointerOf(failure);
        List<List<Finding>> alternatives = new ArrayList<>();
        failure.getCausingExceptions().forEach(cause -> alternatives.add(explain(cause)));
        if (alternatives.stream().allMatch(findings -> onlyTypeMismatchAt(findings, node))) {
            Set<String> types = new TreeSet<>();
            alternatives.forEach(findings -> findings.forEach(finding -> types.addAll(finding.expectedTypes())));
            return List.of(new Finding(node, node, types, null));
        }
        Comparator<List<Finding>> closeness = Comparator
                .comparing((List<Finding> findings) -> findings.stream()
                        .anyMatch(finding -> finding.checkedAt().equals(node)))
                .thenComparingInt(List::size);
        List<List<Finding>> typeAccepted = alternatives.stream()
                .filter(findings -> !onlyTypeMismatchAt(findings, node))
                .toList();
        List<Finding> closest = typeAccepted.stream().min(closeness).orElseThrow();
        List<List<Finding>> equallyClose = typeAccepted.stream()
                .filter(findings -> closeness.compare(findings, closest) == 0)
                .toList();
        String common = deepestCommonPointer(equallyClose);
        List<String> reasons = equallyClose.stream()
                .map(findings -> findings.stream()
                        .map(finding -> worded(common, finding))
                        .distinct()
                        .sorted()
                        .collect(Collectors.joining(", ")))
                .distinct()
                .sorted()
                .toList();
        if (reasons.size() == 1) {
            return closest;
        }
        return List.of(new Finding(common, common, Set.of(),
                "matches none of the alternatives (" + failure.getKeyword() + "): " + String.join("; or ", reasons)));
    }

    private static boolean onlyTypeMismatchAt(List<Finding> findings, String node) {
        return findings.stream().allMatch(finding -> finding.isTypeMismatchAt(node));
    }

    /** The deepest node at or above every finding's node, compared token by token. */
    private static String deepestCommonPointer(List<List<Finding>> alternatives) {
        List<String> common = null;
        for (List<Finding> findings : alternatives) {
            for (Finding finding : findings) {
                List<String> tokens = List.of(finding.pointer().split("/", -1));
                if (common == null) {
                    common = tokens;
                } else {
                    int shared = 0;
                    while (shared < common.size() && shared < tokens.size()
                            && common.get(shared).equals(tokens.get(shared))) {
                        shared++;
                    }
                    common = common.subList(0, shared);
                }
            }
        }
        return common == null ? "" : String.join("/", common);
    }

    private SchemaProblem located(Finding finding) {
        return new SchemaProblem(finding.pointer(), document.positionOf(finding.pointer()), worded("", finding));
    }

    /** The finding as a message, with the path of its node below {@code base}. */
    private String worded(String base, Finding finding) {
        String path = readablePath(base, finding.pointer());
        String reason = finding.expectedTypes().isEmpty()
                ? finding.reason()
                : mismatch(finding.expectedTypes(), valueAt(finding.pointer()));
        return path.isEmpty() ? reason : path + ": " + reason;
    }

    /**
     * "expected integer or string, found boolean". {@code null} is left out when something was
     * written: generated schemas add it to every optional field ({@code [integer, "null"]}), and
     * someone who wrote {@code replicas: "3"} meant a number, not to clear the field. An integer
     * is a number, so "number" alone covers both.
     */
    private static String mismatch(Set<String> expectedTypes, Object value) {
        String found = typeOf(value);
        Set<String> expected = new TreeSet<>(expectedTypes);
        if (!found.equals("null") && expected.size() > 1) {
            expected.remove("null");
        }
        if (expected.contains("number")) {
            expected.remove("integer");
        }
        return "expected " + String.join(" or ", expected) + ", found " + found;
    }

    private static boolean isAlternatives(ValidationException failure) {
        return "anyOf".equals(failure.getKeyword()) || "oneOf".equals(failure.getKeyword());
    }

    /** The offending node; for a property the schema does not allow, that property's key. */
    private static String pointerOf(ValidationException failure) {
        String pointer = stripHash(failure.getPointerToViolation());
        if ("additionalProperties".equals(failure.getKeyword())) {
            Matcher extraneous = EXTRANEOUS.matcher(failure.getErrorMessage());
            if (extraneous.matches()) {
                return pointer + "/" + YamlDocument.escape(extraneous.group(1));
            }
        }
        return pointer;
    }

    /** Everit's pointers are URI fragments ({@code #/spec/replicas}); ours are plain RFC 6901. */
    private static String stripHash(String pointer) {
        return pointer == null ? "" : pointer.startsWith("#") ? pointer.substring(1) : pointer;
    }

    private String reason(ValidationException failure, String pointer) {
        Schema schema = failure.getViolatedSchema();
        Object value = valueAt(pointer);
        String keyword = failure.getKeyword() == null ? "" : failure.getKeyword();
        String everit = EVERIT_POINTER.matcher(failure.getErrorMessage()).replaceFirst("");
        switch (keyword) {
            case "type":
                // a type Everit names is a Finding's expectedTypes; this is any other wording
                return everit;
            case "required":
                Matcher required = REQUIRED.matcher(failure.getErrorMessage());
                return required.matches() ? "required property '" + required.group(1) + "' is missing" : everit;
            case "additionalProperties":
                return notAllowed(schema);
            case "enum":
                return schema instanceof EnumSchema enumSchema
                        ? show(value) + " is not one of the allowed values: "
                                + list(enumSchema.getPossibleValuesAsList())
                        : everit;
            case "const":
                return schema instanceof ConstSchema constSchema
                        ? "must be " + show(constSchema.getPermittedValue()) + ", found " + show(value)
                        : everit;
            case "pattern":
                return schema instanceof StringSchema string && string.getPattern() != null
                        ? show(value) + " does not match the pattern " + string.getPattern()
                        : everit;
            case "minLength":
                return schema instanceof StringSchema string
                        ? "must be at least " + count(string.getMinLength(), "character") + " long, found "
                                + length(value)
                        : everit;
            case "maxLength":
                return schema instanceof StringSchema string
                        ? "must be at most " + count(string.getMaxLength(), "character") + " long, found "
                                + length(value)
                        : everit;
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
                return schema instanceof NumberSchema number ? bound(keyword, number, value) : everit;
            case "multipleOf":
                return schema instanceof NumberSchema number
                        ? "must be a multiple of " + show(number.getMultipleOf()) + ", found " + show(value)
                        : everit;
            case "minItems":
                return schema instanceof ArraySchema array
                        ? "must have at least " + count(array.getMinItems(), "item") + ", found " + size(value)
                        : everit;
            case "maxItems":
                return schema instanceof ArraySchema array
                        ? "must have at most " + count(array.getMaxItems(), "item") + ", found " + size(value)
                        : everit;
            case "minProperties":
                return schema instanceof ObjectSchema object
                        ? "must have at least " + count(object.getMinProperties(), "property") + ", found "
                                + size(value)
                        : everit;
            case "maxProperties":
                return schema instanceof ObjectSchema object
                        ? "must have at most " + count(object.getMaxProperties(), "property") + ", found "
                                + size(value)
                        : everit;
            case "format":
                return format(everit);
            case "uniqueItems":
                return "items must be unique";
            case "false":
                return "not allowed by the schema";
            case "anyOf", "oneOf":
                return severalMatched(failure, pointer, everit);
            case "not":
                return schema instanceof NotSchema not ? forbidden(not.getMustNotMatch(), value, everit) : everit;
            default:
                return everit;
        }
    }

    /** {@code not: {const: latest}} reads "must not be 'latest'", not Everit's schema dump. */
    private static String forbidden(Schema mustNotMatch, Object value, String everit) {
        if (mustNotMatch instanceof ConstSchema constSchema) {
            return "must not be " + show(constSchema.getPermittedValue());
        }
        if (mustNotMatch instanceof EnumSchema enumSchema) {
            return show(value) + " is one of the forbidden values: " + list(enumSchema.getPossibleValuesAsList());
        }
        return everit.replace("subject must not be valid against schema", "must not match the schema");
    }

    private static String notAllowed(Schema schema) {
        if (schema instanceof ObjectSchema object && !object.getPropertySchemas().isEmpty()) {
            return "property not allowed by the schema (allowed: "
                    + list(new ArrayList<>(new TreeSet<Object>(object.getPropertySchemas().keySet())), false) + ")";
        }
        return "property not allowed by the schema";
    }

    /** Everit words formats as "[soon] is not a valid date-time. Expected [yyyy-MM-dd'T'HH:mm:ssZ, ...]". */
    private static String format(String everit) {
        Matcher invalid = INVALID_FORMAT.matcher(everit);
        if (!invalid.matches()) {
            return everit;
        }
        String format = invalid.group(2);
        String message = show(invalid.group(1)) + " is not a valid " + format;
        return format.equals("date-time") ? message + " (RFC 3339, such as 2026-12-20T00:00:00Z)" : message;
    }

    private static String count(Integer number, String noun) {
        if (number != null && number == 1) {
            return "1 " + noun;
        }
        return number + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }

    private String bound(String keyword, NumberSchema schema, Object value) {
        String found = ", found " + show(value);
        return switch (keyword) {
            case "minimum" -> (schema.isExclusiveMinimum() ? "must be greater than " : "must be at least ")
                    + show(schema.getMinimum()) + found;
            case "maximum" -> (schema.isExclusiveMaximum() ? "must be less than " : "must be at most ")
                    + show(schema.getMaximum()) + found;
            // draft-04 spells these as a boolean beside minimum/maximum
            case "exclusiveMinimum" -> "must be greater than " + show(Objects.requireNonNullElse(
                    schema.getExclusiveMinimumLimit(), schema.getMinimum())) + found;
            default -> "must be less than " + show(Objects.requireNonNullElse(
                    schema.getExclusiveMaximumLimit(), schema.getMaximum())) + found;
        };
    }

    /**
     * A {@code oneOf} more than one alternative accepted. An explicit {@code null} does that in
     * generated Kubernetes schemas, whose int-or-string is {@code oneOf: [{type: [string, "null"]},
     * {type: [integer, "null"]}]}: both accept it, so the {@code oneOf} refuses it, and "matches 2
     * alternatives" would not tell the user that the {@code null} is what to change.
     */
    private String severalMatched(ValidationException failure, String pointer, String everit) {
        Matcher several = MATCHED_SEVERAL.matcher(everit);
        if (!several.find()) {
            return everit;
        }
        int matched = Integer.parseInt(several.group(1));
        String keyword = failure.getKeyword();
        if (valueAt(pointer) != JSONObject.NULL) {
            return "matches " + matched + " alternatives of " + keyword + ", but must match exactly one";
        }
        int total = failure.getViolatedSchema() instanceof CombinedSchema combined
                ? combined.getSubschemas().size() : 0;
        String which = matched == 2 && total == 2 ? "both alternatives" : matched + " alternatives";
        List<String> tokens = tokens(pointer);
        String remedy = tokens.isEmpty() ? ""
                : isIndex(tokens.get(tokens.size() - 1)) && valueAt(parentOf(pointer)) instanceof JSONArray
                        ? "; remove the item or give a value"
                        : "; remove the key or give a value";
        return "null is not allowed here (matches " + which + " of " + keyword + ")" + remedy;
    }

    private static String parentOf(String pointer) {
        return pointer.substring(0, Math.max(0, pointer.lastIndexOf('/')));
    }

    private Object valueAt(String pointer) {
        Object current = document.root();
        for (String token : tokens(pointer)) {
            if (current instanceof JSONObject object) {
                current = object.opt(token);
            } else if (current instanceof JSONArray array && isIndex(token)) {
                current = array.opt(Integer.parseInt(token));
            } else {
                return null;
            }
        }
        return current;
    }

    /**
     * {@code pointer} below {@code base} as people write it: {@code spec.replicas},
     * {@code tags[0]}, {@code metadata.annotations."app.kubernetes.io/name"}.
     */
    private String readablePath(String base, String pointer) {
        if (!pointer.startsWith(base)) {
            return pointer;
        }
        Object parent = valueAt(base);
        StringBuilder path = new StringBuilder();
        for (String token : tokens(pointer.substring(base.length()))) {
            if (parent instanceof JSONArray array && isIndex(token)) {
                path.append('[').append(token).append(']');
                parent = array.opt(Integer.parseInt(token));
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(PLAIN_KEY.matcher(token).matches() ? token : "\"" + token + "\"");
                parent = parent instanceof JSONObject object ? object.opt(token) : null;
            }
        }
        return path.toString();
    }

    private static List<String> tokens(String pointer) {
        List<String> tokens = new ArrayList<>();
        if (pointer.isEmpty()) {
            return tokens;
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static boolean isIndex(String token) {
        return !token.isEmpty() && token.length() < 10 && token.chars().allMatch(Character::isDigit);
    }

    /**
     * The JSON type a "type" failure wanted. Read from Everit's message, since its violated
     * schema is sometimes the enclosing one (for {@code additionalProperties: {type: ...}}).
     */
    private static String expectedType(ValidationException failure) {
        Matcher expected = EXPECTED_TYPE.matcher(failure.getErrorMessage());
        return expected.matches() ? JSON_TYPES.get(expected.group(1)) : null;
    }

    private static String typeOf(Object value) {
        if (value instanceof JSONObject) {
            return "object";
        }
        if (value instanceof JSONArray) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte) {
            return "integer";
        }
        if (value instanceof Number) {
            return "number";
        }
        return "null";
    }

    private static String length(Object value) {
        return value instanceof String text ? String.valueOf(text.codePointCount(0, text.length())) : "?";
    }

    private static String size(Object value) {
        if (value instanceof JSONArray array) {
            return String.valueOf(array.length());
        }
        return value instanceof JSONObject object ? String.valueOf(object.length()) : "?";
    }

    private static String list(List<Object> values) {
        return list(values, true);
    }

    private static String list(List<Object> values, boolean quoted) {
        String shown = values.stream()
                .limit(MAX_LISTED)
                .map(value -> quoted ? show(value) : String.valueOf(value))
                .collect(Collectors.joining(", "));
        return values.size() > MAX_LISTED ? shown + ", ..." : shown;
    }

    /** A value as it would be written in the file, shortened when long. */
    private static String show(Object value) {
        if (value instanceof String text) {
            return "'" + shorten(text) + "'";
        }
        if (value instanceof BigDecimal decimal) {
            return shorten(decimal.stripTrailingZeros().toPlainString());
        }
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            return shorten(BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString());
        }
        if (value == null || value == JSONObject.NULL) {
            return "null";
        }
        return shorten(value.toString());
    }

    /** Kept to one short line: a violation is printed as one line of a CI log or a push's output. */
    private static String shorten(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "...";
    }
}
