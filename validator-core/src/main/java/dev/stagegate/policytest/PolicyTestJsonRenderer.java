package dev.stagegate.policytest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * One object: {@code status} (the exit status), the counts, {@code problems}, and per case its
 * result, the differences, what was expected and what the push actually got, with the
 * violations in the shape of product.md's JSON output.
 */
public final class PolicyTestJsonRenderer implements PolicyTestRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String render(PolicyTestRun run) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("status", run.status().code());
            json.writeNumberField("passed", run.count(CaseResult.Status.PASSED));
            json.writeNumberField("failed", run.count(CaseResult.Status.FAILED));
            json.writeNumberField("invalid", run.count(CaseResult.Status.INVALID));
            json.writeNumberField("errors", run.count(CaseResult.Status.ERROR));
            if (run.failure().isPresent()) {
                json.writeStringField("failure", run.failure().get());
            }
            json.writeArrayFieldStart("problems");
            for (InputProblem problem : run.problems()) {
                writeProblem(json, problem);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("cases");
            for (CaseResult result : run.cases()) {
                writeCase(json, result);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeCase(JsonGenerator json, CaseResult result) throws IOException {
        TestCase testCase = result.testCase();
        json.writeStartObject();
        json.writeStringField("name", testCase.name());
        json.writeStringField("file", testCase.file());
        json.writeNumberField("line", testCase.position().line());
        json.writeNumberField("column", testCase.position().column());
        json.writeStringField("result", result.status().label());
        json.writeArrayFieldStart("differences");
        for (String difference : result.differences()) {
            json.writeString(difference);
        }
        json.writeEndArray();
        Expectation expected = testCase.expectation();
        json.writeObjectFieldStart("expected");
        json.writeStringField("decision", expected.decision());
        writeStrings(json, "errors", new TreeSet<>(expected.errors()));
        if (expected.warnings().isPresent()) {
            writeStrings(json, "warnings", new TreeSet<>(expected.warnings().get()));
        }
        writeStrings(json, "messages", expected.messages());
        json.writeEndObject();
        if (result.verdict().isPresent()) {
            writeActual(json, result.verdict().get());
        }
        if (!result.problems().isEmpty()) {
            json.writeArrayFieldStart("problems");
            for (InputProblem problem : result.problems()) {
                writeProblem(json, problem);
            }
            json.writeEndArray();
        }
        if (result.error().isPresent()) {
            json.writeStringField("error", result.error().get());
        }
        json.writeEndObject();
    }

    private static void writeActual(JsonGenerator json, Verdict verdict) throws IOException {
        json.writeObjectFieldStart("actual");
        json.writeStringField("decision", verdict.decision());
        writeStrings(json, "errors", Expectation.ruleIds(verdict, true));
        writeStrings(json, "warnings", Expectation.ruleIds(verdict, false));
        json.writeArrayFieldStart("violations");
        for (Violation violation : verdict.violations()) {
            JsonRenderer.writeViolation(json, violation);
        }
        json.writeEndArray();
        writeStrings(json, "notes", verdict.notes());
        json.writeEndObject();
    }

    private static void writeProblem(JsonGenerator json, InputProblem problem) throws IOException {
        json.writeStartObject();
        json.writeStringField("file", problem.file());
        json.writeNumberField("line", problem.position().line());
        json.writeNumberField("column", problem.position().column());
        json.writeStringField("message", problem.message());
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, Collection<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
