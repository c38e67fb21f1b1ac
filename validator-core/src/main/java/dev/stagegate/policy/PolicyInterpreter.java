package dev.stagegate.policy;

import dev.stagegate.git.PathGlob;
import dev.stagegate.kubernetes.GroupVersionKind;
import dev.stagegate.kubernetes.InvalidSchemaLocationException;
import dev.stagegate.kubernetes.KubernetesSettings;
import dev.stagegate.kubernetes.SchemaLocationTemplate;
import dev.stagegate.report.Severity;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.schema.SchemaMapping;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.jgit.lib.Repository;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Turns a policy document that passed {@code policy.schema.json} into a {@link Policy},
 * checking what the schema cannot express (policy-v1.md): references between environments,
 * cycles, uniqueness, time zones, instants and globs. Types, enums and required keys are the
 * schema's job and are taken as given here. One instance reads one document.
 */
final class PolicyInterpreter {

    /** The policy, present only when no problem is an error, and every problem found. */
    record Interpretation(Optional<Policy> policy, List<PolicyProblem> problems) {
    }

    private static final String ENVIRONMENTS = "/environments/";
    private static final String UTC = "UTC";
    private static final String KUBERNETES = "/kubernetes/";
    /** Kinds are CamelCase names: Deployment, SealedSecret, HorizontalPodAutoscaler. */
    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final String RULES = "/rules/";
    /** Keys separated by dots, as a custom rule's {@code fieldPath} names a place in a document. */
    private static final Pattern DOTTED_PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    private final JSONObject root;
    private final String path;
    /** Where a JSON pointer's node is in the policy file. */
    private final Function<String, SourcePosition> positions;
    private final List<PolicyProblem> problems = new ArrayList<>();
    /** Environment name to the index of its first definition. */
    private final Map<String, Integer> environmentIndex = new LinkedHashMap<>();
    /** Whether the server gives the allowed signers (--allowed-signers), so the policy need not name a file. */
    private final boolean serverAllowedSigners;
    private People people = People.NONE;

    private PolicyInterpreter(JSONObject root, String path, Function<String, SourcePosition> positions,
            boolean serverAllowedSigners) {
        this.root = root;
        this.path = path;
        this.positions = positions;
        this.serverAllowedSigners = serverAllowedSigners;
    }

    static Interpretation interpret(JSONObject root, String path, Function<String, SourcePosition> positions,
            boolean serverAllowedSigners) {
        return new PolicyInterpreter(root, path, positions, serverAllowedSigners).interpret();
    }

    private Interpretation interpret() {
        people = people();
        Protections protections = protections(object("protections"), Protections.DEFAULTS);
        List<Environment> environments = environments(root.getJSONArray("environments"), protections);
        List<String> environmentSpecificPaths = environmentSpecificPaths();
        List<SchemaMapping> schemas = schemaMappings();
        Optional<KubernetesSettings> kubernetes = kubernetes();
        EvidenceSettings evidence = evidence();
        checkAllowedSignersIsShared(evidence, environmentSpecificPaths);
        checkSchemasAreShared(schemas, environmentSpecificPaths);
        warnIfAnyoneCanWriteEvidence(evidence);
        PromotionSettings promotion = promotion();
        Set<String> bypassUsers = strings(object("bypass").optJSONArray("users"));
        RuleMode mode = ruleMode(root.optString("mode", "enforce"));
        List<CustomRule> customRules = customRules(kubernetes.isPresent());
        Map<String, RuleMode> ruleModes = ruleModes(customRules);
        if (problems.stream().anyMatch(problem -> problem.severity() == Severity.ERROR)) {
            return new Interpretation(Optional.empty(), problems);
        }
        // a ruleModes entry for a custom id is valid only beside its rule, so it comes with the rules
        Map<String, RuleMode> builtInModes = new LinkedHashMap<>(ruleModes);
        builtInModes.keySet().retainAll(RuleIds.ALL);
        Policy policy = new Policy(path, environments, environmentSpecificPaths, schemas, evidence,
                protections, promotion, bypassUsers, mode, builtInModes, people);
        policy = kubernetes.map(policy::withKubernetes).orElse(policy);
        return new Interpretation(Optional.of(customRules.isEmpty()
                ? policy
                : policy.withCustomRules(customRules, ruleModes)), problems);
    }

