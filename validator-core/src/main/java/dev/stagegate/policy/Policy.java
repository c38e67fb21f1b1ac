package dev.stagegate.policy;

import dev.stagegate.git.PathSet;
import dev.stagegate.kubernetes.KubernetesSettings;
import dev.stagegate.schema.SchemaMapping;
import dev.stagegate.signature.AllowedSigners;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A valid promotion policy (policy-v1.md). Immutable, with value equality over its thirteen
 * components like a record; it is a class only because the graph and the compiled globs are
 * built once, here, and a record cannot hold them. The constructor rejects what would break
 * the engine's assumptions; {@link PolicyLoader} reports the same problems with locations.
 */
public final class Policy {

    private final String path;
    private final List<Environment> environments;
    private final List<String> environmentSpecificPaths;
    private final List<SchemaMapping> schemas;
    private final EvidenceSettings evidence;
    private final Protections protections;
    private final PromotionSettings promotion;
    private final Set<String> bypassUsers;
    private final RuleMode mode;
    private final Map<String, RuleMode> ruleModes;
    private final People people;
    private final Optional<AllowedSigners> allowedSigners;
    private final Optional<KubernetesSettings> kubernetes;
    private final List<CustomRule> customRules;

    private final EnvironmentGraph graph;
    private final PathSet environmentSpecific;
    private final Map<String, Environment> byBranch;
    private final Map<String, CustomRule> customRulesById;

    /**
     * @param path                     where the policy was read from, for messages
     * @param environments             in policy order
     * @param environmentSpecificPaths globs of files that differ per environment
     * @param schemas                  files checked against JSON Schemas
     * @param evidence                 where evidence is kept and whose counts
     * @param protections              the top-level force-push and deletion settings; the rules read
     *                                 {@link Environment#protections()}, which start from these
     * @param promotion                search depth and fast-forward-only
     * @param bypassUsers              pushers allowed an audited bypass
     * @param mode                     {@link RuleMode#ENFORCE} or {@link RuleMode#WARN}
     * @param ruleModes                rule id to mode, overriding {@code mode}
     * @param people                   groups and identities for approvals
     * @throws IllegalArgumentException when environments share a name or a branch, the graph
     *                                  is broken (see {@link EnvironmentGraph}), an evidence
     *                                  requirement names an unknown environment, a glob does
     *                                  not compile, {@code mode} is OFF, or {@code ruleModes}
     *                                  names an unknown rule
     */
    public Policy(
            String path,
            List<Environment> environments,
            List<String> environmentSpecificPaths,
            List<SchemaMapping> schemas,
            EvidenceSettings evidence,
            Protections protections,
            PromotionSettings promotion,
            Set<String> bypassUsers,
            RuleMode mode,
            Map<String, RuleMode> ruleModes,
            People people) {
        this(path, environments, environmentSpecificPaths, schemas, evidence, protections, promotion, bypassUsers,
                mode, ruleModes, people, Optional.empty(), Optional.empty(), List.of());
    }

