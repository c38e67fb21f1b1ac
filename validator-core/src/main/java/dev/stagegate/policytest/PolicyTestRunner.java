package dev.stagegate.policytest;

import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.engine.PushJudge;
import dev.stagegate.engine.RepositoryOpener;
import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.git.WorkingTreeFiles;
import dev.stagegate.policy.ClosestName;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.json.JSONObject;

/**
 * Runs a policy's test cases ({@code stagegate policy test}): reads the policy under test and
 * every test file, builds each case's history in memory and judges its push exactly as the
 * hook would, with the policy under test as the server policy, so a case needs no policy file
 * in its history. Never throws: bad input becomes located problems, a failure inside
 * stagegate a failed run.
 */
public final class PolicyTestRunner {

    public static final String DEFAULT_DIRECTORY = ".stagegate/tests";
    /** Reads the policy under test as the policy loader does, for a case's policyPatch. */
    private static final LocatedYamlReader POLICY_READER = new LocatedYamlReader(YamlLimits.DEFAULTS, true);

    /** Where a case's {@code allowedSigners} file is said to come from, in messages. */
    static final String CASE_ALLOWED_SIGNERS = "the case's allowedSigners";

    private final PolicyLoader loader;
    private final PushJudge judge;
    private final Clock clock;
    private final String sshKeygen;
    private final TestCaseReader reader = new TestCaseReader();

    /** @param clock the time cases without {@code now} are judged at */
    public PolicyTestRunner(PolicyLoader loader, RuleRegistry registry, Clock clock) {
        this(loader, registry, clock, "ssh-keygen");
    }

    /** @param sshKeygen the program that generates the cases' test keys */
    PolicyTestRunner(PolicyLoader loader, RuleRegistry registry, Clock clock, String sshKeygen) {
        this.loader = loader;
        this.judge = new PushJudge(loader, registry);
        this.clock = clock;
        this.sshKeygen = sshKeygen;
    }

    public PolicyTestRun run(PolicyTestRequest request) {
        try {
            return runOrThrow(request);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return PolicyTestRun.failed("cannot run the policy tests (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); please report it");
        }
    }

    /**
     * A bare repository has no working tree to read from, so the policy, the tests and the files
     * cases copy come from HEAD's tree, as the server's default branch holds them.
     */
    private PolicyTestRun runOrThrow(PolicyTestRequest request) throws IOException {
        Path repository = request.repository().toAbsolutePath().normalize();
        if (!RepositoryOpener.isBare(repository)) {
            return run(request, repository, new WorkingTreeFiles(repository), false);
        }
        try (Repository bare = RepositoryOpener.open(repository);
                ObjectReader objects = bare.newObjectReader();
                RevWalk walk = new RevWalk(objects)) {
            ObjectId head = bare.resolve(Constants.HEAD + "^{commit}");
            if (head == null) {
                return new PolicyTestRun(List.of(), List.of(new InputProblem(Constants.HEAD, SourcePosition.START,
                        "the bare repository " + repository + " has no commit at HEAD to read the policy and the"
                                + " tests from; point HEAD at the default branch (git symbolic-ref HEAD"
                                + " refs/heads/main)")), Optional.empty());
            }
            return run(request, repository, new CommitFiles(objects, walk.parseCommit(head)), true);
        }
    }

