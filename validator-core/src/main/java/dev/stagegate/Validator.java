package dev.stagegate;

import dev.stagegate.engine.ApprovalService;
import dev.stagegate.engine.EvidenceService;
import dev.stagegate.engine.PromotionCheck;
import dev.stagegate.engine.PushJudge;
import dev.stagegate.engine.RepositoryOpener;
import dev.stagegate.engine.RepositoryUnreadableException;
import dev.stagegate.engine.RepositoryValidation;
import dev.stagegate.evidence.EvidenceListing;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import dev.stagegate.memo.CacheDirectory;
import dev.stagegate.policy.AllowedSignersReader;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policytest.InputProblem;
import dev.stagegate.policytest.PolicyTestRequest;
import dev.stagegate.policytest.PolicyTestRun;
import dev.stagegate.policytest.PolicyTestRunner;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.ruleeval.RuleEvalRequest;
import dev.stagegate.ruleeval.RuleEvalRun;
import dev.stagegate.ruleeval.RuleEvalRunner;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.status.BoardBuilder;
import dev.stagegate.status.StatusOutcome;
import dev.stagegate.status.StatusRequest;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;

/**
 * The one entry point the adapters (command line, hook, Maven plugin) call. Every method
 * returns an {@link Outcome} and never throws: bad input is a violation, an unreadable
 * repository exit status 3, and any internal error a rejecting outcome (fail closed).
 */
public final class Validator {

    private final Clock clock;
    private final YamlLimits limits;
    private final PolicyLoader loader;
    private final RuleRegistry registry;

    /** @param clock the time freeze windows, evidence age and future-dated records are judged at */
    public Validator(Clock clock) {
        this(clock, YamlLimits.DEFAULTS);
    }

    public Validator(Clock clock, YamlLimits limits) {
        this(clock, limits, RuleRegistry.standard(limits));
    }

    /** With another rule set, such as {@link RuleRegistry#plus} a rule of one's own. */
    public Validator(Clock clock, YamlLimits limits, RuleRegistry registry) {
        this.clock = clock;
        this.limits = limits;
        this.loader = new PolicyLoader(limits);
        this.registry = registry;
    }

    public Clock clock() {
        return clock;
    }