    private List<Environment> environments(JSONArray array, Protections defaults) {
        indexNamesAndBranches(array);
        Map<String, List<String>> upstreamsByName = new LinkedHashMap<>();
        Map<String, Map<String, String>> upstreamPointers = new HashMap<>();
        List<Environment> environments = new ArrayList<>();
        for (int i = 0; i < array.length(); i++) {
            JSONObject json = array.getJSONObject(i);
            String name = json.getString("name");
            Map<String, String> pointers = promotesFrom(json, i);
            List<String> upstreams = List.copyOf(pointers.keySet());
            if (environmentIndex.get(name) == i) {
                upstreamsByName.put(name, upstreams);
                upstreamPointers.put(name, pointers);
            }
            environments.add(new Environment(
                    name,
                    json.getString("branch"),
                    upstreams,
                    json.optString("upstreams", "all").equals("any") ? UpstreamMode.ANY : UpstreamMode.ALL,
                    requirements(json, i, upstreams),
                    approvalRequirement(json, i, upstreams),
                    freezes(json, i),
                    protections(json.optJSONObject("protections"), defaults)));
        }
        for (List<String> cycle : EnvironmentGraph.cycles(upstreamsByName)) {
            String upstream = cycle.get(0);
            String downstream = cycle.get(1);
            problems.add(PolicyProblem.error(upstreamPointers.get(downstream).get(upstream), "promotion cycle "
                    + String.join(" -> ", cycle) + ": content could never enter it; remove one of these"
                    + " promotesFrom entries (here '" + downstream + "' promotes from '" + upstream + "')"));
        }
        return environments;
    }

    /** Fills {@link #environmentIndex}, reporting names and branches used twice. */
    private void indexNamesAndBranches(JSONArray array) {
        Map<String, Integer> branchIndex = new HashMap<>();
        for (int i = 0; i < array.length(); i++) {
            JSONObject environment = array.getJSONObject(i);
            String name = environment.getString("name");
            Integer first = environmentIndex.putIfAbsent(name, i);
            if (first != null) {
                problems.add(PolicyProblem.error(pointer(i, "name"), "environment name '" + name
                        + "' is already used by environments[" + first + "]; give every environment a unique name"));
            }
            String branch = environment.getString("branch");
            checkBranchName(branch, pointer(i, "branch"));
            Integer sameBranch = branchIndex.putIfAbsent(branch, i);
            if (sameBranch != null) {
                problems.add(PolicyProblem.error(pointer(i, "branch"), "branch '" + branch
                        + "' is already the branch of environment '"
                        + array.getJSONObject(sameBranch).getString("name")
                        + "'; every environment needs a branch of its own"));
            }
        }
    }

    private void checkBranchName(String branch, String pointer) {
        if (branch.startsWith("refs/")) {
            problems.add(PolicyProblem.error(pointer, "branch '" + branch
                    + "' is a full ref name; write the short branch name, such as main for refs/heads/main"));
        } else if (branch.equals("HEAD") || !Repository.isValidRefName("refs/heads/" + branch)) {
            problems.add(PolicyProblem.error(pointer, "branch '" + branch
                    + "' is not a valid git branch name; use a name git accepts, such as main or release/eu"));
        }
    }

    /** Upstream names in policy order, each with the pointer to where it is named. */
    private Map<String, String> promotesFrom(JSONObject environment, int index) {
        String name = environment.getString("name");
        Map<String, String> pointers = new LinkedHashMap<>();
        Object value = environment.opt("promotesFrom");
        if (value instanceof String single) {
            pointers.put(single, pointer(index, "promotesFrom"));
        } else if (value instanceof JSONArray list) {
            for (int k = 0; k < list.length(); k++) {
                pointers.putIfAbsent(list.getString(k), pointer(index, "promotesFrom") + "/" + k);
            }
        }
        for (Map.Entry<String, String> upstream : pointers.entrySet()) {
            if (upstream.getKey().equals(name)) {
                problems.add(PolicyProblem.error(upstream.getValue(), "environment '" + name
                        + "' promotes from itself; name the environment it receives content from,"
                        + " or remove promotesFrom to make it an entry environment"));
            } else if (!environmentIndex.containsKey(upstream.getKey())) {
                problems.add(PolicyProblem.error(upstream.getValue(), "environment '" + name
                        + "' promotes from '" + upstream.getKey() + "', which is not an environment of this policy"
                        + ClosestName.hint(upstream.getKey(), environmentIndex.keySet())
                        + "; use one of: " + String.join(", ", environmentIndex.keySet())));
            }
        }
        return pointers;
    }

    private List<EvidenceRequirement> requirements(JSONObject environment, int index, List<String> upstreams) {
        JSONArray array = environment.optJSONArray("requiresEvidence");
        List<EvidenceRequirement> requirements = new ArrayList<>();
        if (array == null) {
            return requirements;
        }
        String name = environment.getString("name");
        for (int k = 0; k < array.length(); k++) {
            String here = pointer(index, "requiresEvidence") + "/" + k;
            JSONObject json = array.getJSONObject(k);
            String suite = json.getString("suite");
            String ranIn = evidenceEnvironment(json, here, name, suite, upstreams);
            int problemsBefore = problems.size();
            Duration maxAge = age(json, "maxAge", here, "a positive age such as 72h or 7d, or omit maxAge for no limit");
            Duration minAge = age(json, "minAge", here, "a positive soak time such as 24h, or omit minAge for none");
            if (problems.size() > problemsBefore) {
                continue;
            }
            if (minAge != null && maxAge != null && minAge.compareTo(maxAge) > 0) {
                problems.add(PolicyProblem.error(here + "/minAge", "minAge " + json.getString("minAge")
                        + " is longer than maxAge " + json.getString("maxAge") + ", so no record could ever be"
                        + " both soaked and recent enough; lower minAge or raise maxAge"));
                continue;
            }
            if (ranIn != null) {
                requirements.add(new EvidenceRequirement(suite, ranIn, maxAge, minAge));
            }
        }
        return requirements;
    }