    /** @param fromTree whether the policy and the tests, unless given as files, are read from {@code files} */
    private PolicyTestRun run(PolicyTestRequest request, Path repository, RevisionFiles files, boolean fromTree)
            throws IOException {
        List<InputProblem> problems = new ArrayList<>();
        Optional<PolicyUnderTest> policy;
        if (fromTree && request.policyFile().isEmpty()) {
            policy = loadPolicy(files, problems);
        } else {
            Path policyFile = request.policyFile().orElse(repository.resolve(PolicyLoader.DEFAULT_PATH));
            policy = loadPolicy(policyFile, display(repository, policyFile), problems);
        }
        List<TestCase> cases = new ArrayList<>();
        if (fromTree && request.tests().isEmpty()) {
            for (String path : testPaths(files, problems)) {
                Optional<byte[]> content = read(files, path, "test file", problems);
                content.ifPresent(bytes -> addCases(bytes, path, cases, problems));
            }
        } else {
            Path tests = request.tests().orElse(repository.resolve(DEFAULT_DIRECTORY));
            for (Path file : testFiles(tests, display(repository, tests), problems)) {
                String name = display(repository, file);
                read(file, name, "test file", problems).ifPresent(bytes -> addCases(bytes, name, cases, problems));
            }
        }
        if (policy.isEmpty() || cases.isEmpty()) {
            return new PolicyTestRun(List.of(), problems, Optional.empty());
        }
        List<CaseResult> results = new ArrayList<>();
        Path auditLogs = Files.createTempDirectory("stagegate-policy-test");
        try (TestSigningKeys keys = new TestSigningKeys(sshKeygen, repository)) {
            for (TestCase testCase : cases) {
                results.add(runCase(testCase, policy.get(), files, keys,
                        auditLogs.resolve(results.size() + ".log")));
            }
        } finally {
            deleteRecursively(auditLogs);
        }
        return new PolicyTestRun(results, problems, Optional.empty());
    }

    /** The policy under test read from {@code content}, or empty with its problems when it is invalid. */
    private Optional<PolicyUnderTest> load(byte[] content, String name, List<InputProblem> problems) {
        PolicyLoadResult result = loader.withServerAllowedSigners(loader.load(content, name));
        for (Violation error : result.errors()) {
            problems.add(InputProblem.of(error, name));
        }
        return result.policy().map(policy -> new PolicyUnderTest(policy, content, name));
    }

    /** The policy under test, with what it was read from: a case's policyPatch applies to that. */
    private record PolicyUnderTest(Policy policy, byte[] content, String name) {
    }

    /**
     * The policy a case runs under: the policy under test, with the case's {@code policyPatch}
     * merged into its document when it has one. A patch that leaves the policy invalid makes the
     * case invalid, at the patch.
     */
    private Policy policyOf(TestCase testCase, PolicyUnderTest underTest) throws CaseSetupException {
        if (testCase.policyPatch().isEmpty()) {
            return underTest.policy();
        }
        PolicyPatch patch = testCase.policyPatch().get();
        JSONObject document;
        try {
            // the policy loaded, so it is one mapping read under the same limits
            document = (JSONObject) POLICY_READER.read(underTest.content(), underTest.name()).get(0).root();
        } catch (YamlReadException e) {
            throw new CaseSetupException("cannot read the policy under test to patch it: " + e.getMessage(),
                    patch.position());
        }
        byte[] patched = patch.applyTo(document).toString().getBytes(StandardCharsets.UTF_8);
        PolicyLoadResult result = loader.withServerAllowedSigners(loader.load(patched, underTest.name()));
        if (result.policy().isEmpty() || !result.errors().isEmpty()) {
            throw new CaseSetupException("with this policyPatch the policy is invalid: " + result.errors().stream()
                    .map(Violation::message).collect(Collectors.joining("; ")), patch.position());
        }
        return result.policy().get();
    }

    private void addCases(byte[] content, String name, List<TestCase> cases, List<InputProblem> problems) {
        TestCaseFile read = reader.read(content, name);
        cases.addAll(read.cases());
        problems.addAll(read.problems());
    }

    /** The policy under test from a commit's tree, or empty with its problems when it cannot be loaded. */
    private Optional<PolicyUnderTest> loadPolicy(RevisionFiles files, List<InputProblem> problems) throws IOException {
        String name = PolicyLoader.DEFAULT_PATH;
        if (!files.exists(name)) {
            problems.add(new InputProblem(name, SourcePosition.START, "there is no policy to test: " + name
                    + " is not in " + files.describe() + " (HEAD of the bare repository); give the policy with"
                    + " --policy"));
            return Optional.empty();
        }
        Optional<byte[]> content = read(files, name, "policy", problems);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        return load(content.get(), name, problems);
    }

