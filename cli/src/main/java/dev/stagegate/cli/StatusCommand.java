package dev.stagegate.cli;

import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.status.BoardHtmlRenderer;
import dev.stagegate.status.BoardJsonRenderer;
import dev.stagegate.status.BoardTextRenderer;
import dev.stagegate.status.EnvironmentBoard;
import dev.stagegate.status.StatusOutcome;
import dev.stagegate.status.StatusRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status",
        description = {
            "The environment board: for every environment of the policy, its branch tip, which upstream commit's "
                    + "content it carries, what waits upstream to be promoted, a stage its content skipped (found "
                    + "further up the chain) or a hotfix never back-ported (found nowhere upstream), and the evidence "
                    + "and approvals on the content next in line (never a step backwards; blocked where it would undo "
                    + "a hotfix).",
            "A clone's branches are read from refs/remotes/origin/* when it has them."
        },
        footer = {
            "",
            "Exit status: 0 the board was drawn (skipped stages and hotfixes are shown, not rejected), 2 no policy "
                    + "governs, 3 the repository cannot be read."
        })
final class StatusCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Allowed-signers file (git's format) to verify signed records with, instead of the one the "
                    + "policy names.")
    private Path allowedSignersFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the board to FILE instead of standard output.")
    private Path output;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the board as one self-contained HTML page with the promotion graph.")
    private Path html;

    @Mixin
    private DebugOption debug;

    StatusCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws IOException {
        boolean json = Format.isJson(format);
        StatusOutcome outcome = engines.apply(invocation.clock()).status(
                new StatusRequest(repository.repository(invocation), repository.policyFile(invocation),
                        Optional.ofNullable(allowedSignersFile).map(invocation::resolve)));
        if (outcome.board().isEmpty()) {
            // no board, so no verdict to sum up either: only why, one violation per line as everywhere
            Verdict why = outcome.outcome().verdict();
            write(json ? new JsonRenderer().render(why)
                    : why.violations().stream().map(v -> TextRenderer.line(v) + "\n").collect(Collectors.joining()));
            if (debug.enabled() && outcome.outcome().cause().isPresent()) {
                outcome.outcome().cause().get().printStackTrace(invocation.stderr());
            }
            return outcome.status().code();
        }
        EnvironmentBoard board = outcome.board().get();
        if (html != null) {
            Files.writeString(invocation.resolve(html), new BoardHtmlRenderer().render(board), StandardCharsets.UTF_8);
        }
        write(json ? new BoardJsonRenderer().render(board) : new BoardTextRenderer().render(board));
        return outcome.status().code();
    }

    private void write(String report) throws IOException {
        if (output == null) {
            invocation.stdout().print(report);
            invocation.stdout().flush();
        } else {
            Files.writeString(invocation.resolve(output), report, StandardCharsets.UTF_8);
        }
    }
}
