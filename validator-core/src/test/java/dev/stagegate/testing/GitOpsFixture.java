package dev.stagegate.testing;

import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.Pusher;
import dev.stagegate.Validator;
import dev.stagegate.engine.PushJudge;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.yaml.YamlLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The environment-per-branch repository most tests start from: develop -> test -> staging ->
 * main, each branch with its own {@code env/values.yaml}, all carrying the same application
 * content. {@link #push} judges updates the way the hook does: the new commits exist, the
 * refs still point at the old tips.
 */
public final class GitOpsFixture implements AutoCloseable {

    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    public static final String NOTES = "refs/notes/stagegate";

    /** The policy of policy-v1.md's chain, without freezes, evidence only into production. */
    public static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: testing
                branch: test
                promotesFrom: development
              - name: staging
                branch: staging
                promotesFrom: testing
              - name: production
                branch: main
                promotesFrom: staging
                requiresEvidence:
                  - suite: integration
                    environment: staging
            environmentSpecificPaths:
              - "env/**"
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/app-values.schema.json
            evidence:
              writers: [ci-bot]
            bypass:
              users: [release-manager]
            """;

    public static final String APP_SCHEMA = """
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "type": "object",
              "properties": {
                "replicas": {"type": "integer", "minimum": 1},
                "image": {"type": "string"}
              },
              "required": ["replicas"],
              "additionalProperties": false
            }
            """;

    public static final List<String> CHAIN = List.of("develop", "test", "staging", "main");

    private final TestRepository repo;
    private Instant now = NOW;
    private Pusher pusher = new Pusher(Optional.of("alice"));
    private final List<String> pushOptions = new ArrayList<>();
    private Optional<Path> serverPolicy = Optional.empty();
    private YamlLimits limits = YamlLimits.DEFAULTS;
    private Optional<Policy> policyObject = Optional.empty();
    private OptionalLong deadline = OptionalLong.empty();

    private GitOpsFixture(TestRepository repo) {
        this.repo = repo;
    }

    /** The four environments with {@link #POLICY}, all at the same content. */
    public static GitOpsFixture create(Path directory) {
        return create(directory, POLICY);
    }

    public static GitOpsFixture create(Path directory, String policy) {
        TestRepository repo = TestRepository.bare(directory);
        RevCommit root = repo.orphan()
                .file(".stagegate/policy.yaml", policy)
                .file("schemas/app-values.schema.json", APP_SCHEMA)
                .file("apps/web/values.yaml", "replicas: 2\nimage: web:1.0\n")
                .file("env/values.yaml", "environment: production\n")
                .message("initial")
                .commitTo("main");
        for (String branch : List.of("develop", "test", "staging")) {
            repo.orphan().parents(root).filesOf(root)
                    .file("env/values.yaml", "environment: " + branch + "\n")
                    .message("env settings of " + branch)
                    .commitTo(branch);
        }
        return new GitOpsFixture(repo);
    }

    /** A bare repository with no branch yet (HEAD names main): a repository before its first policy. */
    public static GitOpsFixture empty(Path directory) {
        return new GitOpsFixture(TestRepository.bare(directory));
    }

    /**
     * A repository for any environment graph: {@code main} (the default branch) holds the
     * policy and the application, every other branch of {@code branches} starts from it with
     * its own {@code env/values.yaml}.
     */
    public static GitOpsFixture createWithBranches(Path directory, String policy, List<String> branches) {
        GitOpsFixture fixture = create(directory, policy);
        TestRepository repo = fixture.repo;
        RevCommit root = repo.tip("main");
        for (String branch : List.of("develop", "test", "staging")) {
            if (!branches.contains(branch)) {
                repo.deleteBranch(branch);
            }
        }
        for (String branch : branches) {
            if (repo.tipOrNull(branch) == null) {
                repo.orphan().parents(root).filesOf(root)
                        .file("env/values.yaml", "environment: " + branch + "\n")
                        .message("env settings of " + branch)
                        .commitTo(branch);
            }
        }
        return fixture;
    }

    /** {@link #POLICY} with more top-level keys (keys it does not have yet). */
    public static String policyPlus(String topLevelYaml) {
        return POLICY + topLevelYaml;
    }

    /** {@link #POLICY} with more keys in the production environment's entry. */
    public static String policyWithProduction(String environmentYaml) {
        StringBuilder indented = new StringBuilder();
        for (String line : environmentYaml.split("\n")) {
            indented.append("    ").append(line).append('\n');
        }
        return POLICY.replace("environmentSpecificPaths:\n", indented + "environmentSpecificPaths:\n");
    }

    public TestRepository repo() {
        return repo;
    }

    public RevCommit tip(String branch) {
        return repo.tip(branch);
    }

    /** Commits a change to develop and moves the branch (as an accepted push would). */
    public RevCommit changeOnDevelop(String path, String content) {
        return repo.commitOn("develop").file(path, content).message("change " + path).commitTo("develop");
    }

    /**
     * The merge commit a promotion makes: parents (target tip, source tip), the source's files
     * with the target's own {@code env/**} kept. Does not move the target.
     */
    public RevCommit promotion(String from, String to) {
        return repo.commitOn(to).parents(repo.tip(to), repo.tip(from))
                .filesOf(repo.tip(from)).keep(repo.tip(to), "env/**")
                .message("promote " + from + " into " + to).create();
    }

    /** A squash promotion: one commit on the target's tip with the source's content, the target's env/** kept. */
    public RevCommit squashPromotion(String from, String to) {
        return repo.commitOn(to).filesOf(repo.tip(from)).keep(repo.tip(to), "env/**")
                .message("squash " + from + " into " + to).create();
    }

    /** A plain merge that takes every file of the source, its env/** too: what leaks settings. */
    public RevCommit plainMerge(String from, String to) {
        return repo.commitOn(to).parents(repo.tip(to), repo.tip(from)).filesOf(repo.tip(from))
                .message("merge " + from + " into " + to).create();
    }

    /** A commit on {@code branch} that changes one file; does not move the branch. */
    public RevCommit change(String branch, String path, String content) {
        return repo.commitOn(branch).file(path, content).message("change " + path + " on " + branch).create();
    }

    /**
     * Commits {@code path} on every branch of the chain, as a policy change that reached every
     * environment would leave it (such as the allowed-signers file the policy names).
     */
    public void commitOnEveryBranch(String path, String content) {
        for (String branch : CHAIN) {
            repo.commitOn(branch).parents(tip(branch)).filesOf(tip(branch)).file(path, content)
                    .message("add " + path).commitTo(branch);
        }
    }

    /** Promotes and moves the target, as an accepted push would. */
    public RevCommit promote(String from, String to) {
        RevCommit merge = promotion(from, to);
        repo.setBranch(to, merge);
        return merge;
    }

    /** Promotes develop through every stage up to {@code to}, recording passing evidence on staging. */
    public void promoteAllTheWay(String to) {
        for (int i = 1; i < CHAIN.size(); i++) {
            String target = CHAIN.get(i);
            if (target.equals("main")) {
                passEvidence("staging", "integration");
            }
            promote(CHAIN.get(i - 1), target);
            if (target.equals(to)) {
                return;
            }
        }
    }

    /** Adds a passing record by ci-bot for the tip of {@code branch}'s environment. */
    public void passEvidence(String branch, String suite) {
        repo.addNote(NOTES, tip(branch), evidence(tip(branch), environmentOf(branch), suite, "passed", NOW.minusSeconds(3600), "ci-bot"));
    }

    public static String environmentOf(String branch) {
        return switch (branch) {
            case "develop" -> "development";
            case "test" -> "testing";
            case "staging" -> "staging";
            case "main" -> "production";
            default -> branch;
        };
    }

    public static String evidence(ObjectId commit, String environment, String suite, String result, Instant at,
            String producer) {
        return "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\",\"commit\":\"" + commit.name()
                + "\",\"environment\":\"" + environment + "\",\"suite\":\"" + suite + "\",\"result\":\"" + result
                + "\",\"recordedAt\":\"" + at + "\",\"producer\":\"" + producer + "\"}";
    }

    public GitOpsFixture at(Instant instant) {
        now = instant;
        return this;
    }

    public GitOpsFixture as(String identity) {
        pusher = identity == null ? Pusher.ANONYMOUS : new Pusher(Optional.of(identity));
        return this;
    }

    public GitOpsFixture withPushOption(String option) {
        pushOptions.add(option);
        return this;
    }

    public GitOpsFixture withServerPolicy(Path policy) {
        serverPolicy = Optional.of(policy);
        return this;
    }

    /**
     * Judges pushes under {@code policy} as the server's policy, built in the test rather than
     * read from a file (custom rules, say, before a policy file can spell them).
     */
    public GitOpsFixture withPolicy(Policy policy) {
        policyObject = Optional.of(policy);
        return this;
    }

    /** Judges pushes with this deadline, a {@link System#nanoTime()} value, as the hook sets it. */
    public GitOpsFixture withDeadline(long deadlineNanoTime) {
        deadline = OptionalLong.of(deadlineNanoTime);
        return this;
    }

    /** Judges pushes with these limits instead of the defaults, as an embedder may configure them. */
    public GitOpsFixture withLimits(YamlLimits configured) {
        limits = configured;
        return this;
    }

    /** An update of {@code branch} from its current tip to {@code commit}. */
    public RefUpdate update(String branch, ObjectId commit) {
        ObjectId old = repo.tipOrNull(branch);
        return new RefUpdate(old == null ? ObjectId.zeroId() : old, commit, Constants.R_HEADS + branch);
    }

    public RefUpdate updateRef(String ref, ObjectId commit) {
        ObjectId old;
        try {
            old = repo.repository().resolve(ref);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new RefUpdate(old == null ? ObjectId.zeroId() : old, commit, ref);
    }

    public Outcome push(RefUpdate... updates) {
        PushRequest request = new PushRequest(repo.repository(), List.of(updates), pusher, pushOptions,
                serverPolicy, repo.directory().resolve("stagegate-audit.log"));
        if (deadline.isPresent()) {
            request = request.withDeadline(deadline.getAsLong());
        }
        if (policyObject.isPresent()) {
            try {
                return new PushJudge(new PolicyLoader(limits), RuleRegistry.standard(limits))
                        .judge(request, policyObject, now);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Validator validator = new Validator(Clock.fixed(now, ZoneOffset.UTC), limits);
        return validator.preReceive(request);
    }

    /** The outcome as the hook prints it. */
    public static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }

    /** The outcome's violations of one rule. */
    public static List<Violation> violations(Outcome outcome, String rule) {
        return outcome.verdict().violations().stream().filter(v -> v.rule().equals(rule)).toList();
    }

    /** The rule ids of the outcome's violations at error severity. */
    public static List<String> errors(Outcome outcome) {
        return outcome.verdict().violations().stream().filter(Violation::isError).map(Violation::rule).toList();
    }

    public static List<String> warnings(Outcome outcome) {
        return outcome.verdict().violations().stream().filter(v -> !v.isError()).map(Violation::rule).toList();
    }

    @Override
    public void close() {
        repo.close();
    }
}