    /** The age under {@code key} ({@code 72h}), null when absent or when it is not one (a problem says so). */
    private Duration age(JSONObject json, String key, String here, String fix) {
        if (!json.has(key)) {
            return null;
        }
        try {
            return MaxAge.parse(json.getString(key));
        } catch (IllegalArgumentException e) {
            problems.add(PolicyProblem.error(here + "/" + key, key + " " + e.getMessage() + "; use " + fix));
            return null;
        }
    }

    /** The environment a required suite ran in: explicit, else the single upstream; null after a problem. */
    private String evidenceEnvironment(JSONObject requirement, String here, String name, String suite,
            List<String> upstreams) {
        if (requirement.has("environment")) {
            String ranIn = requirement.getString("environment");
            if (!environmentIndex.containsKey(ranIn)) {
                problems.add(PolicyProblem.error(here + "/environment", "requiresEvidence of '" + name
                        + "' names environment '" + ranIn + "', which is not an environment of this policy"
                        + ClosestName.hint(ranIn, environmentIndex.keySet())
                        + "; use one of: " + String.join(", ", environmentIndex.keySet())));
                return null;
            }
            return ranIn;
        }
        if (upstreams.size() == 1) {
            return upstreams.get(0);
        }
        String reason = upstreams.isEmpty()
                ? "'" + name + "' is an entry environment, so there is no upstream to default to"
                : "'" + name + "' promotes from " + String.join(" and ", upstreams)
                        + ", so the default would be ambiguous";
        problems.add(PolicyProblem.error(here, "requiresEvidence for suite '" + suite
                + "' does not say which environment the suite ran in and " + reason
                + "; add environment: <name> to this requirement"));
        return null;
    }

    private Optional<ApprovalRequirement> approvalRequirement(JSONObject environment, int index,
            List<String> upstreams) {
        JSONObject json = environment.optJSONObject("requiresApproval");
        if (json == null) {
            return Optional.empty();
        }
        String here = pointer(index, "requiresApproval");
        String name = environment.getString("name");
        if (upstreams.isEmpty()) {
            problems.add(PolicyProblem.error(here, "'" + name + "' is an entry environment: content enters it from"
                    + " no upstream, so there is nothing to approve; move requiresApproval to an environment"
                    + " with promotesFrom"));
            return Optional.empty();
        }
        List<String> from = new ArrayList<>();
        JSONArray names = json.getJSONArray("from");
        boolean known = true;
        for (int k = 0; k < names.length(); k++) {
            String entry = names.getString(k);
            from.add(entry);
            known &= checkApproverName(entry, here + "/from/" + k);
        }
        int count = json.getInt("count");
        int reachable = people.expand(from).size();
        if (known && count > reachable) {
            problems.add(PolicyProblem.error(here + "/count", "requiresApproval of '" + name + "' needs " + count
                    + " distinct approvers, but from names only " + reachable + " ("
                    + String.join(", ", people.expand(from)) + "), so no promotion could ever pass;"
                    + " lower count or add approvers"));
        }
        int problemsBefore = problems.size();
        Duration maxAge = age(json, "maxAge", here, "a positive age such as 72h, or omit maxAge for no limit");
        if (problems.size() > problemsBefore || count < 1) {
            return Optional.empty();
        }
        return Optional.of(new ApprovalRequirement(count, from, json.optBoolean("notAuthor", true), maxAge));
    }

    /**
     * A name in {@code from} is a group when {@code groups} defines it, else an identity. An
     * identity that is one edit away from a group is almost surely a misspelt group, and when
     * the policy lists {@code identities} every identity must be one of them: either way the
     * policy would wait for an approver who does not exist.
     */
    private boolean checkApproverName(String name, String pointer) {
        if (people.groups().containsKey(name) || people.identities().containsKey(name)) {
            return true;
        }
        Optional<String> group = ClosestName.among(name, people.groups().keySet());
        if (group.isPresent()) {
            problems.add(PolicyProblem.error(pointer, "unknown group '" + name + "' (did you mean '" + group.get()
                    + "'?); a name in from is a group of groups, any other name an identity"));
            return false;
        }
        if (!people.identities().isEmpty()) {
            problems.add(PolicyProblem.error(pointer, "'" + name + "' is neither a group nor one of identities ("
                    + String.join(", ", people.identities().keySet()) + "); add it to groups or identities, or fix"
                    + " the name"));
            return false;
        }
        return true;
    }

