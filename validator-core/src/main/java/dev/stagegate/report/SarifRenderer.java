package dev.stagegate.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one run whose driver lists the
 * rules that reported and every custom rule of the policies judged under (reported or not, so
 * that code scanning shows what the policy checks), and one result per violation.
 *
 * <p>GitHub code scanning rejects a whole upload when any result lacks a physical location, so a
 * violation that is about a ref rather than a file (a skipped stage, missing evidence) points at
 * {@value #POLICY_PATH}, the file that defines the rule, without a region, and names its ref as a
 * logical location. Ref, environment and commit also go in each result's property bag.
 */
public final class SarifRenderer implements VerdictRenderer {

    public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String SARIF_VERSION = "2.1.0";
    public static final String TOOL_NAME = "stagegate";
    public static final String INFORMATION_URI = "https://stagegate.dev";
    /** Where results without a file of their own point. */
    public static final String POLICY_PATH = ".stagegate/policy.yaml";
    /** Repository-relative paths are relative to the checkout, as SARIF's well-known base says. */
    public static final String SOURCE_ROOT = "%SRCROOT%";

    private static final JsonFactory FACTORY = new JsonFactory();

    private final String toolVersion;

    /** @param toolVersion stagegate's version for {@code tool.driver.version}, or null to leave it out */
    public SarifRenderer(String toolVersion) {
        this.toolVersion = toolVersion == null || toolVersion.isBlank() ? null : toolVersion;
    }

    @Override
    public String render(Verdict verdict) {
        List<Violation> violations = verdict.sorted();
        List<String> rules = rulesOf(violations, verdict.customRules());
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("$schema", SCHEMA_URI);
            json.writeStringField("version", SARIF_VERSION);
            json.writeArrayFieldStart("runs");
            json.writeStartObject();
            writeTool(json, rules, verdict);
            writeInvocation(json, verdict);
            json.writeArrayFieldStart("results");
            for (Violation violation : violations) {
                writeResult(json, violation, rules.indexOf(violation.rule()));
            }
            json.writeEndArray();
            json.writeObjectFieldStart("properties");
            json.writeStringField("decision", verdict.decision());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /** The rule ids that reported, in the order of their first result, then the custom rules that did not. */
    private static List<String> rulesOf(List<Violation> violations, List<RuleDescription> customRules) {
        Set<String> ids = new LinkedHashSet<>();
        for (Violation violation : violations) {
            ids.add(violation.rule());
        }
        for (RuleDescription rule : customRules) {
            ids.add(rule.id());
        }
        return new ArrayList<>(ids);
    }

    private void writeTool(JsonGenerator json, List<String> rules, Verdict verdict) throws IOException {
        json.writeObjectFieldStart("tool");
        json.writeObjectFieldStart("driver");
        json.writeStringField("name", TOOL_NAME);
        json.writeStringField("informationUri", INFORMATION_URI);
        if (toolVersion != null) {
            json.writeStringField("version", toolVersion);
        }
        json.writeArrayFieldStart("rules");
        for (String rule : rules) {
            RuleDescription description = verdict.customRule(rule)
                    .orElseGet(() -> new RuleDescription(rule, RuleSummaries.of(rule),
                            RuleSummaries.defaultSeverity(rule), true));
            json.writeStartObject();
            json.writeStringField("id", rule);
            json.writeObjectFieldStart("shortDescription");
            json.writeStringField("text", description.summary());
            json.writeEndObject();
            json.writeObjectFieldStart("defaultConfiguration");
            if (!description.enabled()) {
                json.writeBooleanField("enabled", false);
            }
            json.writeStringField("level", level(description.defaultSeverity()));
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Whether the run itself worked, and the notes that are no violations ("no policy governs ..."). */
    private static void writeInvocation(JsonGenerator json, Verdict verdict) throws IOException {
        boolean runFailed = verdict.violations().stream().anyMatch(v -> Violation.RUN_ERROR.equals(v.rule()));
        json.writeArrayFieldStart("invocations");
        json.writeStartObject();
        json.writeBooleanField("executionSuccessful", !runFailed);
        if (!verdict.notes().isEmpty()) {
            json.writeArrayFieldStart("toolExecutionNotifications");
            for (String note : verdict.notes()) {
                json.writeStartObject();
                json.writeStringField("level", "note");
                writeMessage(json, note);
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeEndArray();
    }

    private static void writeResult(JsonGenerator json, Violation violation, int ruleIndex) throws IOException {
        json.writeStartObject();
        json.writeStringField("ruleId", violation.rule());
        json.writeNumberField("ruleIndex", ruleIndex);
        json.writeStringField("level", level(violation.severity()));
        writeMessage(json, violation.message());
        json.writeArrayFieldStart("locations");
        writeLocation(json, violation);
        json.writeEndArray();
        if (violation.ref() != null || violation.environment() != null || violation.commit() != null) {
            json.writeObjectFieldStart("properties");
            writeIfPresent(json, "ref", violation.ref());
            writeIfPresent(json, "environment", violation.environment());
            writeIfPresent(json, "commit", violation.commit());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeLocation(JsonGenerator json, Violation violation) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("physicalLocation");
        json.writeObjectFieldStart("artifactLocation");
        json.writeStringField("uri", uriOf(violation.file() != null ? violation.file() : POLICY_PATH));
        json.writeStringField("uriBaseId", SOURCE_ROOT);
        json.writeEndObject();
        if (violation.file() != null && violation.line() > 0) {
            json.writeObjectFieldStart("region");
            json.writeNumberField("startLine", violation.line());
            if (violation.column() > 0) {
                json.writeNumberField("startColumn", violation.column());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        if (violation.ref() != null) {
            json.writeArrayFieldStart("logicalLocations");
            json.writeStartObject();
            json.writeStringField("name", violation.ref());
            json.writeStringField("fullyQualifiedName", violation.ref());
            json.writeStringField("kind", "ref");
            json.writeEndObject();
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void writeMessage(JsonGenerator json, String text) throws IOException {
        json.writeObjectFieldStart("message");
        json.writeStringField("text", text);
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    private static String level(Severity severity) {
        return severity == Severity.ERROR ? "error" : "warning";
    }

    /**
     * A repository path as a relative URI reference: every byte outside RFC 3986's unreserved set,
     * {@code /} and the sub-delimiters is percent-encoded. A colon is encoded too, so that a first
     * segment like {@code a:b} cannot read as a scheme.
     */
    static String uriOf(String path) {
        StringBuilder uri = new StringBuilder(path.length() + 8);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUriPathChar(c)) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return uri.toString();
    }

    private static boolean isUriPathChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~/!$&'()*+,;=@".indexOf(c) >= 0;
    }
}
