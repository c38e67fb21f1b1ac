package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stagegate.report.Severity;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.SchemaMapping;
import dev.stagegate.signature.AllowedSigners;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyLoaderTest {

    private static final String PATH = PolicyLoader.DEFAULT_PATH;

    private final PolicyLoader loader = new PolicyLoader();

    /** A valid head that each case below extends: two environments, lines 1-8. */
    private static final String HEAD = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            """;

    @Nested
    class ValidPolicies {

        @Test
        void theExampleOfPolicyV1LoadsWithEveryField() throws IOException {
            PolicyLoadResult result = loader.load(resource("example-policy.yaml"), PATH);

            assertThat(result.problems()).isEmpty();
            assertThat(result.valid()).isTrue();
            Policy policy = result.policy().orElseThrow();
            assertThat(policy.path()).isEqualTo(PATH);
            assertThat(policy.environments()).extracting(Environment::name)
                    .containsExactly("development", "testing", "staging", "production");
            assertThat(policy.environments()).extracting(Environment::branch)
                    .containsExactly("develop", "test", "staging", "main");

            Environment development = policy.environment("development").orElseThrow();
            assertThat(development.isEntry()).isTrue();
            assertThat(development.promotesFrom()).isEmpty();
            assertThat(development.upstreams()).isEqualTo(UpstreamMode.ALL);
            assertThat(development.requiresEvidence()).isEmpty();
            assertThat(development.freezes()).isEmpty();

            assertThat(policy.environment("testing").orElseThrow().promotesFrom()).containsExactly("development");

            Environment staging = policy.environment("staging").orElseThrow();
            assertThat(staging.isEntry()).isFalse();
            assertThat(staging.requiresEvidence()).containsExactly(
                    new EvidenceRequirement("integration", "testing", Duration.ofDays(7)));

            Environment production = policy.environmentOfBranch("main").orElseThrow();
            assertThat(production.name()).isEqualTo("production");
            assertThat(production.promotesFrom()).containsExactly("staging");
            assertThat(production.requiresEvidence()).containsExactly(
                    new EvidenceRequirement("integration", "testing", null),
                    new EvidenceRequirement("smoke", "staging", Duration.ofHours(72)));
            assertThat(production.freezes()).containsExactly(
                    new AbsoluteFreeze("year-end",
                            Instant.parse("2026-12-20T00:00:00Z"), Instant.parse("2027-01-04T00:00:00Z")),
                    new WeeklyFreeze("friday-evening", Set.of(DayOfWeek.FRIDAY),
                            LocalTime.of(16, 0), null, ZoneId.of("Europe/Berlin")));

            assertThat(policy.environmentSpecificPaths()).containsExactly("env/**");
            assertThat(policy.environmentSpecific().contains("env/production/values.yaml")).isTrue();
            assertThat(policy.environmentSpecific().contains("apps/web/values.yaml")).isFalse();
            assertThat(policy.schemas()).containsExactly(new SchemaMapping("apps/**/values.yaml",
                    "schemas/app-values.schema.json", new SourcePosition(36, 5), new SourcePosition(37, 5)));
            assertThat(policy.evidence()).isEqualTo(new EvidenceSettings("refs/notes/stagegate",
                    Optional.of(Set.of("ci-bot")), Optional.of(Set.of("ci-bot"))));
            assertThat(policy.protections()).isEqualTo(new Protections(false, false));
            assertThat(policy.promotion()).isEqualTo(new PromotionSettings(200, false));
            assertThat(policy.bypassUsers()).containsExactly("release-manager");
            assertThat(policy.mode()).isEqualTo(RuleMode.ENFORCE);
            assertThat(policy.ruleModes()).isEqualTo(Map.of("freeze-window", RuleMode.WARN));
            assertThat(policy.modeOf(RuleIds.FREEZE_WINDOW)).isEqualTo(RuleMode.WARN);
            assertThat(policy.graph().topologicalOrder()).extracting(Environment::name)
                    .containsExactly("development", "testing", "staging", "production");
        }

        @Test
        void aMinimalPolicyGetsTheDefaults() {
            Policy policy = valid(HEAD);

            assertThat(policy.environmentSpecificPaths()).isEmpty();
            assertThat(policy.environmentSpecific().isEmpty()).isTrue();
            assertThat(policy.schemas()).isEmpty();
            assertThat(policy.evidence()).isEqualTo(EvidenceSettings.DEFAULTS);
            assertThat(policy.evidence().notesRef()).isEqualTo("refs/notes/stagegate");
            assertThat(policy.protections()).isEqualTo(Protections.DEFAULTS);
            assertThat(policy.promotion().searchDepth()).isEqualTo(200);
            assertThat(policy.promotion().fastForwardOnly()).isFalse();
            assertThat(policy.bypassUsers()).isEmpty();
            assertThat(policy.mode()).isEqualTo(RuleMode.ENFORCE);
            assertThat(policy.ruleModes()).isEmpty();
        }

        @Test
        void readsTheSettingsThatDifferFromTheDefaults() {
            Policy policy = valid(HEAD + """
                    evidence:
                      notesRef: refs/notes/tests
                    protections:
                      forcePush: allow
                      deletion: allow
                    promotion:
                      searchDepth: 100000
                      fastForwardOnly: true
                    mode: warn
                    ruleModes:
                      skipped-stage: "off"
                      policy-invalid: enforce
                    """);

            assertThat(policy.evidence()).isEqualTo(
                    new EvidenceSettings("refs/notes/tests", Optional.empty(), Optional.empty()));
            assertThat(policy.protections()).isEqualTo(new Protections(true, true));
            assertThat(policy.promotion()).isEqualTo(new PromotionSettings(100_000, true));
            assertThat(policy.mode()).isEqualTo(RuleMode.WARN);
            assertThat(policy.ruleModes()).isEqualTo(
                    Map.of("skipped-stage", RuleMode.OFF, "policy-invalid", RuleMode.ENFORCE));
        }

        @Test
        void anEnvironmentsProtectionsWinOverTheDefaultsFieldByField() {
            Policy policy = valid("""
                    apiVersion: stagegate/v1
                    kind: PromotionPolicy
                    environments:
                      - name: development
                        branch: develop
                        protections:
                          deletion: allow
                      - name: staging
                        branch: staging
                        promotesFrom: development
                      - name: prod-eu
                        branch: prod-eu
                        promotesFrom: staging
                        protections:
                          forcePush: allow
                          deletion: deny
                    protections:
                      deletion: allow
                    """);

            assertThat(policy.protections()).isEqualTo(new Protections(false, true));
            assertThat(policy.environment("development").orElseThrow().protections())
                    .isEqualTo(new Protections(false, true));
            assertThat(policy.environment("staging").orElseThrow().protections())
                    .isEqualTo(new Protections(false, true));
            assertThat(policy.environment("prod-eu").orElseThrow().protections())
                    .isEqualTo(new Protections(true, false));
        }

        @Test
        void fanOutAndFanInFormAGraph() throws IOException {
            PolicyLoadResult result = loader.load(resource("fan-out-fan-in-policy.yaml"), PATH);

            assertThat(result.problems()).isEmpty();
            Policy policy = result.policy().orElseThrow();
            EnvironmentGraph graph = policy.graph();
            assertThat(graph.entries()).extracting(Environment::name).containsExactly("integration");
            assertThat(graph.downstreamsOf("integration")).extracting(Environment::name)
                    .containsExactly("integration-gpu", "load-gpu", "staging-us");
            assertThat(graph.upstreamsOf("staging-eu")).extracting(Environment::name)
                    .containsExactly("integration-gpu", "load-gpu");
            assertThat(graph.chainAbove("production")).extracting(Environment::name)
                    .containsExactly("staging-eu", "staging-us", "integration-gpu", "load-gpu", "integration");

            Environment stagingEu = policy.environment("staging-eu").orElseThrow();
            assertThat(stagingEu.upstreams()).isEqualTo(UpstreamMode.ALL);
            assertThat(stagingEu.requiresEvidence()).containsExactly(
                    new EvidenceRequirement("load", "load-gpu", null));
            Environment production = policy.environment("production").orElseThrow();
            assertThat(production.upstreams()).isEqualTo(UpstreamMode.ANY);
            assertThat(production.promotesFrom()).containsExactly("staging-eu", "staging-us");
        }

        @Test
        void weeklyFreezeDefaultsToTheWholeDayInUtc() {
            Policy policy = valid(HEAD + """
                        freezes:
                          - name: weekend
                            days: [SAT, SUN]
                          - name: night
                            days: [MON]
                            from: "22:00"
                            until: "06:00"
                    """);

            assertThat(policy.environment("production").orElseThrow().freezes()).containsExactly(
                    new WeeklyFreeze("weekend", Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), null, null,
                            ZoneId.of("UTC")),
                    new WeeklyFreeze("night", Set.of(DayOfWeek.MONDAY), LocalTime.of(22, 0), LocalTime.of(6, 0),
                            ZoneId.of("UTC")));
        }

        @ParameterizedTest
        @CsvSource({"30s, PT30S", "15m, PT15M", "36h, PT36H", "7d, PT168H"})
        void maxAgeTakesFourUnits(String maxAge, Duration expected) {
            Policy policy = valid(HEAD + """
                        requiresEvidence:
                          - suite: smoke
                            maxAge: %s
                    evidence:
                      writers: [ci-bot]
                    """.formatted(maxAge));

            assertThat(policy.environment("production").orElseThrow().requiresEvidence())
                    .containsExactly(new EvidenceRequirement("smoke", "development", expected));
        }

        @Test
        void modeWarnIsAllowedAndLeavesTheAlwaysEnforcedRulesEnforced() {
            Policy policy = valid(HEAD + "mode: warn\n");

            assertThat(policy.modeOf(RuleIds.SKIPPED_STAGE)).isEqualTo(RuleMode.WARN);
            assertThat(policy.modeOf(RuleIds.POLICY_INVALID)).isEqualTo(RuleMode.ENFORCE);
            assertThat(policy.modeOf(RuleIds.EVIDENCE_TAMPER)).isEqualTo(RuleMode.ENFORCE);
            assertThat(policy.modeOf(RuleIds.REF_SHADOWING)).isEqualTo(RuleMode.ENFORCE);
        }

        @Test
        void aJsonPolicyLoadsToo() {
            PolicyLoadResult result = loader.load("""
                    {"apiVersion": "stagegate/v1", "kind": "PromotionPolicy",
                     "environments": [{"name": "dev", "branch": "dev"}]}
                    """.getBytes(StandardCharsets.UTF_8), "policy.json");

            assertThat(result.problems()).isEmpty();
            assertThat(result.policy().orElseThrow().path()).isEqualTo("policy.json");
        }
    }

    @Nested
    class SemanticProblems {

        @Test
        void unknownPromotesFrom() {
            Violation problem = onlyError(HEAD.replace("promotesFrom: development", "promotesFrom: developmnt"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":8:5");
            assertThat(problem.message()).isEqualTo("environment 'production' promotes from 'developmnt',"
                    + " which is not an environment of this policy (did you mean development?);"
                    + " use one of: development, production");
        }

        @Test
        void unknownPromotesFromInAList() {
            Violation problem = onlyError(HEAD.replace("promotesFrom: development",
                    "promotesFrom: [development, qa]"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":8:33");
            assertThat(problem.message()).startsWith("environment 'production' promotes from 'qa', which is not");
        }

        @Test
        void selfReference() {
            Violation problem = onlyError(HEAD.replace("promotesFrom: development", "promotesFrom: production"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":8:5");
            assertThat(problem.message()).startsWith("environment 'production' promotes from itself;");
        }

        @Test
        void aCycleOfTwoIsNamed() {
            Violation problem = onlyError(HEAD + """
                      - name: testing
                        branch: test
                        promotesFrom: staging
                      - name: staging
                        branch: staging
                        promotesFrom: testing
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":14:5");
            assertThat(problem.message()).isEqualTo("promotion cycle testing -> staging -> testing: content"
                    + " could never enter it; remove one of these promotesFrom entries"
                    + " (here 'staging' promotes from 'testing')");
        }

        @Test
        void aLongerCycleIsNamedInPromotionOrder() {
            Violation problem = onlyError("""
                    apiVersion: stagegate/v1
                    kind: PromotionPolicy
                    environments:
                      - name: a
                        branch: a
                        promotesFrom: c
                      - name: b
                        branch: b
                        promotesFrom: [a]
                      - name: c
                        branch: c
                        promotesFrom: b
                    """);

            assertThat(problem.message()).startsWith("promotion cycle a -> b -> c -> a:");
            assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:20");
        }

        @Test
        void twoEnvironmentsWithTheSameName() {
            Violation problem = onlyError(HEAD + """
                      - name: development
                        branch: dev2
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:5");
            assertThat(problem.message()).isEqualTo("environment name 'development' is already used by"
                    + " environments[0]; give every environment a unique name");
        }

        @Test
        void twoEnvironmentsOnOneBranch() {
            Violation problem = onlyError(HEAD + """
                      - name: hotfix
                        branch: develop
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:5");
            assertThat(problem.message()).isEqualTo("branch 'develop' is already the branch of environment"
                    + " 'development'; every environment needs a branch of its own");
        }

        @Test
        void aFullRefIsNoBranchName() {
            Violation problem = onlyError(HEAD.replace("branch: main", "branch: refs/heads/main"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":7:5");
            assertThat(problem.message()).contains("write the short branch name, such as main");
        }

        @ParameterizedTest
        @ValueSource(strings = {"HEAD", "a..b", "release/", "with space"})
        void aBranchNameGitRejects(String branch) {
            Violation problem = onlyError(HEAD.replace("branch: main", "branch: \"" + branch + "\""));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":7:5");
            assertThat(problem.message()).contains("is not a valid git branch name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"**", ".stagegate/**", ".stagegate/*", "**/*.yaml", "*/policy.yaml", "**/policy.*",
            ".stagegate", ".stagegate/", "/.stagegate"})
        void anEnvironmentSpecificGlobMatchingThePolicy(String glob) {
            Violation problem = onlyError(HEAD + """
                    environmentSpecificPaths:
                      - env/**
                      - "%s"
                    """.formatted(glob));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:5");
            assertThat(problem.message()).startsWith("environment-specific glob '" + glob
                    + "' matches .stagegate/policy.yaml");
        }

        @ParameterizedTest
        @ValueSource(strings = {"config", "config/", "config/**", "**/*.json"})
        void anEnvironmentSpecificGlobMatchingASchema(String glob) {
            Violation problem = onlyError(HEAD + """
                    environmentSpecificPaths: ["%s"]
                    schemas:
                      - files: "apps/**/values.yaml"
                        schema: config/values.schema.json
                    """.formatted(glob));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:5");
            assertThat(problem.message()).startsWith("schema 'config/values.schema.json' is matched by"
                    + " environmentSpecificPaths entry '" + glob + "', so an environment could loosen its own schema");
        }

        @Test
        void anInvalidEnvironmentSpecificGlob() {
            Violation problem = onlyError(HEAD + """
                    environmentSpecificPaths: ["env/[z-a]*"]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:28");
            assertThat(problem.message()).startsWith("environmentSpecificPaths entry 'env/[z-a]*' is not a valid glob");
        }

        @Test
        void anInvalidSchemaFilesGlob() {
            Violation problem = onlyError(HEAD + """
                    schemas:
                      - files: "apps/[9-0].yaml"
                        schema: schemas/app.json
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:5");
            assertThat(problem.message()).startsWith("schemas.files entry 'apps/[9-0].yaml' is not a valid glob");
        }

        @Test
        void anUnknownRuleIdInRuleModes() {
            Violation problem = onlyError(HEAD + """
                    ruleModes:
                      freeze-window: warn
                      freez-window: "off"
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:3");
            assertThat(problem.message()).isEqualTo("ruleModes names 'freez-window', which is not a rule id"
                    + " (did you mean freeze-window?); rule ids are: " + String.join(", ", RuleIds.ALL));
        }

        @ParameterizedTest
        @CsvSource({"policy-invalid, warn", "policy-invalid, off", "evidence-tamper, warn", "evidence-tamper, off",
                "ref-shadowing, warn", "ref-shadowing, off"})
        void ruleModesCannotWeakenTheAlwaysEnforcedRules(String rule, String mode) {
            Violation problem = onlyError(HEAD + """
                    ruleModes:
                      skipped-stage: warn
                      %s: "%s"
                    """.formatted(rule, mode));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:3");
            assertThat(problem.message()).isEqualTo("ruleModes sets " + rule + " to " + mode + ", but " + rule
                    + " is always enforced (policy-invalid, evidence-tamper and ref-shadowing cannot be"
                    + " weakened); remove this entry");
        }

        @Test
        void anAbsoluteFreezeThatEndsBeforeItStarts() {
            Violation problem = onlyError(HEAD + """
                        freezes:
                          - name: year-end
                            from: 2027-01-04T00:00:00Z
                            until: 2026-12-20T00:00:00Z
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:9");
            assertThat(problem.message()).isEqualTo("freeze 'year-end' ends (until 2026-12-20T00:00:00Z) before"
                    + " it starts (from 2027-01-04T00:00:00Z); until must be after from");
        }

        @Test
        void anAbsoluteFreezeThatEndsWhenItStartsInAnotherOffset() {
            Violation problem = onlyError(HEAD + """
                        freezes:
                          - name: instant
                            from: 2027-01-04T01:00:00+01:00
                            until: 2027-01-04T00:00:00Z
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:9");
            assertThat(problem.message()).contains(" when it starts");
        }

        @Test
        void aWeeklyFreezeThatStartsWhenItEnds() {
            Violation problem = onlyError(HEAD + """
                        freezes:
                          - name: odd
                            days: [MON]
                            from: "16:00"
                            until: "16:00"
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":13:9");
            assertThat(problem.message()).startsWith("freeze 'odd' starts and ends at 16:00;");
        }

        @Test
        void anUnknownTimezone() {
            Violation problem = onlyError(HEAD + """
                        freezes:
                          - name: friday
                            days: [FRI]
                            timezone: Europe/Berln
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:9");
            assertThat(problem.message()).startsWith("freeze 'friday' has timezone 'Europe/Berln', which is not"
                    + " a time zone id;");
        }

        @Test
        void requiresEvidenceOnAnEntryMustNameTheEnvironment() {
            Violation problem = onlyError("""
                    apiVersion: stagegate/v1
                    kind: PromotionPolicy
                    environments:
                      - name: development
                        branch: develop
                        requiresEvidence:
                          - suite: unit
                    evidence:
                      writers: [ci-bot]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":7:9");
            assertThat(problem.message()).isEqualTo("requiresEvidence for suite 'unit' does not say which"
                    + " environment the suite ran in and 'development' is an entry environment, so there is no"
                    + " upstream to default to; add environment: <name> to this requirement");
        }

        @Test
        void requiresEvidenceWithSeveralUpstreamsMustNameTheEnvironment() {
            Violation problem = onlyError(HEAD + """
                      - name: staging
                        branch: staging
                        promotesFrom: [development, production]
                        requiresEvidence:
                          - suite: smoke
                            maxAge: 1d
                    evidence:
                      trustedProducers: [ci-bot]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":13:9");
            assertThat(problem.message()).contains("'staging' promotes from development and production, so the"
                    + " default would be ambiguous");
        }

        @Test
        void requiresEvidenceFromAnUnknownEnvironment() {
            Violation problem = onlyError(HEAD + """
                        requiresEvidence:
                          - suite: smoke
                            environment: staging
                    evidence:
                      writers: [ci-bot]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:9");
            assertThat(problem.message()).isEqualTo("requiresEvidence of 'production' names environment"
                    + " 'staging', which is not an environment of this policy; use one of: development, production");
        }

        @ParameterizedTest
        @CsvSource({"0d, '0d' is zero", "99999999999999999999d, is too large", "9999999999999999d, is too large"})
        void aMaxAgeThatCannotBeMet(String maxAge, String complaint) {
            Violation problem = onlyError(HEAD + """
                        requiresEvidence:
                          - suite: smoke
                            maxAge: %s
                    evidence:
                      writers: [ci-bot]
                    """.formatted(maxAge));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:9");
            assertThat(problem.message()).contains(complaint);
        }

        @Test
        void anInvalidNotesRef() {
            Violation problem = onlyError(HEAD + """
                    evidence:
                      notesRef: refs/notes/a..b
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:3");
            assertThat(problem.message()).contains("is not a valid git ref name");
        }

        @Test
        void everyProblemIsReportedInFileOrder() {
            PolicyLoadResult result = load(HEAD.replace("promotesFrom: development", "promotesFrom: nowhere") + """
                      - name: development
                        branch: main
                    """);

            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).extracting(Violation::fileLocation).containsExactly(
                    PATH + ":8:5", PATH + ":9:5", PATH + ":10:5");
        }
    }

    @Nested
    class Warnings {

        @Test
        void requiresEvidenceWithoutWritersOrTrustedProducers() {
            PolicyLoadResult result = load(HEAD + """
                        requiresEvidence:
                          - suite: smoke
                    """);

            assertThat(result.valid()).isTrue();
            assertThat(result.errors()).isEmpty();
            assertThat(result.problems()).singleElement().satisfies(warning -> {
                assertThat(warning.rule()).isEqualTo(RuleIds.POLICY_INVALID);
                assertThat(warning.severity()).isEqualTo(Severity.WARNING);
                assertThat(warning.fileLocation()).isEqualTo(PATH + ":9:5");
                assertThat(warning.message()).contains("any pusher can write evidence");
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"writers", "trustedProducers"})
        void eitherListSilencesTheWarning(String list) {
            PolicyLoadResult result = load(HEAD + """
                        requiresEvidence:
                          - suite: smoke
                    evidence:
                      %s: [ci-bot]
                    """.formatted(list));

            assertThat(result.valid()).isTrue();
            assertThat(result.problems()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"enforce", "off"})
        void bypassUsedIsAlwaysAWarning(String mode) {
            PolicyLoadResult result = load(HEAD + """
                    ruleModes:
                      bypass-used: "%s"
                    """.formatted(mode));

            assertThat(result.valid()).isTrue();
            assertThat(result.problems()).singleElement().satisfies(warning -> {
                assertThat(warning.severity()).isEqualTo(Severity.WARNING);
                assertThat(warning.fileLocation()).isEqualTo(PATH + ":10:3");
                assertThat(warning.message()).contains("bypass-used is always reported as a warning");
            });
            assertThat(result.policy().orElseThrow().modeOf(RuleIds.BYPASS_USED)).isEqualTo(RuleMode.WARN);
        }
    }

    @Nested
    class SchemaProblems {

        @Test
        void anUnknownFieldIsCaughtWhereItIs() {
            PolicyLoadResult result = load(HEAD.replace("branch: main", "brnch: main"));

            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).extracting(Violation::fileLocation, Violation::message).containsExactly(
                    tuple(PATH + ":6:5", "environments[1]: required property 'branch' is missing"),
                    tuple(PATH + ":7:5", "environments[1].brnch: property not allowed by the schema (allowed:"
                            + " branch, freezes, name, promotesFrom, protections, requiresApproval, requiresEvidence, upstreams)"));
        }

        @Test
        void anUnknownTopLevelField() {
            Violation problem = onlyError(HEAD + "modes: warn\n");

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:1");
            assertThat(problem.message()).startsWith("modes: property not allowed");
        }

        @Test
        void aMissingApiVersionIsReportedAtTheStart() {
            Violation problem = onlyError(HEAD.replace("apiVersion: stagegate/v1\n", ""));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":1:1");
            assertThat(problem.message()).contains("'apiVersion' is missing");
        }

        @Test
        void aWrongApiVersion() {
            Violation problem = onlyError(HEAD.replace("stagegate/v1", "stagegate/v2"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":1:1");
            assertThat(problem.message()).contains("apiVersion").contains("stagegate/v1").contains("stagegate/v2");
        }

        @Test
        void aWrongType() {
            Violation problem = onlyError(HEAD + """
                    promotion:
                      searchDepth: "200"
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:3");
            assertThat(problem.message()).isEqualTo("promotion.searchDepth: expected integer, found string");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 100_001})
        void aSearchDepthOutOfRange(int depth) {
            Violation problem = onlyError(HEAD + "promotion: {searchDepth: " + depth + "}\n");

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:13");
            assertThat(problem.message()).startsWith("promotion.searchDepth: must be at");
        }

        @Test
        void promotesFromMustBeANameOrAList() {
            Violation problem = onlyError(HEAD.replace("promotesFrom: development", "promotesFrom: 7"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":8:5");
            assertThat(problem.message()).startsWith("environments[1].promotesFrom:");
        }

        @Test
        void anEnvironmentNameOutsideThePattern() {
            Violation problem = onlyError(HEAD.replace("name: production", "name: Production"));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":6:5");
            assertThat(problem.message()).contains("'Production' does not match the pattern");
        }

        @Test
        void weeklyFreezeFieldsAreChecked() {
            PolicyLoadResult result = load(HEAD + """
                        freezes:
                          - name: friday
                            days: [FRX]
                            until: "25:00"
                    """);

            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).extracting(Violation::fileLocation)
                    .containsExactly(PATH + ":11:16", PATH + ":12:9");
        }

        @Test
        void anAbsoluteFreezeWithATypoGetsNoComplaintAboutDays() {
            PolicyLoadResult result = load(HEAD + """
                        freezes:
                          - name: year-end
                            from: tomorrow
                            untill: 2027-01-04T00:00:00Z
                    """);

            assertThat(result.problems()).extracting(Violation::fileLocation)
                    .containsExactly(PATH + ":10:9", PATH + ":11:9", PATH + ":12:9");
            assertThat(result.problems()).noneMatch(problem -> problem.message().contains("days"));
        }

        @Test
        void aRuleModeValueOutsideTheEnum() {
            Violation problem = onlyError(HEAD + """
                    ruleModes:
                      skipped-stage: sometimes
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:3");
            assertThat(problem.message()).startsWith("ruleModes.skipped-stage: ").contains("sometimes");
        }

        @Test
        void aDocumentThatIsNoMapping() {
            Violation problem = onlyError("- just\n- a list\n");

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":1:1");
            assertThat(problem.message()).contains("expected object, found array");
        }

        @Test
        void semanticChecksWaitForTheSchema() {
            PolicyLoadResult result = load(HEAD.replace("promotesFrom: development", "promotesFrom: nowhere")
                    + "mode: maybe\n");

            assertThat(result.problems()).singleElement()
                    .satisfies(problem -> assertThat(problem.fileLocation()).isEqualTo(PATH + ":9:1"));
        }
    }

    @Nested
    class YamlProblems {

        @Test
        void malformedYaml() {
            Violation problem = onlyError(HEAD + "bypass: {users: [a, b}\n");

            assertThat(problem.fileLocation()).startsWith(PATH + ":9:");
            assertThat(problem.message()).startsWith("cannot read the policy: not valid YAML");
        }

        @Test
        void aDuplicateKey() {
            Violation problem = onlyError(HEAD + """
                    mode: warn
                    mode: enforce
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:1");
            assertThat(problem.message()).contains("duplicate key 'mode' (first defined at line 9, column 1)");
        }

        @Test
        void anEmptyFile() {
            Violation problem = onlyError("# nothing here\n");

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":1:1");
            assertThat(problem.message()).startsWith("the policy file is empty");
        }

        @Test
        void twoDocuments() {
            Violation problem = onlyError(HEAD + "---\n" + HEAD);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:1");
            assertThat(problem.message()).startsWith("the policy file holds 2 YAML documents");
        }

        @Test
        void invalidUtf8() {
            PolicyLoadResult result = loader.load(new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28}, PATH);

            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).singleElement()
                    .satisfies(problem -> assertThat(problem.message()).contains("not valid UTF-8"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "~", "null", "42", "'text'", "[", "{", "*alias", "&a [*a]", "?", "%YAML 9.9",
                "environments: [{name: a, branch: a, promotesFrom: [a, a]}]", "\t-", "a: !!binary x"})
        void oddInputIsAProblemNeverAnException(String yaml) {
            PolicyLoadResult result = load(yaml);

            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem.rule()).isEqualTo(RuleIds.POLICY_INVALID);
                assertThat(problem.isError()).isTrue();
                assertThat(problem.file()).isEqualTo(PATH);
                assertThat(problem.line()).isPositive();
                assertThat(problem.column()).isPositive();
            });
        }
    }

    private PolicyLoadResult load(String yaml) {
        return loader.load(yaml.getBytes(StandardCharsets.UTF_8), PATH);
    }

    private Policy valid(String yaml) {
        PolicyLoadResult result = load(yaml);
        assertThat(result.problems()).isEmpty();
        return result.policy().orElseThrow();
    }

    /** The one problem of an invalid policy, which must be an error of rule policy-invalid. */
    /** approvals-signatures.md: what a schema cannot say about approvals, soak time and signatures. */
    @Nested
    class ApprovalsAndSignatures {

        private static final String GROUPS = """
                groups:
                  release-managers: [alice, bob]
                evidence:
                  writers: [ci-bot]
                """;

        @Test
        void theExampleOfTheContractLoads() {
            PolicyLoadResult result = load(HEAD + """
                        requiresEvidence:
                          - suite: deployed
                            environment: development
                            maxAge: 7d
                            minAge: 24h
                        requiresApproval:
                          count: 2
                          from: [release-managers, dana]
                          maxAge: 72h
                    groups:
                      release-managers: [alice, bob, carol]
                    identities:
                      alice: [alice@example.com]
                      dana: [dana@example.com]
                    evidence:
                      writers: [ci-bot]
                      signatures: required
                      allowedSigners: .stagegate/allowed_signers
                    """);

            assertThat(result.problems()).isEmpty();
            Policy policy = result.policy().orElseThrow();
            Environment production = policy.environment("production").orElseThrow();
            assertThat(production.requiresEvidence().get(0).minAge()).isEqualTo(Duration.ofHours(24));
            ApprovalRequirement approval = production.requiresApproval().orElseThrow();
            assertThat(approval.count()).isEqualTo(2);
            assertThat(approval.notAuthor()).isTrue();
            assertThat(approval.maxAge()).isEqualTo(Duration.ofHours(72));
            assertThat(policy.people().expand(approval.from())).containsExactly("alice", "bob", "carol", "dana");
            assertThat(policy.people().isEmailOf("alice", "ALICE@example.com")).isTrue();
            assertThat(policy.evidence().signatures()).isEqualTo(SignatureMode.REQUIRED);
            assertThat(policy.evidence().allowedSigners()).contains(".stagegate/allowed_signers");
        }

        @Test
        void moreApprovalsThanFromCanName() {
            Violation problem = onlyError(HEAD + """
                        requiresApproval:
                          count: 3
                          from: [release-managers]
                    """ + GROUPS);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:7");
            assertThat(problem.message()).contains("needs 3 distinct approvers, but from names only 2 (alice, bob)");
        }

        @Test
        void aMisspeltGroup() {
            Violation problem = onlyError(HEAD + """
                        requiresApproval:
                          count: 1
                          from: [release-manager]
                    """ + GROUPS);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":11:14");
            assertThat(problem.message()).contains("unknown group 'release-manager' (did you mean 'release-managers'?)");
        }

        @Test
        void anIdentityThatIdentitiesDoesNotList() {
            Violation problem = onlyError(HEAD + """
                        requiresApproval:
                          count: 1
                          from: [mallory]
                    identities:
                      alice: [alice@example.com]
                    """ + GROUPS);

            assertThat(problem.message()).contains("'mallory' is neither a group nor one of identities (alice)");
        }

        @Test
        void aGroupThatNamesAGroup() {
            Violation problem = onlyError(HEAD + """
                    groups:
                      release-managers: [alice, admins]
                      admins: [root]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:29");
            assertThat(problem.message()).contains("group 'release-managers' names the group 'admins'");
        }

        @Test
        void approvalOnAnEntryEnvironment() {
            Violation problem = onlyError(HEAD.replace("    branch: develop\n", """
                        branch: develop
                        requiresApproval:
                          count: 1
                          from: [alice]
                    """));

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":6:5");
            assertThat(problem.message()).contains("'development' is an entry environment");
        }

        @Test
        void signaturesWithoutAllowedSigners() {
            Violation problem = onlyError(HEAD + """
                    evidence:
                      signatures: optional
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":10:3");
            assertThat(problem.message()).contains("evidence.signatures is optional but no allowed-signers file");
        }

        @Test
        void aServerAllowedSignersFileIsEnough() {
            PolicyLoader server = new PolicyLoader(YamlLimits.DEFAULTS,
                    Optional.of(AllowedSigners.parse("", "server_allowed_signers")));

            PolicyLoadResult result = server.load((HEAD + "evidence:\n  signatures: required\n")
                    .getBytes(StandardCharsets.UTF_8), PATH);

            assertThat(result.errors()).isEmpty();
        }

        @Test
        void aMinAgeLongerThanMaxAge() {
            Violation problem = onlyError(HEAD + """
                        requiresEvidence:
                          - suite: deployed
                            maxAge: 1d
                            minAge: 2d
                    evidence:
                      writers: [ci-bot]
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:9");
            assertThat(problem.message()).contains("minAge 2d is longer than maxAge 1d");
        }

        @Test
        void anEnvironmentSpecificAllowedSignersFile() {
            Violation problem = onlyError(HEAD + """
                    environmentSpecificPaths: [".stagegate/keys/**"]
                    evidence:
                      signatures: required
                      allowedSigners: .stagegate/keys/allowed_signers
                    """);

            assertThat(problem.fileLocation()).isEqualTo(PATH + ":12:3");
            assertThat(problem.message()).contains("is matched by environmentSpecificPaths entry");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/etc/allowed_signers", "../allowed_signers", "keys/../../x"})
        void anAllowedSignersPathOutsideTheRepository(String path) {
            Violation problem = onlyError(HEAD + """
                    evidence:
                      signatures: required
                      allowedSigners: "%s"
                    """.formatted(path));

            assertThat(problem.message()).contains("is not a path inside the repository");
        }
    }

    private Violation onlyError(String yaml) {
        PolicyLoadResult result = load(yaml);
        assertThat(result.valid()).isFalse();
        assertThat(result.policy()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        Violation problem = result.problems().get(0);
        assertThat(problem.rule()).isEqualTo(RuleIds.POLICY_INVALID);
        assertThat(problem.severity()).isEqualTo(Severity.ERROR);
        return problem;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PolicyLoaderTest.class.getResourceAsStream("/policy/" + name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