    private Policy(
            String path,
            List<Environment> environments,
            List<String> environmentSpecificPaths,
            List<SchemaMapping> schemas,
            EvidenceSettings evidence,
            Protections protections,
            PromotionSettings promotion,
            Set<String> bypassUsers,
            RuleMode mode,
            Map<String, RuleMode> ruleModes,
            People people,
            Optional<AllowedSigners> allowedSigners,
            Optional<KubernetesSettings> kubernetes,
            List<CustomRule> customRules) {
        this.path = Objects.requireNonNull(path, "path");
        this.environments = List.copyOf(environments);
        this.environmentSpecificPaths = List.copyOf(environmentSpecificPaths);
        this.schemas = List.copyOf(schemas);
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.protections = Objects.requireNonNull(protections, "protections");
        this.promotion = Objects.requireNonNull(promotion, "promotion");
        this.bypassUsers = Set.copyOf(bypassUsers);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.ruleModes = Map.copyOf(ruleModes);
        this.people = Objects.requireNonNull(people, "people");
        this.allowedSigners = Objects.requireNonNull(allowedSigners, "allowedSigners");
        this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
        this.customRules = List.copyOf(customRules);
        if (mode == RuleMode.OFF) {
            throw new IllegalArgumentException("mode is enforce or warn; turn single rules off with ruleModes");
        }
        Map<String, CustomRule> byId = new HashMap<>();
        for (CustomRule rule : this.customRules) {
            if (byId.putIfAbsent(rule.id(), rule) != null) {
                throw new IllegalArgumentException("two rules have the id " + rule.id());
            }
            for (String name : rule.environments()) {
                if (this.environments.stream().noneMatch(environment -> environment.name().equals(name))) {
                    throw new IllegalArgumentException("rule " + rule.id() + " names unknown environment " + name);
                }
            }
            if (!rule.kinds().isEmpty() && this.kubernetes.isEmpty()) {
                throw new IllegalArgumentException("rule " + rule.id() + " has kinds but the policy has no kubernetes");
            }
        }
        this.customRulesById = Map.copyOf(byId);
        for (String ruleId : this.ruleModes.keySet()) {
            if (!RuleIds.ALL.contains(ruleId) && !customRulesById.containsKey(ruleId)) {
                throw new IllegalArgumentException("unknown rule id in ruleModes: " + ruleId);
            }
        }
        this.graph = new EnvironmentGraph(this.environments);
        this.byBranch = new HashMap<>();
        for (Environment environment : this.environments) {
            if (byBranch.putIfAbsent(environment.branch(), environment) != null) {
                throw new IllegalArgumentException("two environments use branch " + environment.branch());
            }
            for (EvidenceRequirement requirement : environment.requiresEvidence()) {
                if (environment(requirement.environment()).isEmpty()) {
                    throw new IllegalArgumentException(environment.name()
                            + " requires evidence from unknown environment " + requirement.environment());
                }
            }
        }
        this.environmentSpecific = PathSet.of(this.environmentSpecificPaths);
    }

    public String path() {
        return path;
    }

    public List<Environment> environments() {
        return environments;
    }

    public List<String> environmentSpecificPaths() {
        return environmentSpecificPaths;
    }

    public List<SchemaMapping> schemas() {
        return schemas;
    }

    public EvidenceSettings evidence() {
        return evidence;
    }

    /** The top-level defaults; what holds for a branch is its {@link Environment#protections()}. */
    public Protections protections() {
        return protections;
    }

    public PromotionSettings promotion() {
        return promotion;
    }

    public Set<String> bypassUsers() {
        return bypassUsers;
    }

    public RuleMode mode() {
        return mode;
    }

    public Map<String, RuleMode> ruleModes() {
        return ruleModes;
    }

    /** The {@code groups} and {@code identities} that approvals are counted with. */
    public People people() {
        return people;
    }

    /**
     * The allowed signers that signed records are verified with: the file
     * {@code evidence.allowedSigners} names, read at this policy's revision, or the server's
     * {@code --allowed-signers}; empty until {@link AllowedSignersReader} attaches them.
     */
    public Optional<AllowedSigners> allowedSigners() {
        return allowedSigners;
    }

    /** This policy, verifying signatures with {@code signers}. */
    public Policy withAllowedSigners(AllowedSigners signers) {
        return new Policy(path, environments, environmentSpecificPaths, schemas, evidence, protections, promotion,
                bypassUsers, mode, ruleModes, people, Optional.of(signers), kubernetes, customRules);
    }

    /** The {@code kubernetes} section (kubernetes.md), when the policy has one. */
    public Optional<KubernetesSettings> kubernetes() {
        return kubernetes;
    }

    /** This policy, checking Kubernetes manifests as {@code settings} say. */
    public Policy withKubernetes(KubernetesSettings settings) {
        return new Policy(path, environments, environmentSpecificPaths, schemas, evidence, protections, promotion,
                bypassUsers, mode, ruleModes, people, allowedSigners, Optional.of(settings), customRules);
    }

    /** The {@code rules} section (rules-cel.md), in policy order; empty when the policy has none. */
    public List<CustomRule> customRules() {
        return customRules;
    }

    /** The custom rule with this id. */
    public Optional<CustomRule> customRule(String id) {
        return Optional.ofNullable(customRulesById.get(id));
    }

    /**
     * This policy, with {@code rules} as its custom rules.
     *
     * @throws IllegalArgumentException when two share an id, one names an unknown environment, or
     *                                  one has {@code kinds} while the policy has no {@code kubernetes}
     */
    public Policy withCustomRules(List<CustomRule> rules) {
        return withCustomRules(rules, ruleModes);
    }

