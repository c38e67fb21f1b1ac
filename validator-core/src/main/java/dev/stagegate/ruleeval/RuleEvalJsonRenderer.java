package dev.stagegate.ruleeval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code {"file": .., "environment": .., "passed": true|false, "results": [{"rule", "result",
 * "message"?, "document"?, "line"?, "column"?}]}}, with {@code "policyProblems"} (violations as
 * {@code validate --format json} writes them) for a policy that cannot be used, and
 * {@code "error"} for a usage error or a failure of stagegate.
 */
public final class RuleEvalJsonRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    public String render(RuleEvalRun run) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("file", run.path());
            if (run.environment().isPresent()) {
                json.writeStringField("environment", run.environment().get());
            }
            json.writeBooleanField("passed", run.status().code() == 0);
            json.writeArrayFieldStart("results");
            for (RuleEvalResult result : run.results()) {
                writeResult(json, result);
            }
            json.writeEndArray();
            if (!run.policyProblems().isEmpty()) {
                json.writeArrayFieldStart("policyProblems");
                for (Violation problem : run.policyProblems()) {
                    JsonRenderer.writeViolation(json, problem);
                }
                json.writeEndArray();
            }
            if (run.usageError().or(run::failure).isPresent()) {
                json.writeStringField("error", run.usageError().or(run::failure).get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeResult(JsonGenerator json, RuleEvalResult result) throws IOException {
        json.writeStartObject();
        json.writeStringField("rule", result.ruleId());
        json.writeStringField("result", result.result().jsonName());
        if (!result.message().isEmpty()) {
            json.writeStringField("message", result.message());
        }
        if (result.document() > 0) {
            json.writeNumberField("document", result.document());
        }
        if (result.position().isPresent()) {
            json.writeNumberField("line", result.position().get().line());
            json.writeNumberField("column", result.position().get().column());
        }
        json.writeEndObject();
    }
}