    /** Every {@code *.yaml} and {@code *.yml} below {@value #DEFAULT_DIRECTORY} in a commit's tree, in path order. */
    private static List<String> testPaths(RevisionFiles files, List<InputProblem> problems) throws IOException {
        List<String> paths = files.paths().stream()
                .filter(path -> path.startsWith(DEFAULT_DIRECTORY + "/"))
                .filter(path -> path.endsWith(".yaml") || path.endsWith(".yml"))
                .toList();
        if (paths.isEmpty()) {
            problems.add(new InputProblem(DEFAULT_DIRECTORY, SourcePosition.START, "there are no test cases: "
                    + files.describe() + " (HEAD of the bare repository) has no " + DEFAULT_DIRECTORY + "/*.yaml"));
        }
        return paths;
    }

    /** A file of a commit's tree, or empty with a problem when it is too large or no regular file. */
    private static Optional<byte[]> read(RevisionFiles files, String path, String what, List<InputProblem> problems)
            throws IOException {
        try {
            return Optional.of(files.read(path, YamlLimits.DEFAULTS.maxBytes()));
        } catch (FileTooLargeException e) {
            problems.add(new InputProblem(path, SourcePosition.START, "the " + what + " is " + e.size()
                    + " bytes, more than the limit of " + YamlLimits.DEFAULTS.maxBytes()));
            return Optional.empty();
        }
    }

