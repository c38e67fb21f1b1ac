package dev.stagegate.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.rules.EvidenceJudgement;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The board as one JSON object for scripts and dashboards. Field names are stable; every
 * field is always present ({@code null} when there is nothing), so consumers need no
 * existence checks. Enumerations are lower-case with hyphens ({@code in-sync},
 * {@code not-in-environment}); times are ISO-8601 instants in UTC.
 */
public final class BoardJsonRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    public String render(EnvironmentBoard board) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("policy", board.policySource());
            json.writeStringField("branches", board.branchSource() == BranchSource.REMOTE_FIRST
                    ? "refs/remotes/origin" : "refs/heads");
            json.writeNumberField("searchDepth", board.searchDepth());
            json.writeStringField("generatedAt", board.generatedAt().toString());
            json.writeArrayFieldStart("environments");
            for (EnvironmentStatus environment : board.environments()) {
                writeEnvironment(json, environment);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("notes");
            for (String note : board.notes()) {
                json.writeString(note);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeEnvironment(JsonGenerator json, EnvironmentStatus environment) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", environment.name());
        json.writeStringField("branch", environment.branch());
        json.writeArrayFieldStart("promotesFrom");
        for (String upstream : environment.promotesFrom()) {
            json.writeString(upstream);
        }
        json.writeEndArray();
        json.writeStringField("upstreamMode", environment.upstreamMode().name().toLowerCase(Locale.ROOT));
        json.writeBooleanField("branchMissing", environment.branchMissing());
        writeCommit(json, "tip", environment.tip());
        json.writeStringField("content", environment.contentKey().orElse(null));
        json.writeBooleanField("notBackPorted", environment.notBackPorted());
        json.writeBooleanField("skippedStage", environment.skippedStage());
        writeStrings(json, "skippedStages", environment.skippedStages());
        json.writeArrayFieldStart("upstreams");
        for (UpstreamStatus upstream : environment.upstreams()) {
            writeUpstream(json, upstream);
        }
        json.writeEndArray();
        json.writeFieldName("nextInLine");
        if (environment.nextInLine().isPresent()) {
            writeNextInLine(json, environment.nextInLine().get());
        } else {
            json.writeNull();
        }
        json.writeEndObject();
    }

    private static void writeUpstream(JsonGenerator json, UpstreamStatus upstream) throws IOException {
        json.writeStartObject();
        json.writeStringField("environment", upstream.environment());
        json.writeStringField("branch", upstream.branch());
        json.writeStringField("state", upstream.state().label());
        writeCommit(json, "tip", upstream.tip());
        writeCommit(json, "carries", upstream.carries());
        json.writeFieldName("foundIn");
        if (upstream.foundIn().isPresent()) {
            json.writeStartObject();
            json.writeStringField("environment", upstream.foundIn().get().environment());
            writeCommit(json, "commit", Optional.of(upstream.foundIn().get().commit()));
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        writeStrings(json, "skipped", upstream.skipped());
        json.writeBooleanField("tipAlreadyPassed", upstream.tipAlreadyPassed());
        writePaths(json, "differingPaths", upstream.differingPaths());
        json.writeObjectFieldStart("waiting");
        json.writeNumberField("commits", upstream.waiting().commits());
        json.writeBooleanField("atLeast", upstream.waiting().atLeast());
        writePaths(json, "paths", upstream.waiting().paths());
        json.writeEndObject();
        writePaths(json, "notBroughtBack", upstream.notBroughtBack());
        json.writeEndObject();
    }

    /** Findings per rule id, in id order. */
    private static void writeCounts(JsonGenerator json, String name, Map<String, Integer> counts)
            throws IOException {
        json.writeObjectFieldStart(name);
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            json.writeNumberField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private static void writeNextInLine(JsonGenerator json, NextInLine next) throws IOException {
        json.writeStartObject();
        json.writeStringField("from", next.fromEnvironment());
        writeCommit(json, "commit", Optional.of(next.commit()));
        json.writeBooleanField("alreadyHere", next.alreadyHere());
        json.writeFieldName("blocked");
        if (next.blocked().isPresent()) {
            Blocked blocked = next.blocked().get();
            json.writeStartObject();
            json.writeStringField("reason", blocked.reason().label());
            writeStrings(json, "environments", blocked.environments());
            writePaths(json, "paths", blocked.paths());
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        json.writeBooleanField("ready", next.ready());
        json.writeBooleanField("evidenceSatisfied", next.evidenceSatisfied());
        json.writeBooleanField("approvalsSatisfied", next.approvalsSatisfied());
        json.writeBooleanField("customRulesSatisfied", next.customRulesSatisfied());
        json.writeFieldName("customRules");
        if (next.customRules().isPresent()) {
            CustomRuleCounts counts = next.customRules().get();
            json.writeStartObject();
            json.writeNumberField("judged", counts.judged());
            writeCounts(json, "errors", counts.errors());
            writeCounts(json, "warnings", counts.warnings());
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        json.writeArrayFieldStart("evidence");
        for (EvidenceJudgement judgement : next.evidence()) {
            json.writeStartObject();
            json.writeStringField("suite", judgement.requirement().suite());
            json.writeStringField("environment", judgement.requirement().environment());
            if (judgement.requirement().maxAge() == null) {
                json.writeNullField("maxAgeSeconds");
            } else {
                json.writeNumberField("maxAgeSeconds", judgement.requirement().maxAge().getSeconds());
            }
            if (judgement.requirement().minAge() == null) {
                json.writeNullField("minAgeSeconds");
            } else {
                json.writeNumberField("minAgeSeconds", judgement.requirement().minAge().getSeconds());
            }
            json.writeStringField("finding", judgement.finding().label());
            json.writeStringField("passingSince", judgement.passingSince().map(Instant::toString).orElse(null));
            json.writeStringField("readyAt", judgement.readyAt().map(Instant::toString).orElse(null));
            json.writeStringField("testedCommit", judgement.tested().map(ObjectId::name).orElse(null));
            json.writeFieldName("decisive");
            if (judgement.decisive().isPresent()) {
                EvidenceRecord record = judgement.decisive().get();
                json.writeStartObject();
                json.writeStringField("result", record.result().label());
                json.writeStringField("recordedAt", record.recordedAt().toString());
                json.writeStringField("producer", record.producer());
                json.writeStringField("commit", record.commit());
                json.writeEndObject();
            } else {
                json.writeNull();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeFieldName("approvals");
        if (next.approvals().isPresent()) {
            writeApprovals(json, next.approvals().get());
        } else {
            json.writeNull();
        }
        json.writeEndObject();
    }

    private static void writeApprovals(JsonGenerator json, ApprovalStatus approvals) throws IOException {
        ApprovalJudgement judgement = approvals.judgement();
        json.writeStartObject();
        json.writeNumberField("required", judgement.requirement().count());
        json.writeArrayFieldStart("from");
        for (String name : judgement.requirement().from()) {
            json.writeString(name);
        }
        json.writeEndArray();
        json.writeBooleanField("satisfied", approvals.satisfied());
        json.writeStringField("approvableCommit", judgement.approvable().map(ObjectId::name).orElse(null));
        json.writeArrayFieldStart("counted");
        for (ApprovalRecord record : judgement.counted()) {
            json.writeStartObject();
            json.writeStringField("approver", record.approver());
            json.writeStringField("recordedAt", record.recordedAt().toString());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("notCounted");
        for (ApprovalJudgement.NotCounted notCounted : judgement.notCounted()) {
            json.writeStartObject();
            json.writeStringField("approver", notCounted.approver());
            json.writeStringField("reason", notCounted.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("rejected");
        for (ApprovalRecord record : judgement.rejections()) {
            json.writeStartObject();
            json.writeStringField("approver", record.approver());
            json.writeStringField("recordedAt", record.recordedAt().toString());
            json.writeStringField("comment", record.comment().orElse(null));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("waitingFor");
        for (String identity : approvals.waitingFor()) {
            json.writeString(identity);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeCommit(JsonGenerator json, String field, Optional<CommitSummary> commit)
            throws IOException {
        json.writeFieldName(field);
        if (commit.isEmpty()) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("id", commit.get().id());
        json.writeStringField("subject", commit.get().subject());
        json.writeStringField("date", commit.get().date().toString());
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writePaths(JsonGenerator json, String field, PathList paths) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeNumberField("total", paths.total());
        json.writeArrayFieldStart("paths");
        for (String path : paths.paths()) {
            json.writeString(path);
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
