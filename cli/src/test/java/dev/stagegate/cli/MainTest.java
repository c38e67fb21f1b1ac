package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    private final InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting());

    @ParameterizedTest
    @ValueSource(strings = {"", "validate", "check-promotion", "pre-receive", "hook", "hook install"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").strip().split(" ");

        InProcessStagegate.Run run = stagegate.run(args);

        assertThat(run.status()).isZero();
        assertThat(run.stdout()).startsWith("Usage: stagegate " + command);
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void versionFallsBackToDevOutsideTheJar() {
        InProcessStagegate.Run run = stagegate.run("--version");

        assertThat(run.status()).isZero();
        assertThat(run.stdout()).isEqualTo("stagegate dev" + System.lineSeparator());
    }

    @Test
    void aMissingCommandIsAUsageError() {
        InProcessStagegate.Run run = stagegate.run();

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("stagegate: Missing required subcommand; commands: validate, "
                + "check-promotion, pre-receive, hook, evidence, approve, demo, status, policy")
                .endsWith("Try 'stagegate --help'." + System.lineSeparator());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        InProcessStagegate.Run run = stagegate.run("validate", "--no-such-option");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("stagegate validate: Unknown option: '--no-such-option'"
                + System.lineSeparator() + "Try 'stagegate validate --help'." + System.lineSeparator());
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aMisspeltOptionIsAUsageErrorThatSaysWhichOneWasMeant() {
        InProcessStagegate.Run run = stagegate.run("check-promotion", "--target", "main", "--sorce", "HEAD");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("stagegate check-promotion: Unknown options: '--sorce', 'HEAD'")
                .contains("(did you mean '--source'?)");
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatListsTheCommands() {
        InProcessStagegate.Run run = stagegate.run("evidence", "show");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("stagegate evidence: Unmatched argument at index 1: 'show'; commands: "
                + "record, list" + System.lineSeparator() + "Try 'stagegate evidence --help'." + System.lineSeparator());
    }

    @Test
    void anUnknownFormatIsAUsageErrorThatListsTheFormats() {
        InProcessStagegate.Run run = stagegate.run("validate", "--format", "xml");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("Invalid value for option '--format': unknown report format 'xml'; expected one of text, json, sarif, junit, github");
    }

    @Test
    void checkPromotionNeedsATarget() {
        InProcessStagegate.Run run = stagegate.run("check-promotion");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("Missing required option: '--target=ENV_OR_BRANCH'");
    }

    @Test
    void aClockThatIsNotAnInstantIsAUsageError() {
        InProcessStagegate.Run run = stagegate.env("STAGEGATE_NOW", "tomorrow").run("validate");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("stagegate validate: STAGEGATE_NOW must be an ISO-8601 instant such as "
                + "2026-11-27T10:00:00Z, not 'tomorrow'" + System.lineSeparator()
                + "Try 'stagegate validate --help'." + System.lineSeparator());
    }

    @Test
    void anEngineFailureIsOneLineAndCannotJudge() {
        InProcessStagegate engineFailing =
                new InProcessStagegate(ScriptedEngine.throwing(new IllegalStateException("index corrupt\nat pack 3")));

        InProcessStagegate.Run run = engineFailing.run("validate");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEqualTo("stagegate validate: cannot judge the repository: index corrupt at pack 3 "
                + "(--debug prints the stack trace)" + System.lineSeparator());
    }

    @Test
    void debugPrintsTheStackTrace() {
        InProcessStagegate engineFailing =
                new InProcessStagegate(ScriptedEngine.throwing(new IllegalStateException("index corrupt")));

        InProcessStagegate.Run run = engineFailing.run("check-promotion", "--target", "main", "--debug");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.stderr())
                .startsWith("stagegate check-promotion: cannot judge the repository: index corrupt")
                .contains("java.lang.IllegalStateException: index corrupt")
                .contains("\tat dev.stagegate.cli.");
    }
}
