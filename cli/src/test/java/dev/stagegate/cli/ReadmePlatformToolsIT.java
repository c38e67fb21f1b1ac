package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines of the README's "Platform tools" section, read from the README itself and
 * run one after the other through the {@code ./stagegate} script, as a user on a fresh clone
 * would. Two things differ, so that the test leaves nothing behind: the working directory is
 * a temporary one that holds {@code examples} as a link to the project's, and the demo's
 * {@code /tmp/stagegate-demo} is a temporary directory of its own.
 */
@Tag("end-to-end")
class ReadmePlatformToolsIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();
    private static final String DEMO_DIRECTORY = "/tmp/stagegate-demo";

    @TempDir
    Path root;

    @Test
    void everyCommandOfThePlatformToolsSectionRunsAsWritten() throws IOException {
        List<List<String>> commands = platformToolsCommands();
        assertThat(commands).extracting(command -> command.get(1)).containsExactly("demo", "status", "policy");
        Path demo = root.resolve("stagegate-demo");
        Path here = Files.createDirectories(root.resolve("here"));
        Files.createSymbolicLink(here.resolve("examples"), PROJECT.resolve("examples"));
        GitCli git = GitCli.inHome(Files.createDirectories(root.resolve("home")));
        Map<String, String> environment = Map.of("STAGEGATE_JAR", ServerRepository.stagegateJar().toString(),
                "STAGEGATE_CDS", "off");

        List<ProgramResult> results = new ArrayList<>();
        for (List<String> command : commands) {
            List<String> line = new ArrayList<>(List.of("sh", PROJECT.resolve("stagegate").toString()));
            command.subList(1, command.size()).stream()
                    .map(word -> word.replace(DEMO_DIRECTORY, demo.toString())).forEach(line::add);
            ProgramResult result = git.program(here, environment, line);
            assertThat(result.exitCode()).as("%s\n%s", command, result).isZero();
            results.add(result);
        }

        assertThat(results.get(0).output()).contains("The demo repositories are in " + demo);
        assertThat(results.get(1).output()).startsWith("stagegate status: 4 environments under .stagegate/policy.yaml")
                .containsPattern("(?m)^production +main +[0-9a-f]{12} +in sync with staging");
        assertThat(here.resolve("board.html")).content().contains("<svg", "data-environment=\"production\"");
        assertThat(results.get(2).output()).containsPattern("policy test: \\d+ passed, 0 failed");
    }

    /** The words of each command line in the first {@code sh} block after "## Platform tools", comments cut. */
    private static List<List<String>> platformToolsCommands() throws IOException {
        List<String> readme = Files.readAllLines(PROJECT.resolve("README.md"));
        int section = readme.indexOf("## Platform tools");
        assertThat(section).as("README.md has a Platform tools section").isNotNegative();
        int start = readme.subList(section, readme.size()).indexOf("```sh") + section + 1;
        List<List<String>> commands = new ArrayList<>();
        for (String line : readme.subList(start, readme.size())) {
            if (line.startsWith("```")) {
                break;
            }
            String command = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            if (!command.isBlank()) {
                List<String> words = Arrays.asList(command.strip().split("\\s+"));
                assertThat(words.get(0)).as(line).isEqualTo("./stagegate");
                commands.add(words);
            }
        }
        return commands;
    }
}
