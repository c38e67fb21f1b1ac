package dev.stagegate.cli;

import dev.stagegate.ExitStatus;
import dev.stagegate.Validator;
import dev.stagegate.engine.RepositoryUnreadableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * {@code stagegate <command> [options]}. A thin adapter: each command turns its options
 * into one engine request and prints the verdict; the decisions are the engine's.
 */
@Command(name = "stagegate",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = "Guards GitOps repositories that keep one branch per environment.")
public final class Main {

    /**
     * The top level's footer only: set after the subcommands are added, since the inherited
     * scope would otherwise give it to every command, where each states its own statuses.
     */
    private static final String[] FOOTER = {
        "",
        "Exit status: 0 accepted, 1 rejected, 2 usage error or the policy cannot be loaded, "
                + "3 the repository cannot be judged; each command's --help says what they mean for it."
    };

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    public Main(Invocation invocation) {
        this(invocation, clock -> Engine.of(new Validator(clock)));
    }

    /** @param engines the engine a command asks, given the clock the run is judged at */
    Main(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    public static void main(String[] args) {
        System.exit(new Main(Invocation.ofProcess()).run(args));
    }

    /** Runs one command and returns its exit status; never exits the JVM. */
    public int run(String... args) {
        PrintWriter out = new PrintWriter(invocation.stdout(), true);
        PrintWriter err = new PrintWriter(invocation.stderr(), true);
        CommandLine commandLine = new CommandLine(this);
        Map<String, Supplier<Object>> subcommands = subcommands();
        // picocli builds each command's model by reflection, a good part of the hook's start-up:
        // a run of one known command builds only that one; help and typos still see them all.
        String first = args.length == 0 ? "" : args[0];
        subcommands.forEach((name, subcommand) -> {
            if (!subcommands.containsKey(first) || name.equals(first)) {
                commandLine.addSubcommand(name, subcommand.get());
            }
        });
        commandLine.getCommandSpec().usageMessage().footer(FOOTER);
        commandLine
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::failClosed);
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("validate", () -> new ValidateCommand(invocation, engines));
        subcommands.put("check-promotion", () -> new CheckPromotionCommand(invocation, engines));
        subcommands.put("pre-receive", () -> new PreReceiveCommand(invocation, engines));
        subcommands.put("hook", () -> new CommandLine(new HookCommand())
                .addSubcommand(new HookInstallCommand(invocation))
                .addSubcommand(new HookServeCommand(invocation, engines))
                .addSubcommand(new CdsTraining()));
        subcommands.put("evidence", () -> new CommandLine(new EvidenceCommand())
                .addSubcommand(new EvidenceRecordCommand(invocation, engines))
                .addSubcommand(new EvidenceListCommand(invocation, engines)));
        subcommands.put("approve", () -> new ApproveCommand(invocation, engines));
        subcommands.put("demo", () -> new DemoCommand(invocation));
        subcommands.put("status", () -> new StatusCommand(invocation, engines));
        subcommands.put("policy", () -> new CommandLine(new PolicyCommand())
                .addSubcommand(new PolicyTestCommand(invocation, engines)));
        subcommands.put("rules", () -> new CommandLine(new RulesCommand())
                .addSubcommand(new RulesEvalCommand(invocation, engines)));
        return subcommands;
    }

    /** A command line picocli cannot parse: said the way every usage error is. */
    private static int usageError(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        String message = failure.getMessage();
        if (failure instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + unmatched.getSuggestions().stream().map(name -> "'" + name + "'")
                    .collect(Collectors.joining(" or ")) + "?)";
        }
        List<String> subcommands = command.getSubcommands().values().stream()
                .filter(subcommand -> !subcommand.getCommandSpec().usageMessage().hidden())
                .map(CommandLine::getCommandName).toList();
        if (!subcommands.isEmpty()) {
            message += "; commands: " + String.join(", ", subcommands);
        }
        printUsageError(command, message);
        return ExitStatus.USAGE_OR_POLICY.code();
    }

    /**
     * {@code stagegate <command>: <what is wrong>} and where to read more: the one form of
     * every usage error, with no rule id, since no rule judged anything.
     */
    private static void printUsageError(CommandLine command, String message) {
        String name = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        err.println(name + ": " + message.replaceAll("\\s*\\R\\s*", " "));
        err.println("Try '" + name + " --help'.");
    }

    /** Any exception a command lets out: one line, no stack trace unless {@code --debug}. */
    private static int failClosed(Exception failure, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        if (failure instanceof UsageException) {
            printUsageError(command, failure.getMessage());
            return ExitStatus.USAGE_OR_POLICY.code();
        }
        boolean debug = debugRequested(parseResult);
        err.println(command.getCommandSpec().qualifiedName() + ": cannot judge the repository: " + describe(failure)
                + (debug ? "" : " (--debug prints the stack trace)"));
        if (debug) {
            failure.printStackTrace(err);
        }
        return ExitStatus.CANNOT_JUDGE.code();
    }

    private static boolean debugRequested(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(DebugOption.NAME)) {
                return true;
            }
        }
        return false;
    }

    /** A failure as one line for the user: its message, with the type where the message alone is unclear. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text;
        if (message == null || message.isBlank()) {
            text = failure.getClass().getSimpleName();
        } else if (failure instanceof IOException && !(failure instanceof RepositoryUnreadableException)) {
            text = failure.getClass().getSimpleName() + ": " + message;
        } else {
            text = message;
        }
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
