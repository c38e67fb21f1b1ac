package dev.stagegate.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardTextRendererTest {

    @TempDir
    Path dir;

    private final BoardTextRenderer renderer = new BoardTextRenderer();

    /** The details with every line that was wrapped at 120 columns joined again (path lists too). */
    private static String unwrapped(String text) {
        return text.replace("\n" + " ".repeat(21), " ");
    }

    @Test
    void theTableHasOneRowPerEnvironmentWithItsStateWaitingAndEvidence() {
        List<String> lines = renderer.render(BoardScenarios.driftedProduction(dir.resolve("s.git"))).lines().toList();

        int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith("ENVIRONMENT")).findFirst().orElseThrow());
        assertThat(lines.get(heading)).contains("BRANCH", "TIP", "STATE", "WAITING", "NEXT EVIDENCE")
                .as("no environment requires approvals").doesNotContain("APPROVALS");
        assertThat(lines.get(heading + 1)).startsWith("development").contains("entry");
        assertThat(lines.get(heading + 2)).startsWith("testing").contains("behind development", "1 commit ");
        assertThat(lines.get(heading + 3)).startsWith("staging").contains("in sync with testing");
        assertThat(lines.get(heading + 4)).startsWith("production").contains("main", "HOTFIX not in staging",
                "1 commit ", "BLOCKED: undoes a hotfix");
    }

    @Test
    void theDetailsNameThePathsOfTheHotfixWaitingContentAndWhatBlocksThePromotion() {
        String text = renderer.render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        String production = text.substring(text.indexOf("production (branch main, promotes from staging)  HOTFIX NOT"
                + " BACK-PORTED\n"));
        assertThat(production).contains(
                "  from staging       hotfix not back-ported: no commit in staging or further up the chain carries this"
                        + " content\n"
                        + "                     differs from staging's tip in 2 paths:\n"
                        + "                       apps/api/values.yaml\n"
                        + "                       apps/web/values.yaml\n",
                "  waiting            1 commit in staging not promoted here yet\n"
                        + "                     changing 1 path:\n"
                        + "                       apps/api/values.yaml\n",
                "  not back-ported    changed here and never back-ported to staging; make the same change on the entry"
                        + " branch and promote\n"
                        + "                     it up (docs/recipes.md, \"Hotfix\")\n"
                        + "                     in 1 path:\n"
                        + "                       apps/web/values.yaml\n",
                "  BLOCKED            it would undo the hotfix made here in 1 path (apps/web/values.yaml), which staging"
                        + " lacks; back-port\n"
                        + "                     the hotfix first: make the same change on development and promote it up"
                        + " through staging\n"
                        + "                     (docs/recipes.md, \"Hotfix\")\n",
                "  evidence           integration from staging: passed, recorded 2026-11-27T11:00:00Z by ci-bot",
                "  ready              no: it would undo a hotfix\n");
    }

    @Test
    void theOutputIsPlainAscii() {
        String text = renderer.render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(text).contains("Hotfix \\u00e9 <b>&\"quoted\"");
        assertThat(text.chars()).allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f);
    }

    @Test
    void aLongListOfPathsIsCut() {
        String text = renderer.render(BoardScenarios.manyPathsDrifted(dir.resolve("s.git"), PathList.LIMIT + 3));

        assertThat(text).contains("differs from staging's tip in 23 paths:", "apps/app19/values.yaml",
                "... and 3 more").doesNotContain("apps/app20/values.yaml");
    }

    @Test
    void aMissingBranchIsSaid() {
        String text = renderer.render(BoardScenarios.stagingMissing(dir.resolve("s.git")));

        assertThat(text).containsPattern("(?m)^staging +staging +- +branch missing")
                .contains("  tip                branch 'staging' does not exist\n",
                        "  from staging       branch 'staging' of staging does not exist\n");
    }

    @Test
    void theNextPromotionShowsApprovalsGivenAwaitedNotCountedAndSoakProgress() {
        String text = unwrapped(renderer.render(BoardScenarios.awaitingApprovals(dir.resolve("s.git"))));

        assertThat(text).containsPattern("(?m)^production +main +[0-9a-f]{12} +behind staging +1 commit"
                + " +1 of 2 +deployed: soaking, integration: pa\\.\\.\\.$");
        assertThat(text).containsPattern("  approvals          1 of 2 from release-managers, dana: alice at "
                + BoardScenarios.APPROVED_AT + "\n"
                + "  waiting for        1 more from release-managers \\(bob\\), dana\n"
                + "  not counted        carol: the author of promoted change [0-9a-f]{12}\n"
                + "  not counted        eve: not named by from \\(release-managers, dana\\)\n"
                + "  ready              no: deployed soaking until 2026-11-28T08:50:00Z; 1 more approval\n");
        assertThat(text).contains("  evidence           deployed from staging (soaked 1d): soaking: soaked 3h10m of 1d"
                + " in staging; ready at 2026-11-28T08:50:00Z if no failure is recorded before then\n");
    }

    @Test
    void aRejectionIsShownOnOneLineWhateverItsComment() {
        String text = unwrapped(renderer.render(BoardScenarios.rejected(dir.resolve("s.git"))));

        assertThat(text).containsPattern("(?m)^production .* REJECTED +integration: passed, deployed: passed$")
                .contains("  approvals          2 of 2 from release-managers, dana: alice at " + BoardScenarios.APPROVED_AT
                        + ", dana at " + BoardScenarios.APPROVED_AT + "\n"
                        + "  REJECTED           bob at " + BoardScenarios.APPROVED_AT + ": not before the freeze   ready"
                        + "  yes; blocks the promotion until bob records a newer approval\n"
                        + "  ready              no: rejected by bob\n")
                .contains("; soaked 2d of 1d in staging\n")
                .doesNotContainPattern("(?m)^  ready  yes")
                .doesNotContain("waiting for");
    }

    @Test
    void aPromotionWithItsEvidenceAndApprovalsIsReady() {
        String text = renderer.render(BoardScenarios.approvedAndSoaked(dir.resolve("s.git")));

        assertThat(text).containsPattern("(?m)^production .* 2 of 2 ")
                .contains("  ready              yes: its evidence and approvals would pass\n");
    }

    @Test
    void theTableFitsOneHundredAndTwentyColumnsAndTheDetailsKeepEverything() {
        String text = renderer.render(BoardScenarios.manySuites(dir.resolve("s.git"), 8));

        List<String> table = text.lines().dropWhile(line -> !line.startsWith("ENVIRONMENT"))
                .takeWhile(line -> !line.isEmpty()).toList();
        assertThat(table).hasSize(5).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
        assertThat(table.get(4)).startsWith("production").endsWith("...").contains("0 of 2");
        for (int i = 0; i < 8; i++) {
            assertThat(text).contains("  evidence           end-to-end-suite-number-" + i + " from staging: none: no record");
        }
    }

    /**
     * Issue 13's board of twelve environments with long names and 4 -> 3 fan-in: every line
     * fits 120 columns, the branch column (each branch is named as its environment) is left
     * out, and each state reads from the most urgent.
     */
    @Test
    void theFanInBoardFitsOneHundredAndTwentyColumnsAndReadsMostUrgentFirst() {
        String text = renderer.render(BoardScenarios.fanIn(dir.resolve("s.git")));

        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(120));
        List<String> table = text.lines().dropWhile(line -> !line.startsWith("ENVIRONMENT"))
                .takeWhile(line -> !line.isEmpty()).toList();
        assertThat(table).hasSize(13);
        assertThat(table.get(0)).doesNotContain("BRANCH", "APPROVALS");
        assertThat(table).anySatisfy(line -> assertThat(line).startsWith("test-us-west ").contains("behind qa"))
                .anySatisfy(line -> assertThat(line).startsWith("staging-eu-west ").contains("skipped test-us-west;"))
                .anySatisfy(line -> assertThat(line).startsWith("staging-us-east ").contains("behind 3 of 4;",
                        "1 commit from 3 upstreams", "BLOCKED: not in test-"))
                .anySatisfy(line -> assertThat(line).startsWith("prod-eu-west ").contains(
                        "HOTFIX not in staging-eu-west", "BLOCKED: undoes a ho"));
        assertThat(text).contains("staging-eu-west (branch staging-eu-west, promotes from test-eu-west, test-eu-central,"
                        + " test-us-east, test-us-west)\n    SKIPPED test-us-west\n",
                "  from test-eu-central\n                     in sync: carries the content of test-eu-central's tip\n",
                "  from test-us-west  skipped test-us-west: carries the content of qa's ",
                "  older tip          test-us-west's tip ");
    }

    @Test
    void theNextPromotionsCustomRulesAreCountedAndKeepItFromBeingReady() {
        String text = renderer.render(BoardScenarios.customRules(dir.resolve("s.git")));

        String production = text.substring(text.indexOf("production (branch main"));
        assertThat(production).contains(
                "  custom rules       fail: production-replicas (1); warn: three-replicas (2); of 2\n",
                "  ready              no: 1 custom rule fails\n");
        assertThat(text.lines().filter(line -> line.startsWith("production   "))).singleElement().asString()
                .contains("1 custom rule fails");
    }
}
