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

    @Test
    void theTableHasOneRowPerEnvironmentWithItsStateWaitingAndEvidence() {
        List<String> lines = renderer.render(BoardScenarios.driftedProduction(dir.resolve("s.git"))).lines().toList();

        int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith("ENVIRONMENT")).findFirst().orElseThrow());
        assertThat(lines.get(heading)).contains("BRANCH", "TIP", "STATE", "WAITING", "NEXT EVIDENCE");
        assertThat(lines.get(heading + 1)).startsWith("development").contains("entry");
        assertThat(lines.get(heading + 2)).startsWith("testing").contains("behind development",
                "1 commit from development");
        assertThat(lines.get(heading + 3)).startsWith("staging").contains("in sync with testing");
        assertThat(lines.get(heading + 4)).startsWith("production").contains("main", "DRIFTED from staging",
                "1 commit from staging", "integration: passed");
    }

    @Test
    void theDetailsNameThePathsOfDriftWaitingContentAndHotfixes() {
        String text = renderer.render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        String production = text.substring(text.indexOf("production (branch main, promotes from staging)  DRIFTED"));
        assertThat(production).contains(
                "  from staging       drifted: no commit in staging carries this content\n"
                        + "                     differs from staging's tip in 2 paths:\n"
                        + "                       apps/api/values.yaml\n"
                        + "                       apps/web/values.yaml\n",
                "  waiting            1 commit in staging not promoted here yet\n"
                        + "                     changing 1 path:\n"
                        + "                       apps/api/values.yaml\n",
                "  not upstream       changed here and never brought back to staging\n"
                        + "                     in 1 path:\n"
                        + "                       apps/web/values.yaml\n",
                "  evidence           integration from staging: passed, recorded 2026-11-27T11:00:00Z by ci-bot");
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
}
