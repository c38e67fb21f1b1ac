package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./stagegate} at the repository root: it builds a class-data-sharing
 * archive next to the jar on its first run, uses it afterwards, rebuilds it for a new jar, and
 * whatever the archive's state, prints exactly what {@code java -jar stagegate.jar} prints.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("stagegate");
    private static final String BUILDING = "stagegate: building the class-data-sharing archive ";
    /** What {@code validate} prints for examples/gitops-repo: the files each schema mapping matched, then the summary. */
    private static final String EXAMPLE_ACCEPTED = """
            schemas[0] apps/**/values.yaml -> schemas/app-values.schema.json: 2 files
            schemas[1] env/values.yaml -> schemas/env-values.schema.json: 1 file
            stagegate: accepted (0 errors, 0 warnings)
            """;

    @TempDir
    Path directory;

    private Path jar;
    private Path archive;

    @BeforeEach
    void copyTheJar() throws IOException {
        jar = Files.copy(ServerRepository.stagegateJar(), directory.resolve("stagegate.jar"));
        archive = directory.resolve("stagegate.jsa");
    }

    @Test
    void buildsTheArchiveOnceAndPrintsWhatTheJarPrints() throws Exception {
        Result plain = run(List.of(java().toString(), "-jar", jar.toString()), Map.of(), "validate", "--repo",
                ROOT.resolve("examples/broken-values").toString());
        assertThat(plain.status()).isEqualTo(1);

        Result first = launch(Map.of(), "validate", "--repo", ROOT.resolve("examples/broken-values").toString());
        assertThat(first.stderr()).startsWith(BUILDING + archive);
        assertThat(archive).isNotEmptyFile();
        assertThat(directory.resolve("stagegate.jsa.id")).isNotEmptyFile();
        assertThat(first.stdout()).isEqualTo(plain.stdout());
        assertThat(first.status()).isEqualTo(1);

        Result second = launch(Map.of(), "validate", "--repo", ROOT.resolve("examples/broken-values").toString());
        assertThat(second).isEqualTo(plain);
    }

    @Test
    void rebuildsTheArchiveForANewJar() throws Exception {
        launch(Map.of(), "--version");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

        Result again = launch(Map.of(), "validate", "--repo", ROOT.resolve("examples/gitops-repo").toString());

        assertThat(again.stderr()).startsWith(BUILDING);
        assertThat(again.stdout()).isEqualTo(EXAMPLE_ACCEPTED);
        assertThat(again.status()).isZero();
    }

    @Test
    void staysSilentWithAnArchiveThatIsNoLongerUsable() throws Exception {
        launch(Map.of(), "--version");
        archive.toFile().setWritable(true);
        Files.writeString(archive, "not an archive");

        Result result = launch(Map.of(), "validate", "--repo", ROOT.resolve("examples/gitops-repo").toString());

        assertThat(result).isEqualTo(new Result(0, EXAMPLE_ACCEPTED, ""));
    }

    @Test
    void runsWithoutAnArchiveWhenToldTo() throws Exception {
        Result result = launch(Map.of("STAGEGATE_CDS", "off"), "validate", "--repo",
                ROOT.resolve("examples/gitops-repo").toString());

        assertThat(result).isEqualTo(new Result(0, EXAMPLE_ACCEPTED, ""));
        assertThat(archive).doesNotExist();
    }

    private Result launch(Map<String, String> environment, String... args) throws Exception {
        Map<String, String> withJar = new java.util.HashMap<>(environment);
        withJar.put("STAGEGATE_JAR", jar.toString());
        return run(List.of(LAUNCHER.toString()), withJar, args);
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private Result run(List<String> program, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(directory, "out", ".txt");
        Path err = Files.createTempFile(directory, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("STAGEGATE_JAR");
        builder.environment().remove("STAGEGATE_CDS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int status, String stdout, String stderr) {
    }
}
