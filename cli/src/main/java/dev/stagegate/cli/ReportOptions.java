package dev.stagegate.cli;

import dev.stagegate.Outcome;
import dev.stagegate.report.ReportFormat;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.VerdictRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --format} and {@code --output}: how and where a verdict is written. */
final class ReportOptions {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = Format.Converter.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ReportFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    private Path output;

    private boolean perKindInText = true;

    /**
     * Writes the outcome's verdict and returns its exit status; a usage error the engine found
     * is thrown instead, so that it is printed as every other usage error is, without a report.
     */
    int write(Outcome outcome, Invocation invocation) throws IOException {
        Optional<String> usageError = outcome.usageMessage();
        if (usageError.isPresent()) {
            throw new UsageException(usageError.get());
        }
        write(outcome.verdict(), invocation);
        return outcome.status().code();
    }

    /** {@code validate} prints the Kubernetes kinds one per line in text only with {@code --summary}. */
    void perKindInText(boolean perKind) {
        this.perKindInText = perKind;
    }

    private void write(Verdict verdict, Invocation invocation) throws IOException {
        VerdictRenderer renderer = format == ReportFormat.TEXT
                ? new TextRenderer(perKindInText) : format.renderer(Format.toolVersion());
        String report = renderer.render(verdict);
        if (output == null) {
            invocation.stdout().write(report.getBytes(StandardCharsets.UTF_8));
            invocation.stdout().flush();
        } else {
            Path file = invocation.resolve(output);
            try {
                Files.writeString(file, report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // the option names a place nothing can be written to: the user's to fix, not the repository
                throw new UsageException("cannot write the report to " + file.toAbsolutePath() + " ("
                        + (e instanceof NoSuchFileException ? "its directory does not exist" : e.toString()) + ")");
            }
        }
    }
}
