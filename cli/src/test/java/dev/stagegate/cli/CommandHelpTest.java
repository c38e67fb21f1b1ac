package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each command's {@code --help} states the exit statuses that command has, in its own words. */
class CommandHelpTest {

    private static final String GENERIC = "each command's --help says what they mean for it";

    private final InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting());

    /** The usage text as one line: picocli wraps it at 80 columns. */
    private String help(String command) {
        InProcessStagegate.Run run = stagegate.run((command + " --help").strip().split(" "));
        assertThat(run.status()).isZero();
        return run.stdout().replaceAll("\\s+", " ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "validate        | Exit status: 0 valid (warnings may have been printed), 1 a file breaks its schema or a custom rule, 2 usage error",
        "check-promotion | Exit status: 0 the promotion would be accepted (warnings may have been printed), 1 it would be rejected",
        "pre-receive     | Exit status: 0 accepted (warnings may have been printed), 1 a rule rejects an update",
        "hook install    | Exit status: 0 installed or already up to date (warnings may have been printed), 2 usage error",
        "hook serve      | Exit status: 0 the server stopped, or another one already serves the directory",
        "evidence record | Exit status: 0 recorded (and with --push, accepted by the remote), 1 refused",
        "evidence list   | Exit status: 0 listed (invalid records are listed too, marked INVALID), 2 usage error",
        "approve         | Exit status: 0 recorded (and with --push, accepted by the remote), 1 refused",
        "status          | Exit status: 0 the board was drawn",
        "policy test     | Exit status: 0 every case passed, 1 a case failed, 2 usage error",
        "rules eval      | Exit status: 0 every rule that applies holds, 1 a rule fails or errs, 2 usage error",
        "demo            | Exit status: 0 every verdict was the expected one, 1 a verdict differed from the expected one",
    })
    void eachCommandStatesItsOwnExitStatuses(String command, String exitStatuses) {
        String help = help(command);

        assertThat(help).contains(exitStatuses).doesNotContain(GENERIC);
        assertThat(help.split("Exit status:", -1)).as("one exit status paragraph").hasSize(2);
    }

    @ParameterizedTest
    @CsvSource({"hook", "evidence", "policy", "rules"})
    void aGroupOfCommandsPointsToItsCommands(String group) {
        assertThat(help(group)).contains("Exit status: see the --help of each command.").doesNotContain(GENERIC);
    }

    @Test
    void theTopLevelStatesTheStatusesEveryCommandShares() {
        assertThat(help("")).contains("Exit status: 0 accepted, 1 rejected, 2 usage error or the policy cannot be"
                + " loaded, 3 the repository cannot be judged; " + GENERIC);
    }

    /** Every format evidence record offers renders what it recorded; none is silently ignored. */
    @Test
    void evidenceRecordOffersTheReportFormats() {
        assertThat(help("evidence record")).contains("--format=FORMAT Output format: text, json, sarif, junit, github");
    }

    @Test
    void policyTestSaysABareRepositoryIsReadFromHead() {
        assertThat(help("policy test")).contains("In a bare repository the policy, the tests and the files cases copy"
                + " are read from HEAD's tree.");
    }
}
