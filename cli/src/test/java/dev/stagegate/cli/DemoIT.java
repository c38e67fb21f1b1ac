package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo runs end to end from the built jar and every verdict is as narrated. */
@Tag("end-to-end")
class DemoIT {

    @TempDir
    Path root;

    @Test
    void theDemoNarratesEveryVerdictAsExpected() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        Workspace here = new Workspace(git, root);

        ProgramResult demo = here.stagegate(Map.of(), "demo", "--dir", root.resolve("demo").toString());

        assertThat(demo.exitCode()).as("%s", demo).isZero();
        assertThat(demo.output())
                .contains("error [skipped-stage]", "not yet in testing, staging")
                .contains("error [schema-violation] apps/shop/values.yaml:2:1")
                .contains("error [missing-evidence]")
                .containsPattern("error \\[missing-approval\\] refs/heads/main \\(production\\) [0-9a-f]{12}: production needs 2"
                        + " approvals from release-managers; 1 counts \\(alice\\); not counted: dana \\(the author of"
                        + " promoted change [0-9a-f]{12}\\)")
                .contains("\"approver\":\"bob\"")
                .contains("Every verdict was the expected one.");
    }
}