    /**
     * This policy, with {@code rules} as its custom rules and {@code ruleModes}, which may name
     * them, in place of its own: a {@code ruleModes} entry for a custom id needs the rule.
     *
     * @throws IllegalArgumentException as {@link #withCustomRules(List)}, or when a {@code ruleModes}
     *                                  key is neither a built-in rule id nor one of {@code rules}
     */
    public Policy withCustomRules(List<CustomRule> rules, Map<String, RuleMode> ruleModes) {
        return new Policy(path, environments, environmentSpecificPaths, schemas, evidence, protections, promotion,
                bypassUsers, mode, ruleModes, people, allowedSigners, kubernetes, rules);
    }

    /** The promotion graph of {@link #environments()}. */
    public EnvironmentGraph graph() {
        return graph;
    }

    /** {@link #environmentSpecificPaths()}, compiled. */
    public PathSet environmentSpecific() {
        return environmentSpecific;
    }

    /** The environment whose branch is {@code shortBranchName} ({@code main}, not {@code refs/heads/main}). */
    public Optional<Environment> environmentOfBranch(String shortBranchName) {
        return Optional.ofNullable(byBranch.get(shortBranchName));
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(environment -> environment.name().equals(name)).findFirst();
    }

    /** What to say of {@code name}, which is no environment of this policy: the environments, and the one meant. */
    public String unknownEnvironment(String name) {
        List<String> names = environments.stream().map(Environment::name).toList();
        return "unknown environment '" + name + "'; environments: " + String.join(", ", names)
                + ClosestName.meant(name, names).map(meant -> " (did you mean '" + meant + "'?)").orElse("");
    }

    /**
     * The effective mode of a rule: {@link RuleIds#ALWAYS_ENFORCED} are always enforced and
     * {@code bypass-used} is always a warning; otherwise the {@code ruleModes} entry, else a
     * custom rule's own {@code mode}, else WARN for {@link RuleIds#DEFAULT_WARN}, else {@code mode}.
     *
     * @throws IllegalArgumentException for an id that is neither in {@link RuleIds#ALL} nor a
     *                                  custom rule's, so that a misspelt id in the engine fails loudly
     */
    public RuleMode modeOf(String ruleId) {
        CustomRule custom = customRulesById.get(ruleId);
        if (custom != null) {
            RuleMode explicit = ruleModes.get(ruleId);
            return explicit != null ? explicit : custom.mode().orElse(mode);
        }
        if (!RuleIds.ALL.contains(ruleId)) {
            throw new IllegalArgumentException("unknown rule id: " + ruleId);
        }
        if (RuleIds.ALWAYS_ENFORCED.contains(ruleId)) {
            return RuleMode.ENFORCE;
        }
        if (RuleIds.BYPASS_USED.equals(ruleId)) {
            return RuleMode.WARN;
        }
        RuleMode explicit = ruleModes.get(ruleId);
        if (explicit != null) {
            return explicit;
        }
        return RuleIds.DEFAULT_WARN.contains(ruleId) ? RuleMode.WARN : mode;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Policy that
                && path.equals(that.path)
                && environments.equals(that.environments)
                && environmentSpecificPaths.equals(that.environmentSpecificPaths)
                && schemas.equals(that.schemas)
                && evidence.equals(that.evidence)
                && protections.equals(that.protections)
                && promotion.equals(that.promotion)
                && bypassUsers.equals(that.bypassUsers)
                && mode == that.mode
                && ruleModes.equals(that.ruleModes)
                && people.equals(that.people)
                && kubernetes.equals(that.kubernetes)
                && customRules.equals(that.customRules)
                && allowedSigners.map(AllowedSigners::entries).equals(that.allowedSigners.map(AllowedSigners::entries));
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, environments, environmentSpecificPaths, schemas, evidence, protections,
                promotion, bypassUsers, mode, ruleModes, people, kubernetes, customRules);
    }

    @Override
    public String toString() {
        return "Policy[path=" + path + ", environments=" + environments.stream().map(Environment::name).toList()
                + ", mode=" + mode.label() + "]";
    }
}