    private People people() {
        JSONObject groups = object("groups");
        Map<String, List<String>> groupMembers = new LinkedHashMap<>();
        for (String group : groups.keySet().stream().sorted().toList()) {
            JSONArray members = groups.getJSONArray(group);
            List<String> list = new ArrayList<>();
            for (int k = 0; k < members.length(); k++) {
                String member = members.getString(k);
                if (groups.has(member)) {
                    problems.add(PolicyProblem.error("/groups/" + group + "/" + k, "group '" + group + "' names"
                            + " the group '" + member + "'; groups list identities only: write its members here"));
                }
                list.add(member);
            }
            groupMembers.put(group, list);
        }
        JSONObject identities = object("identities");
        Map<String, List<String>> emails = new LinkedHashMap<>();
        for (String identity : identities.keySet().stream().sorted().toList()) {
            JSONArray addresses = identities.getJSONArray(identity);
            List<String> list = new ArrayList<>();
            for (int k = 0; k < addresses.length(); k++) {
                list.add(addresses.getString(k));
            }
            emails.put(identity, list);
        }
        return new People(groupMembers, emails);
    }

    private List<Freeze> freezes(JSONObject environment, int index) {
        JSONArray array = environment.optJSONArray("freezes");
        List<Freeze> freezes = new ArrayList<>();
        if (array == null) {
            return freezes;
        }
        for (int k = 0; k < array.length(); k++) {
            String here = pointer(index, "freezes") + "/" + k;
            JSONObject json = array.getJSONObject(k);
            Optional<? extends Freeze> freeze = json.has("days")
                    ? weeklyFreeze(json, here)
                    : absoluteFreeze(json, here);
            freeze.ifPresent(freezes::add);
        }
        return freezes;
    }

    private Optional<AbsoluteFreeze> absoluteFreeze(JSONObject json, String here) {
        String name = json.getString("name");
        Optional<Instant> from = instant(json.getString("from"), here + "/from", name);
        Optional<Instant> until = instant(json.getString("until"), here + "/until", name);
        if (from.isEmpty() || until.isEmpty()) {
            return Optional.empty();
        }
        if (!until.get().isAfter(from.get())) {
            problems.add(PolicyProblem.error(here + "/until", "freeze '" + name + "' ends (until "
                    + json.getString("until") + ") " + (until.get().equals(from.get()) ? "when" : "before")
                    + " it starts (from " + json.getString("from") + "); until must be after from"));
            return Optional.empty();
        }
        return Optional.of(new AbsoluteFreeze(name, from.get(), until.get()));
    }