    public Outcome validate(ValidateRequest request) {
        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(request.repository()));
        return guarded(() -> new RepositoryValidation(loader, limits).run(request));
    }

    public Outcome checkPromotion(PromotionRequest request) {
        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(request.repository()));
        return guarded(() -> {
            Optional<Outcome> badLocations = invalidSchemaLocations(request.schemaLocations());
            if (badLocations.isPresent()) {
                return badLocations.get();
            }
            ServerSettings server = serverSettings(request.allowedSignersFile(), request.policyFile());
            if (server.failure().isPresent()) {
                return server.failure().get();
            }
            return new PromotionCheck(server.loader(), registry).run(request, server.policy(), clock.instant());
        });
    }

    public Outcome preReceive(PushRequest request) {
        CacheDirectory.keepFor(Optional.of(request.repository().getDirectory().toPath()));
        return guarded(() -> {
            RepositoryOpener.checkObjectFormat(request.repository().getDirectory().toPath());
            Optional<Outcome> badLocations = invalidSchemaLocations(request.schemaLocations());
            if (badLocations.isPresent()) {
                return badLocations.get();
            }
            ServerSettings server = serverSettings(request.allowedSignersFile(), request.policyFile());
            if (server.failure().isPresent()) {
                return server.failure().get();
            }
            return new PushJudge(server.loader(), registry).judge(request, server.policy(), clock.instant());
        });
    }

    public Outcome recordEvidence(EvidenceRequest request) {
        return guarded(() -> new EvidenceService(loader).record(request, clock.instant()));
    }

    /** {@code stagegate approve}: writes (and with a remote, pushes) an Approval record. */
    public Outcome approve(ApprovalRequest request) {
        return guarded(() -> new ApprovalService(loader).approve(request, clock.instant()));
    }

    /** Runs a policy's test cases; never throws, a failure inside stagegate is a failed run (exit status 3). */
    public PolicyTestRun testPolicy(PolicyTestRequest request) {
        ServerSigners signers = loadServerSigners(request.allowedSignersFile());
        if (signers.failure().isPresent()) {
            return new PolicyTestRun(List.of(), signers.failure().get().verdict().violations().stream()
                    .map(problem -> InputProblem.of(problem, request.allowedSignersFile().orElseThrow().toString()))
                    .toList(), Optional.empty());
        }
        return new PolicyTestRunner(loader.withServerAllowedSigners(signers.signers()), registry, clock).run(request);
    }

    /**
     * {@code stagegate rules eval}: every custom rule of the policy on one file; never throws, a
     * failure inside stagegate (an unreadable file among them) is a failed run (exit status 3).
     */
    public RuleEvalRun evaluateRules(RuleEvalRequest request) {
        try {
            return new RuleEvalRunner(loader, limits).run(request);
        } catch (IOException | UncheckedIOException e) {
            return RuleEvalRun.failed(request, "cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName()
                    + ")");
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return RuleEvalRun.failed(request, "internal error (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); please report it");
        }
    }

    /**
     * {@code stagegate evidence list}; signed records are verified with {@code allowedSignersFile}
     * when given, else with the policy's allowed signers.
     */
    public EvidenceListing listEvidence(Path repository, Optional<String> commit, Optional<Path> policyFile,
            Optional<Path> allowedSignersFile) {
        ServerSigners signers = loadServerSigners(allowedSignersFile);
        if (signers.failure().isPresent()) {
            return EvidenceListing.failed("", signers.failure().get().verdict().violations().stream()
                    .map(problem -> (problem.line() > 0 ? problem.file() + ":" + problem.line() + ": " : "")
                            + problem.message())
                    .collect(Collectors.joining("; ")), ExitStatus.USAGE_OR_POLICY);
        }
        try {
            return new EvidenceService(loader).list(repository, commit, policyFile, signers.signers());
        } catch (RepositoryUnreadableException e) {
            return EvidenceListing.failed("", e.getMessage(), ExitStatus.CANNOT_JUDGE);
        } catch (IOException | RuntimeException e) {
            return EvidenceListing.failed("", "cannot read the evidence: " + e.getMessage(), ExitStatus.CANNOT_JUDGE);
        }
    }

    /** The environment board ({@code stagegate status}): exit status 0 with a board, whatever it shows. */
    public StatusOutcome status(StatusRequest request) {
        try {
            ServerSettings server = serverSettings(request.allowedSignersFile(), request.policyFile());
            if (server.failure().isPresent()) {
                return StatusOutcome.failed(server.failure().get());
            }
            return new BoardBuilder(server.loader()).build(request, server.policy(), clock.instant());
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError failure) {
            // the same exit status and message for each failure as every other entry point
            return StatusOutcome.failed(guarded(() -> {
                throw failure;
            }));
        }
    }

    /**
     * The server's {@code --allowed-signers} and {@code --policy}: a loader that attaches those
     * signers to every policy, and the server policy; or why either cannot be used.
     */
    private ServerSettings serverSettings(Optional<Path> allowedSignersFile, Optional<Path> policyFile)
            throws IOException {
        ServerSigners signers = loadServerSigners(allowedSignersFile);
        if (signers.failure().isPresent()) {
            return new ServerSettings(loader, Optional.empty(), signers.failure());
        }
        PolicyLoader withSigners = loader.withServerAllowedSigners(signers.signers());
        ServerPolicy server = loadServerPolicy(withSigners, policyFile);
        return new ServerSettings(withSigners, server.policy(), server.failure());
    }

    /** {@code --schema-location} templates that cannot be used stop the run, as a bad server policy does. */
    private static Optional<Outcome> invalidSchemaLocations(List<String> templates) {
        try {
            ServerSchemaLocations.parse(templates);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(new Outcome(Verdict.of(List.of(Violation.error("policy-invalid", e.getMessage()))),
                    ExitStatus.USAGE_OR_POLICY));
        }
    }

    private record ServerSettings(PolicyLoader loader, Optional<Policy> policy, Optional<Outcome> failure) {
    }

    /** A policy given with {@code --policy}: it governs everything, so an invalid one stops the run. */
    private ServerPolicy loadServerPolicy(PolicyLoader loader, Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return new ServerPolicy(Optional.empty(), Optional.empty());
        }
        if (!Files.isRegularFile(file.get())) {
            return new ServerPolicy(Optional.empty(), Optional.of(new Outcome(Verdict.of(List.of(
                    Violation.error("policy-invalid", "the policy file " + file.get()
                            + (Files.exists(file.get()) ? " is not a regular file" : " does not exist")))),
                    ExitStatus.USAGE_OR_POLICY)));
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file.get());
        } catch (IOException e) {
            return new ServerPolicy(Optional.empty(), Optional.of(new Outcome(Verdict.of(List.of(
                    Violation.error("policy-invalid", "the policy file " + file.get() + " cannot be read ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"))),
                    ExitStatus.USAGE_OR_POLICY)));
        }
        PolicyLoadResult result = loader.withServerAllowedSigners(loader.load(content, file.get().toString()));
        if (!result.valid()) {
            return new ServerPolicy(Optional.empty(), Optional.of(
                    new Outcome(Verdict.of(result.problems()), ExitStatus.USAGE_OR_POLICY)));
        }
        return new ServerPolicy(result.policy(), Optional.empty());
    }

    private record ServerPolicy(Optional<Policy> policy, Optional<Outcome> failure) {
    }

    /**
     * An allowed-signers file given with {@code --allowed-signers}: it replaces every policy's,
     * so one that cannot be read, or has a malformed line, stops the run like an invalid policy.
     */
    private static ServerSigners loadServerSigners(Optional<Path> file) {
        if (file.isEmpty()) {
            return new ServerSigners(Optional.empty(), Optional.empty());
        }
        String text;
        try {
            if (!Files.isRegularFile(file.get()) || Files.size(file.get()) > AllowedSignersReader.MAX_BYTES) {
                return signersFailure(List.of(Violation.error("policy-invalid", file.get() + " is not a regular file"
                        + " of at most " + AllowedSignersReader.MAX_BYTES + " bytes").at(file.get().toString(), 0, 0)));
            }
            text = Files.readString(file.get());
        } catch (IOException | UncheckedIOException e) {
            return signersFailure(List.of(Violation.error("policy-invalid", "the allowed-signers file " + file.get()
                    + " cannot be read as UTF-8 text (" + e.getClass().getSimpleName() + ")")
                    .at(file.get().toString(), 0, 0)));
        }
        AllowedSigners signers = AllowedSigners.parse(text, file.get().toString());
        if (!signers.problems().isEmpty()) {
            return signersFailure(AllowedSignersReader.violations(signers));
        }
        return new ServerSigners(Optional.of(signers), Optional.empty());
    }

    private static ServerSigners signersFailure(List<Violation> problems) {
        return new ServerSigners(Optional.empty(), Optional.of(new Outcome(Verdict.of(problems),
                ExitStatus.USAGE_OR_POLICY)));
    }

    private record ServerSigners(Optional<AllowedSigners> signers, Optional<Outcome> failure) {
    }

    @FunctionalInterface
    private interface Run {
        Outcome run() throws IOException;
    }

    private static Outcome guarded(Run run) {
        try {
            return run.run();
        } catch (RepositoryUnreadableException e) {
            return cannotJudge(e.getMessage(), e);
        } catch (MissingObjectException e) {
            return cannotJudge("an object is missing from the repository (" + e.getMessage()
                    + "); it cannot be judged, so it is rejected", e);
        } catch (IncorrectObjectTypeException e) {
            return cannotJudge("an object is not of the type needed (" + e.getMessage()
                    + "); it cannot be judged, so it is rejected", e);
        } catch (IOException e) {
            return cannotJudge("cannot read the repository: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return cannotJudge("internal error (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); rejected to fail closed; run with --debug and report it", e);
        }
    }

    private static Outcome cannotJudge(String message, Throwable cause) {
        return new Outcome(Verdict.of(List.of(Violation.runError(message))), ExitStatus.CANNOT_JUDGE,
                Optional.of(cause));
    }
}