    /** The policy under test, or empty with its problems when it cannot be loaded. */
    private Optional<PolicyUnderTest> loadPolicy(Path file, String name, List<InputProblem> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(new InputProblem(name, SourcePosition.START, "there is no policy to test: " + name
                    + " does not exist; point --repo at the repository, or give the policy with --policy"));
            return Optional.empty();
        }
        Optional<byte[]> content = read(file, name, "policy", problems);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        return load(content.get(), name, problems);
    }

    /** The content of an input file, or empty with a problem when it is too large or cannot be read. */
    private static Optional<byte[]> read(Path file, String name, String what, List<InputProblem> problems) {
        try {
            long size = Files.size(file);
            if (size > YamlLimits.DEFAULTS.maxBytes()) {
                problems.add(new InputProblem(name, SourcePosition.START, "the " + what + " is " + size
                        + " bytes, more than the limit of " + YamlLimits.DEFAULTS.maxBytes()));
                return Optional.empty();
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            problems.add(new InputProblem(name, SourcePosition.START, "cannot read the " + what + ": " + e));
            return Optional.empty();
        }
    }

    /** Every {@code *.yaml} and {@code *.yml} below {@code tests} in path order, or {@code tests} itself when it is a file. */
    private static List<Path> testFiles(Path tests, String name, List<InputProblem> problems) throws IOException {
        if (Files.isRegularFile(tests)) {
            return List.of(tests);
        }
        if (!Files.isDirectory(tests)) {
            problems.add(new InputProblem(name, SourcePosition.START, "there are no test cases: " + name
                    + " does not exist; write them in " + DEFAULT_DIRECTORY + "/*.yaml (docs/policy-tests.md)"));
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tests)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".yaml")
                            || file.getFileName().toString().endsWith(".yml"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        if (files.isEmpty()) {
            problems.add(new InputProblem(name, SourcePosition.START, "there are no test cases: " + name
                    + " holds no *.yaml file"));
        }
        return files;
    }

    private CaseResult runCase(TestCase testCase, PolicyUnderTest underTest, RevisionFiles workingTree,
            TestSigningKeys keys, Path auditLog) {
        Instant now = testCase.now().orElse(clock.instant());
        Policy policy;
        try {
            policy = policyOf(testCase, underTest);
            checkRuleIdsAreKnown(testCase, policy);
        } catch (CaseSetupException e) {
            return CaseResult.invalid(testCase, new InputProblem(testCase.file(), e.position(), e.getMessage()));
        }
        try (CaseRepository repository = new CaseRepository(testCase.name(), testCase.defaultBranch(), policy,
                workingTree, now, keys)) {
            for (Step step : testCase.history()) {
                repository.apply(step);
            }
            repository.record(testCase.evidence());
            Policy withSigners = withAllowedSigners(testCase, policy, repository, keys);
            List<RefUpdate> updates = repository.push(testCase.push());
            Outcome outcome = judge.judge(new PushRequest(repository.repository(), updates, testCase.pusher(),
                    testCase.pushOptions(), Optional.empty(), auditLog), Optional.of(withSigners), now);
            return CaseResult.judged(testCase, outcome.verdict());
        } catch (CaseSetupException e) {
            return CaseResult.invalid(testCase, new InputProblem(testCase.file(), e.position(), e.getMessage()));
        } catch (SigningFailedException e) {
            return CaseResult.error(testCase, e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return CaseResult.error(testCase, "stagegate failed running the case (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /**
     * The schema takes any well-formed id, since custom rules (rules-cel.md) have ids of their
     * own; an expectation naming an id that neither stagegate nor the case's policy defines could
     * never be met, or would pass vacuously as "not reported", so the case is invalid instead.
     */
    private static void checkRuleIdsAreKnown(TestCase testCase, Policy policy) throws CaseSetupException {
        List<String> known = new ArrayList<>(RuleIds.ALL);
        known.add(Violation.RUN_ERROR);
        policy.customRules().forEach(rule -> known.add(rule.id()));
        Set<String> expected = new TreeSet<>(testCase.expectation().errors());
        testCase.expectation().warnings().ifPresent(expected::addAll);
        for (String id : expected) {
            if (!known.contains(id)) {
                throw new CaseSetupException("expects rule id '" + id + "', which is neither a built-in rule nor a"
                        + " rule of the policy under test" + ClosestName.among(id, known)
                                .map(name -> " (did you mean '" + name + "'?)").orElse(""), testCase.position());
            }
        }
    }

    /**
     * The policy with the allowed signers its signatures verify against in this case: the case's
     * {@code allowedSigners} (the generated keys of the names it lists), which replace the
     * policy's file as a server's {@code --allowed-signers} does; else the file the policy names,
     * read where the hook falls back to for a policy: the default branch's tip as the history
     * leaves it. A missing or malformed file makes the case invalid, as it makes the policy
     * invalid in the hook.
     */
    private Policy withAllowedSigners(TestCase testCase, Policy policy, CaseRepository repository,
            TestSigningKeys keys) throws CaseSetupException, SigningFailedException, IOException {
        if (testCase.allowedSigners().isPresent()) {
            return policy.withAllowedSigners(AllowedSigners.parse(
                    keys.allowedSigners(testCase.allowedSigners().get()), CASE_ALLOWED_SIGNERS));
        }
        Optional<String> file = policy.evidence().allowedSigners();
        if (file.isEmpty() || policy.allowedSigners().isPresent()) {
            // none named, or --allowed-signers given: attached when the policy was loaded
            return policy;
        }
        Ref tip = repository.repository().exactRef(Constants.R_HEADS + testCase.defaultBranch());
        if (tip == null) {
            throw new CaseSetupException("the policy's evidence.allowedSigners (" + file.get() + ") is read from the"
                    + " default branch '" + testCase.defaultBranch() + "', which the history does not create; create"
                    + " it with the file (repositoryFiles), or list the case's allowedSigners", testCase.position());
        }
        PolicyLoadResult attached;
        try (ObjectReader objects = repository.repository().newObjectReader();
                RevWalk walk = new RevWalk(objects)) {
            attached = loader.withAllowedSigners(new PolicyLoadResult(Optional.of(policy), List.of()), objects,
                    walk.parseCommit(tip.getObjectId()).getTree());
        }
        if (attached.policy().isEmpty()) {
            throw new CaseSetupException("the policy's allowed signers cannot be used at the tip of the default branch '"
                    + testCase.defaultBranch() + "': " + attached.errors().stream()
                    .map(error -> (error.line() > 0 ? error.file() + ":" + error.line() + ": " : "") + error.message())
                    .collect(Collectors.joining("; ")) + " (bring the file in with repositoryFiles, or list the case's"
                    + " allowedSigners)", testCase.position());
        }
        return attached.policy().get();
    }

    /** Paths inside the repository as repository-relative paths, like every other stagegate message. */
    private static String display(Path repository, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (absolute.startsWith(repository) && !absolute.equals(repository)) {
            return repository.relativize(absolute).toString().replace('\\', '/');
        }
        return absolute.toString();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
