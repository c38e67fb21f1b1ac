package dev.stagegate.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stagegate.ExitStatus;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.NoteRecord;
import dev.stagegate.report.Timestamp;
import dev.stagegate.signature.SignatureCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = {
            "Shows the records (test evidence and approvals), valid or not, on one commit or on all.",
            "For a signed record it shows the signer and key fingerprint, or why the signature does not verify "
                    + "with the policy's allowed signers (or those of --allowed-signers)."
        },
        footer = {
            "",
            "Exit status: 0 listed (invalid records are listed too, marked INVALID), 2 usage error (an unknown "
                    + "commit, an allowed-signers file that cannot be read), 3 the repository cannot be read."
        })
final class EvidenceListCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--commit", paramLabel = "REV", description = "Only the evidence on this commit.")
    private String commit;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Verify signatures with this allowed-signers file instead of the one the policy names.")
    private Path allowedSignersFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    private String format;

    @Mixin
    private DebugOption debug;

    EvidenceListCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, not '" + format + "'");
        }
        EvidenceListing listing = engines.apply(invocation.clock()).listEvidence(
                repository.repository(invocation), Optional.ofNullable(commit), repository.policyFile(invocation),
                Optional.ofNullable(allowedSignersFile).map(invocation::resolve));
        if (listing.error().isPresent()) {
            if (listing.status() == ExitStatus.USAGE_OR_POLICY) {
                throw new UsageException(listing.error().get());
            }
            invocation.stderr().println("stagegate evidence list: " + listing.error().get());
            return listing.status().code();
        }
        PrintStream out = invocation.stdout();
        out.print(format.equals("json") ? json(listing) : text(listing));
        out.flush();
        return listing.status().code();
    }

    private static String text(EvidenceListing listing) {
        StringBuilder out = new StringBuilder();
        if (listing.entries().isEmpty()) {
            out.append("no evidence under ").append(listing.notesRef()).append('\n');
        }
        for (EvidenceListing.Entry entry : listing.entries()) {
            out.append(entry.commit(), 0, 12).append("  ");
            if (entry.line().record().isPresent()) {
                NoteRecord record = entry.line().record().get();
                if (record instanceof EvidenceRecord evidence) {
                    out.append(String.format("%-12s %-12s %-20s %-8s %s %s", evidence.kind(), evidence.environment(),
                            evidence.suite(), evidence.result().label(), Timestamp.text(evidence.recordedAt()),
                            evidence.producer()));
                } else if (record instanceof ApprovalRecord approval) {
                    out.append(String.format("%-12s %-12s %-20s %-8s %s %s", approval.kind(), approval.environment(),
                            "-", approval.decision().label(), Timestamp.text(approval.recordedAt()),
                            approval.approver()));
                    approval.comment().ifPresent(comment -> out.append(" \"").append(oneLine(comment)).append('"'));
                }
                entry.signature().ifPresent(check -> out.append(check.verified()
                        ? "  signed by " + check.principal().orElse("?") + " (" + check.fingerprint().orElse("?") + ")"
                        : "  signature does not verify: " + check.reason()));
                if (!record.commit().equals(entry.commit())) {
                    out.append("  (names commit ").append(record.commit(), 0, 12).append(": ignored)");
                }
            } else {
                out.append("INVALID (").append(entry.line().problem().orElse("unreadable")).append("): ")
                        .append(entry.line().text().length() > 80 ? entry.line().text().substring(0, 77) + "..."
                                : entry.line().text());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A comment is free text: its line breaks must not make one record look like two. */
    private static String oneLine(String text) {
        return text.replaceAll("\\R", " ");
    }

    private static String json(EvidenceListing listing) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("notesRef", listing.notesRef());
            json.writeArrayFieldStart("evidence");
            for (EvidenceListing.Entry entry : listing.entries()) {
                json.writeStartObject();
                json.writeStringField("annotated", entry.commit());
                json.writeBooleanField("valid", entry.line().record().isPresent());
                if (entry.line().record().isPresent()) {
                    json.writeStringField("kind", entry.line().record().get().kind());
                }
                if (entry.line().problem().isPresent()) {
                    json.writeStringField("problem", entry.line().problem().get());
                }
                if (entry.signature().isPresent()) {
                    SignatureCheck check = entry.signature().get();
                    json.writeObjectFieldStart("signature");
                    json.writeBooleanField("verified", check.verified());
                    json.writeStringField("principal", check.principal().orElse(null));
                    json.writeStringField("fingerprint", check.fingerprint().orElse(null));
                    json.writeStringField("reason", check.reason());
                    json.writeEndObject();
                }
                json.writeStringField("line", entry.line().text());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out + "\n";
    }
}
