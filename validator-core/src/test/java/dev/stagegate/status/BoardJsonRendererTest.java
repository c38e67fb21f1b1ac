package dev.stagegate.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardJsonRendererTest {

    @TempDir
    Path dir;

    private static JsonNode render(EnvironmentBoard board) throws Exception {
        return new ObjectMapper().readTree(new BoardJsonRenderer().render(board));
    }

    private static JsonNode environment(JsonNode board, String name) {
        for (JsonNode environment : board.get("environments")) {
            if (environment.get("name").asText().equals(name)) {
                return environment;
            }
        }
        throw new AssertionError("no environment " + name + " in " + board);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @Test
    void theBoardHasStableTopLevelFieldsAndEnvironmentsInTopologicalOrder() throws Exception {
        JsonNode board = render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        List<String> names = new ArrayList<>();
        board.get("environments").forEach(environment -> names.add(environment.get("name").asText()));
        assertThat(names).containsExactly("development", "testing", "staging", "production");
        assertThat(board.get("policy").asText()).startsWith(".stagegate/policy.yaml at main");
        assertThat(board.get("branches").asText()).isEqualTo("refs/heads");
        assertThat(board.get("searchDepth").asInt()).isEqualTo(200);
        assertThat(board.get("generatedAt").asText()).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(board.get("notes").isArray()).isTrue();
    }

    @Test
    void aHotfixNotBackPortedCarriesItsPathsWaitingContentWhatBlocksItAndEvidence() throws Exception {
        JsonNode production = environment(render(BoardScenarios.driftedProduction(dir.resolve("s.git"))), "production");

        assertThat(production.get("notBackPorted").asBoolean()).isTrue();
        assertThat(production.get("skippedStage").asBoolean()).isFalse();
        assertThat(texts(production.get("skippedStages"))).isEmpty();
        assertThat(production.get("branch").asText()).isEqualTo("main");
        assertThat(texts(production.get("promotesFrom"))).containsExactly("staging");
        assertThat(production.get("upstreamMode").asText()).isEqualTo("all");
        assertThat(production.get("tip").get("subject").asText()).isEqualTo("Hotfix \u00e9 <b>&\"quoted\"");
        assertThat(production.get("content").asText()).hasSize(40);
        JsonNode staging = production.get("upstreams").get(0);
        assertThat(staging.get("environment").asText()).isEqualTo("staging");
        assertThat(staging.get("state").asText()).isEqualTo("not-back-ported");
        assertThat(staging.get("carries").isNull()).isTrue();
        assertThat(staging.get("foundIn").isNull()).isTrue();
        assertThat(texts(staging.get("skipped"))).isEmpty();
        assertThat(staging.get("tipAlreadyPassed").asBoolean()).isFalse();
        assertThat(staging.get("differingPaths").get("total").asInt()).isEqualTo(2);
        assertThat(texts(staging.get("differingPaths").get("paths")))
                .containsExactly("apps/api/values.yaml", "apps/web/values.yaml");
        assertThat(staging.get("waiting").get("commits").asInt()).isEqualTo(1);
        assertThat(staging.get("waiting").get("atLeast").asBoolean()).isFalse();
        assertThat(texts(staging.get("waiting").get("paths").get("paths"))).containsExactly("apps/api/values.yaml");
        assertThat(texts(staging.get("notBroughtBack").get("paths"))).containsExactly("apps/web/values.yaml");
        JsonNode next = production.get("nextInLine");
        assertThat(next.get("from").asText()).isEqualTo("staging");
        assertThat(next.get("alreadyHere").asBoolean()).isFalse();
        assertThat(next.get("evidenceSatisfied").asBoolean()).isTrue();
        assertThat(next.get("approvalsSatisfied").asBoolean()).isTrue();
        assertThat(next.get("blocked").get("reason").asText()).isEqualTo("undoes-hotfix");
        assertThat(texts(next.get("blocked").get("environments"))).containsExactly("development");
        assertThat(texts(next.get("blocked").get("paths").get("paths"))).containsExactly("apps/web/values.yaml");
        assertThat(next.get("ready").asBoolean()).isFalse();
        assertThat(next.get("approvals").isNull()).as("production requires no approval here").isTrue();
        JsonNode integration = next.get("evidence").get(0);
        assertThat(integration.get("suite").asText()).isEqualTo("integration");
        assertThat(integration.get("environment").asText()).isEqualTo("staging");
        assertThat(integration.get("maxAgeSeconds").isNull()).isTrue();
        assertThat(integration.get("minAgeSeconds").isNull()).isTrue();
        assertThat(integration.get("readyAt").isNull()).isTrue();
        assertThat(integration.get("finding").asText()).isEqualTo("passed");
        assertThat(integration.get("testedCommit").asText()).isEqualTo(next.get("commit").get("id").asText());
        assertThat(integration.get("decisive").get("result").asText()).isEqualTo("passed");
        assertThat(integration.get("decisive").get("recordedAt").asText()).isEqualTo("2026-11-27T11:00:00Z");
        assertThat(integration.get("decisive").get("producer").asText()).isEqualTo("ci-bot");
    }

    @Test
    void aMissingBranchHasNullsWhereThereIsNothing() throws Exception {
        JsonNode board = render(BoardScenarios.stagingMissing(dir.resolve("s.git")));

        JsonNode staging = environment(board, "staging");
        assertThat(staging.get("branchMissing").asBoolean()).isTrue();
        assertThat(staging.get("tip").isNull()).isTrue();
        assertThat(staging.get("content").isNull()).isTrue();
        assertThat(staging.get("upstreams").size()).isZero();
        JsonNode production = environment(board, "production");
        assertThat(production.get("upstreams").get(0).get("state").asText()).isEqualTo("upstream-missing");
        assertThat(production.get("nextInLine").isNull()).isTrue();
        assertThat(environment(board, "development").get("nextInLine").isNull()).isTrue();
    }

    @Test
    void theApprovalsObjectListsCountedNotCountedAndAwaitedAndTheSoakItsProgress() throws Exception {
        JsonNode next = environment(render(BoardScenarios.awaitingApprovals(dir.resolve("s.git"))), "production")
                .get("nextInLine");

        assertThat(next.get("ready").asBoolean()).isFalse();
        assertThat(next.get("evidenceSatisfied").asBoolean()).isFalse();
        assertThat(next.get("approvalsSatisfied").asBoolean()).isFalse();
        JsonNode deployed = next.get("evidence").get(1);
        assertThat(deployed.get("suite").asText()).isEqualTo("deployed");
        assertThat(deployed.get("finding").asText()).isEqualTo("soaking");
        assertThat(deployed.get("minAgeSeconds").asLong()).isEqualTo(86_400);
        assertThat(deployed.get("passingSince").asText()).isEqualTo(BoardScenarios.DEPLOYED_AT.toString());
        assertThat(deployed.get("readyAt").asText()).isEqualTo("2026-11-28T08:50:00Z");
        JsonNode approvals = next.get("approvals");
        assertThat(approvals.get("required").asInt()).isEqualTo(2);
        assertThat(texts(approvals.get("from"))).containsExactly("release-managers", "dana");
        assertThat(approvals.get("satisfied").asBoolean()).isFalse();
        assertThat(approvals.get("approvableCommit").asText()).isEqualTo(next.get("commit").get("id").asText());
        assertThat(approvals.get("counted")).singleElement().satisfies(alice -> {
            assertThat(alice.get("approver").asText()).isEqualTo("alice");
            assertThat(alice.get("recordedAt").asText()).isEqualTo(BoardScenarios.APPROVED_AT.toString());
        });
        List<String> notCounted = new ArrayList<>();
        approvals.get("notCounted").forEach(n -> notCounted.add(n.get("approver").asText() + ": "
                + n.get("reason").asText()));
        assertThat(notCounted).hasSize(2).contains("eve: not named by from (release-managers, dana)")
                .anyMatch(n -> n.matches("carol: the author of promoted change [0-9a-f]{12}"));
        assertThat(approvals.get("rejected").size()).isZero();
        assertThat(texts(approvals.get("waitingFor"))).containsExactly("bob", "dana");
    }

    @Test
    void aRejectionKeepsItsCommentExactly() throws Exception {
        JsonNode next = environment(render(BoardScenarios.rejected(dir.resolve("s.git"))), "production")
                .get("nextInLine");

        JsonNode approvals = next.get("approvals");
        assertThat(approvals.get("satisfied").asBoolean()).isFalse();
        assertThat(approvals.get("counted").size()).isEqualTo(2);
        assertThat(approvals.get("rejected")).singleElement().satisfies(bob -> {
            assertThat(bob.get("approver").asText()).isEqualTo("bob");
            assertThat(bob.get("recordedAt").asText()).isEqualTo(BoardScenarios.APPROVED_AT.toString());
            assertThat(bob.get("comment").asText()).isEqualTo("not before the freeze\n  ready  yes");
        });
        assertThat(next.get("evidence").get(1).get("finding").asText()).isEqualTo("passed");
        assertThat(next.get("ready").asBoolean()).isFalse();
    }

    @Test
    void aSkippedStageNamesWhereTheContentWasFoundAndTheStagesItSkipped() throws Exception {
        JsonNode board = render(BoardScenarios.fanIn(dir.resolve("s.git")));

        JsonNode staging = environment(board, "staging-eu-west");
        assertThat(staging.get("skippedStage").asBoolean()).isTrue();
        assertThat(staging.get("notBackPorted").asBoolean()).isFalse();
        assertThat(texts(staging.get("skippedStages"))).containsExactly("test-us-west");
        JsonNode usWest = staging.get("upstreams").get(3);
        assertThat(usWest.get("state").asText()).isEqualTo("skipped-stage");
        assertThat(usWest.get("foundIn").get("environment").asText()).isEqualTo("qa");
        assertThat(usWest.get("foundIn").get("commit").get("id").asText()).hasSize(40);
        assertThat(texts(usWest.get("skipped"))).containsExactly("test-us-west");
        assertThat(usWest.get("tipAlreadyPassed").asBoolean()).isTrue();
        assertThat(staging.get("nextInLine").get("from").asText()).isEqualTo("test-eu-west");
        JsonNode blocked = environment(board, "staging-us-east").get("nextInLine").get("blocked");
        assertThat(blocked.get("reason").asText()).isEqualTo("not-in-every-upstream");
        assertThat(texts(blocked.get("environments"))).containsExactly("test-us-west");
        assertThat(environment(board, "prod-eu-central").get("nextInLine").get("blocked").isNull()).isTrue();
    }

    @Test
    void theNextPromotionsCustomRuleCountsArePerRuleAndMode() throws Exception {
        JsonNode board = render(BoardScenarios.customRules(dir.resolve("s.git")));

        JsonNode next = environment(board, "production").get("nextInLine");
        assertThat(next.get("customRulesSatisfied").asBoolean()).isFalse();
        assertThat(next.get("ready").asBoolean()).isFalse();
        assertThat(next.get("customRules").get("judged").asInt()).isEqualTo(2);
        assertThat(next.get("customRules").get("errors").get("production-replicas").asInt()).isEqualTo(1);
        assertThat(next.get("customRules").get("warnings").get("three-replicas").asInt()).isEqualTo(2);
        assertThat(environment(board, "testing").get("nextInLine").get("customRules").isNull()).isTrue();
    }
}