    private Optional<Instant> instant(String text, String pointer, String freezeName) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            problems.add(PolicyProblem.error(pointer, "freeze '" + freezeName + "': '" + text
                    + "' is not a valid date-time (" + e.getMessage()
                    + "); write an RFC 3339 date-time such as 2026-12-20T00:00:00Z"));
            return Optional.empty();
        }
    }

    private Optional<WeeklyFreeze> weeklyFreeze(JSONObject json, String here) {
        String name = json.getString("name");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        JSONArray dayNames = json.getJSONArray("days");
        for (int d = 0; d < dayNames.length(); d++) {
            days.add(dayOfWeek(dayNames.getString(d)));
        }
        LocalTime from = json.has("from") ? LocalTime.parse(json.getString("from")) : null;
        String untilText = json.optString("until", "24:00");
        LocalTime until = untilText.equals("24:00") ? null : LocalTime.parse(untilText);
        Optional<ZoneId> timezone = zone(json.optString("timezone", UTC), here + "/timezone", name);
        if (until != null && until.equals(from == null ? LocalTime.MIDNIGHT : from)) {
            problems.add(PolicyProblem.error(here + "/until", "freeze '" + name + "' starts and ends at "
                    + until + "; give until a different time, or omit from and until to freeze whole days"));
            return Optional.empty();
        }
        return timezone.map(zone -> new WeeklyFreeze(name, days, from, until, zone));
    }

    /** MON, TUE, ... as the schema spells them. */
    private static DayOfWeek dayOfWeek(String abbreviation) {
        return Arrays.stream(DayOfWeek.values())
                .filter(day -> day.name().startsWith(abbreviation))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a day: " + abbreviation));
    }

    private Optional<ZoneId> zone(String id, String pointer, String freezeName) {
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            problems.add(PolicyProblem.error(pointer, "freeze '" + freezeName + "' has timezone '" + id
                    + "', which is not a time zone id; use an IANA zone such as Europe/Berlin or America/New_York,"
                    + " or UTC"));
            return Optional.empty();
        }
    }

    private List<String> environmentSpecificPaths() {
        JSONArray array = root.optJSONArray("environmentSpecificPaths");
        List<String> globs = new ArrayList<>();
        if (array == null) {
            return globs;
        }
        for (int k = 0; k < array.length(); k++) {
            String here = "/environmentSpecificPaths/" + k;
            String glob = array.getString(k);
            globs.add(glob);
            compile(glob, here, "environmentSpecificPaths").ifPresent(compiled -> {
                if (compiled.matches(PolicyLoader.DEFAULT_PATH)) {
                    problems.add(PolicyProblem.error(here, "environment-specific glob '" + glob + "' matches "
                            + PolicyLoader.DEFAULT_PATH + ", so each environment could keep (and loosen) its own"
                            + " policy without promoting it; narrow the glob, such as env/**"));
                }
            });
        }
        return globs;
    }

    private List<SchemaMapping> schemaMappings() {
        JSONArray array = root.optJSONArray("schemas");
        List<SchemaMapping> mappings = new ArrayList<>();
        if (array == null) {
            return mappings;
        }
        for (int k = 0; k < array.length(); k++) {
            JSONObject json = array.getJSONObject(k);
            String here = "/schemas/" + k;
            String files = json.getString("files");
            compile(files, here + "/files", "schemas.files");
            mappings.add(new SchemaMapping(files, json.getString("schema"),
                    positions.apply(here + "/files"), positions.apply(here + "/schema")));
        }
        return mappings;
    }

    /** The {@code kubernetes} section, with what its schema cannot check: globs, version, templates, kinds. */
    private Optional<KubernetesSettings> kubernetes() {
        JSONObject json = root.optJSONObject("kubernetes");
        if (json == null) {
            return Optional.empty();
        }
        List<String> manifests = globs(json, "manifests");
        List<String> exclude = globs(json, "exclude");
        List<String> crds = globs(json, "crds");
        String version = json.optString("version", KubernetesSettings.DEFAULT_VERSION);
        if (!SchemaLocationTemplate.isKubernetesVersion(version)) {
            problems.add(PolicyProblem.error(KUBERNETES + "version", "kubernetes.version '" + version
                    + "' is not a Kubernetes version; write one such as 1.31.0 (without v), or master"));
        }
        List<String> locations = new ArrayList<>();
        JSONArray array = json.optJSONArray("schemaLocations");
        for (int k = 0; array != null && k < array.length(); k++) {
            String location = array.getString(k);
            locations.add(location);
            checkSchemaLocation(location, KUBERNETES + "schemaLocations/" + k);
        }
        List<String> skipKinds = new ArrayList<>();
        array = json.optJSONArray("skipKinds");
        for (int k = 0; array != null && k < array.length(); k++) {
            String entry = array.getString(k);
            skipKinds.add(entry);
            if (!isSkipKind(entry)) {
                problems.add(PolicyProblem.error(KUBERNETES + "skipKinds/" + k, "kubernetes.skipKinds entry '"
                        + entry + "' names no kind; write a kind (SealedSecret) or apiVersion/kind"
                        + " (apps/v1/Deployment, v1/ConfigMap), exactly as resources spell them"));
            }
        }
        KubernetesSettings.MissingSchema missing = KubernetesSettings.MissingSchema.valueOf(
                json.optString("missingSchema", "error").toUpperCase(Locale.ROOT));
        return Optional.of(new KubernetesSettings(manifests, exclude, version, json.optBoolean("strict", false),
                locations, crds, missing, skipKinds));
    }

    private List<String> globs(JSONObject json, String key) {
        List<String> globs = new ArrayList<>();
        JSONArray array = json.optJSONArray(key);
        for (int k = 0; array != null && k < array.length(); k++) {
            String glob = array.getString(k);
            globs.add(glob);
            compile(glob, KUBERNETES + key + "/" + k, "kubernetes." + key);
        }
        return globs;
    }

    /**
     * A policy's schema locations are read from the revision checked, like every schema the
     * policy names, so they must stay inside the repository: no absolute path (that is what the
     * server's {@code --schema-location} is for) and no {@code ..}.
     */
    private void checkSchemaLocation(String location, String pointer) {
        try {
            SchemaLocationTemplate.parse(location);
        } catch (InvalidSchemaLocationException e) {
            problems.add(PolicyProblem.errorInside(pointer, e.column() - 1, "kubernetes.schemaLocations entry '"
                    + location + "': " + e.getMessage()));
            return;
        }
        if (location.startsWith("/") || location.contains("\\") || location.matches("[A-Za-z]:.*")) {
            problems.add(PolicyProblem.error(pointer, "kubernetes.schemaLocations entry '" + location + "' is not a"
                    + " path inside the repository; a policy's schemas are read from the revision checked, so write"
                    + " a repository path such as schemas/k8s (a schema mirror outside the repository is given to"
                    + " the server with --schema-location)"));
            return;
        }
        int offset = 0;
        for (String segment : location.split("/", -1)) {
            if (segment.equals("..")) {
                problems.add(PolicyProblem.errorInside(pointer, offset, "kubernetes.schemaLocations entry '"
                        + location + "' climbs out with '..'; a policy's schema locations are repository paths,"
                        + " such as schemas/k8s"));
                return;
            }
            offset += segment.length() + 1;
        }
    }

    /** {@code Kind} or {@code apiVersion/Kind}: what {@code GroupVersionKind.matches} can ever match. */
    private static boolean isSkipKind(String entry) {
        int slash = entry.lastIndexOf('/');
        String kind = entry.substring(slash + 1);
        return KIND.matcher(kind).matches()
                && (slash < 0 || GroupVersionKind.parse(entry.substring(0, slash), kind).isPresent());
    }

    private Optional<PathGlob> compile(String glob, String pointer, String where) {
        try {
            return Optional.of(PathGlob.compile(glob));
        } catch (IllegalArgumentException e) {
            String reason = e instanceof PatternSyntaxException syntax ? syntax.getDescription() : e.getMessage();
            problems.add(PolicyProblem.error(pointer, where + " entry '" + glob + "' is not a valid glob ("
                    + reason + "); use git wildmatch syntax, such as env/** or apps/*/values.yaml"));
            return Optional.empty();
        }
    }

    /**
     * The {@code rules} section (rules-cel.md), with what its schema cannot check: ids that are
     * built-in or taken, environments, kinds, globs, field paths, and expressions that do not
     * compile. A rule with a problem is left out (the policy is invalid anyway). CEL is reached
     * only when there is a rule to compile.
     */
    private List<CustomRule> customRules(boolean hasKubernetes) {
        JSONArray array = root.optJSONArray("rules");
        List<CustomRule> rules = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int k = 0; array != null && k < array.length(); k++) {
            JSONObject json = array.getJSONObject(k);
            String here = RULES + k;
            int problemsBefore = problems.size();
            String id = json.getString("id");
            checkRuleId(id, k, firstIndex);
            List<String> environments = ruleEnvironments(json, here, id);
            List<String> files = ruleFiles(json, here);
            List<String> kinds = ruleKinds(json, here, id, hasKubernetes);
            Optional<String> fieldPath = Optional.ofNullable(json.optString("fieldPath", null));
            if (fieldPath.isPresent() && !DOTTED_PATH.matcher(fieldPath.get()).matches()) {
                problems.add(PolicyProblem.error(here + "/fieldPath", "rule '" + id + "' has fieldPath '"
                        + fieldPath.get() + "', which is not a dotted path; write the keys from the document's"
                        + " root separated by dots, such as spec.replicas"));
            }
            String expression = json.getString("expression");
            problems.addAll(RuleExpressionCheck.ofExpression(id, here + "/expression", expression));
            Optional<String> messageExpression = Optional.ofNullable(json.optString("messageExpression", null));
            if (messageExpression.isPresent()) {
                problems.addAll(RuleExpressionCheck.ofMessageExpression(id, here + "/messageExpression",
                        messageExpression.get()));
            }
            if (problems.size() > problemsBefore) {
                continue;
            }
            rules.add(new CustomRule(id, environments, files, kinds, expression, fieldPath,
                    Optional.ofNullable(json.optString("message", null)), messageExpression,
                    ruleModeOf(json.optString("mode", null))));
        }
        return rules;
    }

    /**
     * A custom rule's id names its violations, so it must not pass for a built-in rule, another custom
     * one, or stagegate's own errors.
     */
    private void checkRuleId(String id, int index, Map<String, Integer> firstIndex) {
        String here = RULES + index + "/id";
        if (RuleIds.ALL.contains(id)) {
            problems.add(PolicyProblem.error(here, "rule id '" + id + "' is the id of a built-in rule, so its"
                    + " violations and ruleModes entry would be taken for that rule's; give the rule an id of its"
                    + " own, such as team-" + id));
            return;
        }
        if (CustomRule.RESERVED_IDS.contains(id)) {
            problems.add(PolicyProblem.error(here, "rule id '" + id + "' is reserved for stagegate's own errors,"
                    + " so this rule's violations would be reported as internal errors; give the rule an id of its"
                    + " own, such as team-" + id));
            return;
        }
        Integer first = firstIndex.putIfAbsent(id, index);
        if (first != null) {
            problems.add(PolicyProblem.error(here, "rule id '" + id + "' is already used by rules[" + first
                    + "]; give every rule a unique id"));
        }
    }

    private List<String> ruleEnvironments(JSONObject json, String here, String id) {
        List<String> names = new ArrayList<>();
        JSONArray array = json.optJSONArray("environments");
        for (int e = 0; array != null && e < array.length(); e++) {
            String name = array.getString(e);
            names.add(name);
            if (!environmentIndex.containsKey(name)) {
                problems.add(PolicyProblem.error(here + "/environments/" + e, "rule '" + id + "' names environment '"
                        + name + "', which is not an environment of this policy"
                        + ClosestName.hint(name, environmentIndex.keySet())
                        + "; use one of: " + String.join(", ", environmentIndex.keySet())));
            }
        }
        return names;
    }

    /** {@code files}: one glob, or a list of them. */
    private List<String> ruleFiles(JSONObject json, String here) {
        List<String> globs = new ArrayList<>();
        JSONArray array = json.optJSONArray("files");
        if (array == null) {
            String glob = json.getString("files");
            globs.add(glob);
            ruleGlob(glob, here + "/files");
            return globs;
        }
        for (int g = 0; g < array.length(); g++) {
            String glob = array.getString(g);
            globs.add(glob);
            ruleGlob(glob, here + "/files/" + g);
        }
        return globs;
    }

    /**
     * Repository paths never start with {@code ./} or {@code /}, so such a glob would match
     * nothing and its rule would judge nothing without a word.
     */
    private void ruleGlob(String glob, String pointer) {
        if (glob.startsWith("./") || glob.startsWith("/")) {
            String relative = glob.replaceFirst("^(\\./|/)+", "");
            problems.add(PolicyProblem.error(pointer, "rules.files glob '" + glob + "' can never match: paths are"
                    + " relative to the repository's root and start with neither ./ nor /; write '" + relative + "'"));
            return;
        }
        compile(glob, pointer, "rules.files");
    }

    private List<String> ruleKinds(JSONObject json, String here, String id, boolean hasKubernetes) {
        List<String> kinds = new ArrayList<>();
        JSONArray array = json.optJSONArray("kinds");
        if (array == null) {
            return kinds;
        }
        if (!array.isEmpty() && !hasKubernetes) {
            problems.add(PolicyProblem.error(here + "/kinds", "rule '" + id + "' has kinds, but the policy has no"
                    + " kubernetes section, so no document is known to be a resource of a kind; add kubernetes"
                    + " (with manifests) or remove kinds"));
        }
        for (int k = 0; k < array.length(); k++) {
            String entry = array.getString(k);
            kinds.add(entry);
            if (entry.indexOf('/') < 0 || !isSkipKind(entry)) {
                problems.add(PolicyProblem.error(here + "/kinds/" + k, "rule '" + id + "' has kinds entry '" + entry
                        + "', which is no apiVersion/kind; write it as resources spell them, such as"
                        + " apps/v1/Deployment or v1/ConfigMap"));
            }
        }
        return kinds;
    }

    private EvidenceSettings evidence() {
        JSONObject json = object("evidence");
        String notesRef = json.optString("notesRef", EvidenceSettings.DEFAULT_NOTES_REF);
        if (!Repository.isValidRefName(notesRef)) {
            problems.add(PolicyProblem.error("/evidence/notesRef", "evidence.notesRef '" + notesRef
                    + "' is not a valid git ref name; use one such as refs/notes/stagegate"));
        }
        SignatureMode signatures = SignatureMode.fromLabel(json.optString("signatures", "off"));
        Optional<String> allowedSigners = Optional.ofNullable(json.optString("allowedSigners", null));
        if (signatures != SignatureMode.OFF && allowedSigners.isEmpty() && !serverAllowedSigners) {
            problems.add(PolicyProblem.error("/evidence/signatures", "evidence.signatures is "
                    + signatures.label() + " but no allowed-signers file says whose keys are trusted; set"
                    + " evidence.allowedSigners to a file such as .stagegate/allowed_signers (or give the server"
                    + " --allowed-signers)"));
        }
        allowedSigners.ifPresent(file -> {
            if (file.startsWith("/") || file.contains("\\") || Arrays.asList(file.split("/")).contains("..")) {
                problems.add(PolicyProblem.error("/evidence/allowedSigners", "evidence.allowedSigners '" + file
                        + "' is not a path inside the repository; write one such as .stagegate/allowed_signers"));
            }
        });
        return new EvidenceSettings(notesRef,
                optionalStrings(json.optJSONArray("trustedProducers")),
                optionalStrings(json.optJSONArray("writers")),
                signatures, allowedSigners);
    }

    /**
     * The allowed-signers file is part of the policy and must travel the chain with it: if each
     * environment could keep its own, a branch could trust a key nobody upstream reviewed.
     */
    private void checkAllowedSignersIsShared(EvidenceSettings evidence, List<String> environmentSpecificPaths) {
        if (evidence.allowedSigners().isEmpty()) {
            return;
        }
        String file = evidence.allowedSigners().get();
        matchingGlob(environmentSpecificPaths, file).ifPresent(glob -> problems.add(PolicyProblem.error(
                "/evidence/allowedSigners", "evidence.allowedSigners '" + file
                        + "' is matched by environmentSpecificPaths entry '" + glob
                        + "', so each environment could trust its own keys without promoting them; keep the"
                        + " file outside environment-specific paths")));
    }

    /**
     * A schema judges the files of every environment and must travel the chain like the policy:
     * an environment-specific one could be loosened on production together with the values it
     * judges, in one push that is no promotion.
     */
    private void checkSchemasAreShared(List<SchemaMapping> schemas, List<String> environmentSpecificPaths) {
        for (int m = 0; m < schemas.size(); m++) {
            String schema = schemas.get(m).schema();
            Optional<String> glob = matchingGlob(environmentSpecificPaths, schema);
            if (glob.isPresent()) {
                problems.add(PolicyProblem.error("/schemas/" + m + "/schema", "schema '" + schema
                        + "' is matched by environmentSpecificPaths entry '" + glob.get() + "', so an environment"
                        + " could loosen its own schema together with the files it checks, without promoting it;"
                        + " keep schemas outside environment-specific paths"));
            }
        }
    }

    /** The first of {@code globs} that matches {@code path}; globs that do not compile are reported where they are. */
    private static Optional<String> matchingGlob(List<String> globs, String path) {
        for (String glob : globs) {
            try {
                if (PathGlob.compile(glob).matches(path)) {
                    return Optional.of(glob);
                }
            } catch (IllegalArgumentException e) {
                // already reported where the glob is
            }
        }
        return Optional.empty();
    }

    private void warnIfAnyoneCanWriteEvidence(EvidenceSettings evidence) {
        if (evidence.writers().isPresent() || evidence.trustedProducers().isPresent()) {
            return;
        }
        JSONArray array = root.getJSONArray("environments");
        for (int i = 0; i < array.length(); i++) {
            JSONArray required = array.getJSONObject(i).optJSONArray("requiresEvidence");
            if (required != null && !required.isEmpty()) {
                problems.add(PolicyProblem.warning(pointer(i, "requiresEvidence"), "requiresEvidence is used"
                        + " while neither evidence.writers nor evidence.trustedProducers is set, so any pusher"
                        + " can write evidence; set evidence.writers (and trustedProducers) to your CI's identity"));
                return;
            }
        }
    }

    /** The settings of {@code json} (may be null), each one it leaves out taken from {@code defaults}. */
    private static Protections protections(JSONObject json, Protections defaults) {
        if (json == null) {
            return defaults;
        }
        return new Protections(
                json.has("forcePush") ? json.getString("forcePush").equals("allow") : defaults.forcePushAllowed(),
                json.has("deletion") ? json.getString("deletion").equals("allow") : defaults.deletionAllowed());
    }

    private PromotionSettings promotion() {
        JSONObject json = object("promotion");
        return new PromotionSettings(
                json.optInt("searchDepth", PromotionSettings.DEFAULT_SEARCH_DEPTH),
                json.optBoolean("fastForwardOnly", false));
    }

    /**
     * {@code ruleModes} in rule-table order, then the custom rules' in policy order. Unknown
     * rule ids never get here: the loader reports them before the schema does, with a clearer
     * message.
     */
    private Map<String, RuleMode> ruleModes(List<CustomRule> customRules) {
        JSONObject json = object("ruleModes");
        Map<String, RuleMode> modes = new LinkedHashMap<>();
        for (String ruleId : RuleIds.ALL) {
            if (!json.has(ruleId)) {
                continue;
            }
            RuleMode mode = ruleMode(json.getString(ruleId));
            String here = "/ruleModes/" + ruleId;
            if (RuleIds.ALWAYS_ENFORCED.contains(ruleId) && mode != RuleMode.ENFORCE) {
                problems.add(PolicyProblem.error(here, "ruleModes sets " + ruleId + " to " + mode.label()
                        + ", but " + ruleId + " is always enforced (policy-invalid, evidence-tamper and"
                        + " ref-shadowing cannot be weakened); remove this entry"));
            } else if (RuleIds.BYPASS_USED.equals(ruleId) && mode != RuleMode.WARN) {
                problems.add(PolicyProblem.warning(here, "ruleModes sets bypass-used to " + mode.label()
                        + ", but bypass-used is always reported as a warning; this entry has no effect, remove it"));
            }
            modes.put(ruleId, mode);
        }
        for (CustomRule rule : customRules) {
            if (json.has(rule.id())) {
                modes.put(rule.id(), ruleMode(json.getString(rule.id())));
            }
        }
        return modes;
    }

    /** A custom rule's own {@code mode}, when it has one. */
    private static Optional<RuleMode> ruleModeOf(String label) {
        return label == null ? Optional.empty() : Optional.of(ruleMode(label));
    }

    private static RuleMode ruleMode(String label) {
        return RuleMode.valueOf(label.toUpperCase(Locale.ROOT));
    }

    private JSONObject object(String key) {
        JSONObject json = root.optJSONObject(key);
        return json == null ? new JSONObject() : json;
    }

    private static Set<String> strings(JSONArray array) {
        Set<String> strings = new HashSet<>();
        if (array != null) {
            for (int k = 0; k < array.length(); k++) {
                strings.add(array.getString(k));
            }
        }
        return strings;
    }

    private static Optional<Set<String>> optionalStrings(JSONArray array) {
        return array == null ? Optional.empty() : Optional.of(strings(array));
    }

    private static String pointer(int environment, String key) {
        return ENVIRONMENTS + environment + "/" + key;
    }
}
