package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledExpressionFilesTest {

    @TempDir
    Path directory;

    @AfterEach
    void keepNothingForOtherTests() {
        CompiledExpressionFiles.keepNowhere();
    }

    @Test
    void aCompilationIsWrittenAndReadBackWithItsCostAndShape() {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        FastPathShape shape = shapeOf("object.replicas >= 2");

        files.write("object.replicas >= 2", ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(7, shape));

        assertThat(files.read("object.replicas >= 2", ResultType.BOOL, RuleLimits.DEFAULT))
                .contains(new CompiledExpressionFiles.Entry(7, shape));
    }

    @Test
    void anExpressionWithoutAShapeIsKeptWithItsCostOnly() {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");

        files.write("object.a.lowerAscii() == 'x'", ResultType.BOOL, RuleLimits.DEFAULT,
                new CompiledExpressionFiles.Entry(4, null));

        assertThat(files.read("object.a.lowerAscii() == 'x'", ResultType.BOOL, RuleLimits.DEFAULT))
                .contains(new CompiledExpressionFiles.Entry(4, null));
    }

    @Test
    void anotherBuildTypeLimitOrTextFindsNothing() {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        files.write("true", ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(1, shapeOf("true")));

        assertThat(new CompiledExpressionFiles(directory, "build 2").read("true", ResultType.BOOL, RuleLimits.DEFAULT))
                .isEmpty();
        assertThat(files.read("true", ResultType.STRING, RuleLimits.DEFAULT)).isEmpty();
        assertThat(files.read("true", ResultType.BOOL, new RuleLimits(10, 100, 2_000, 1_000, 1_000, 1_000, 10)))
                .isEmpty();
        assertThat(files.read("true ", ResultType.BOOL, RuleLimits.DEFAULT)).isEmpty();
    }

    @Test
    void textsWithLineBreaksAndBackslashesStayOnTheirLines() {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        String text = "object.a == 'x\\\\n' ||\n object.b == \"\\r\\n\"";
        FastPathShape shape = shapeOf(text);

        files.write(text, ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(9, shape));

        assertThat(files.read(text, ResultType.BOOL, RuleLimits.DEFAULT))
                .contains(new CompiledExpressionFiles.Entry(9, shape));
        assertThat(files.read(text.replace("\n", "\\n"), ResultType.BOOL, RuleLimits.DEFAULT)).isEmpty();
    }

    @Test
    void aDamagedFileIsIgnored() throws Exception {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        files.write("true", ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(1, shapeOf("true")));
        Path file = onlyFile();

        for (String damage : List.of("", "garbage", Files.readString(file).replace("\nt\n", "\nq\n"),
                Files.readString(file).replace("\n1\n", "\none\n"), Files.readString(file) + "extra\n")) {
            Files.writeString(file, damage);
            assertThat(files.read("true", ResultType.BOOL, RuleLimits.DEFAULT)).as(damage).isEmpty();
        }
    }

    @Test
    void theDirectoryStaysBoundedWhateverExpressionsArePushed() throws Exception {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        FastPathShape shape = shapeOf("true");

        int written = 2 * CompiledExpressionFiles.MAX_FILES + 10;
        for (int i = 0; i < written; i++) {
            files.write("object.n == " + i, ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(i, shape));
        }

        try (Stream<Path> all = Files.list(directory)) {
            assertThat(all.count()).isLessThanOrEqualTo(CompiledExpressionFiles.MAX_FILES);
        }
        assertThat(files.read("object.n == " + (written - 1), ResultType.BOOL, RuleLimits.DEFAULT))
                .contains(new CompiledExpressionFiles.Entry(written - 1, shape));
    }

    @Test
    void everyExpressionOfALargePolicyKeepsItsOwnFile() {
        CompiledExpressionFiles files = new CompiledExpressionFiles(directory, "build 1");
        FastPathShape shape = shapeOf("true");
        for (int i = 0; i < 200; i++) {
            files.write("object.n == " + i, ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(i, shape));
        }

        for (int i = 0; i < 200; i++) {
            assertThat(files.read("object.n == " + i, ResultType.BOOL, RuleLimits.DEFAULT)).as("expression %d", i)
                    .contains(new CompiledExpressionFiles.Entry(i, shape));
        }
    }

    @Test
    void anUnwritableDirectoryOnlyLosesTheSpeedUp() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        CompiledExpressionFiles files = new CompiledExpressionFiles(notADirectory.resolve("compiled"), "build 1");

        files.write("true", ResultType.BOOL, RuleLimits.DEFAULT, new CompiledExpressionFiles.Entry(1, shapeOf("true")));

        assertThat(files.read("true", ResultType.BOOL, RuleLimits.DEFAULT)).isEmpty();
    }

    @Test
    void compileKeepsWhatItCompiledAndTrustsWhatItFinds() throws Exception {
        CompiledExpressionFiles.keepIn(directory, "build 1");
        String text = "object.replicas >= 41 && path != 'compileKeepsWhatItCompiled'";

        RuleExpression compiled = RuleExpression.compile(text, ResultType.BOOL).expression();

        assertThat(onlyFile()).content().contains(text);
        assertThat(new CompiledExpressionFiles(directory, "build 1").read(text, ResultType.BOOL, RuleLimits.DEFAULT))
                .contains(new CompiledExpressionFiles.Entry(compiled.estimatedCost(),
                        FastPathShape.of(compiled.checkedForTests().getExpr())));

        // a file is taken at its word: one that gives another shape for a text is obeyed, which is
        // why the directory is as trusted as the hook itself (docs/security.md)
        String other = "object.replicas >= 2 && path != 'trustsWhatItFinds'";
        new CompiledExpressionFiles(directory, "build 1").write(other, ResultType.BOOL, RuleLimits.DEFAULT,
                new CompiledExpressionFiles.Entry(3, shapeOf("false")));
        RuleVariables variables = RuleVariables.of(RuleEvaluationTest.document("replicas: 3\n"), null, "p", "e", "b");

        assertThat(RuleEvaluation.evaluate(RuleExpression.compile(other, ResultType.BOOL).expression(), variables)
                .holds()).isFalse();
        assertThat(RuleEvaluation.evaluate(RuleExpression.compile(text, ResultType.BOOL).expression(), variables)
                .holds()).isFalse();
    }

    @Test
    void anExpressionReadFromAFileStillRunsInCelJavaWhenTheFastPathHandsOver() throws Exception {
        CompiledExpressionFiles.keepIn(directory, "build 1");
        String text = "object.replicas >= 2 && path != 'stillRunsInCelJava'";
        new CompiledExpressionFiles(directory, "build 1").write(text, ResultType.BOOL, RuleLimits.DEFAULT,
                new CompiledExpressionFiles.Entry(5, shapeOf(text)));
        RuleExpression expression = RuleExpression.compile(text, ResultType.BOOL).expression();

        RuleEvaluation.Result result = RuleEvaluation.evaluate(expression,
                RuleVariables.of(RuleEvaluationTest.document("other: 1\n"), null, "p", "e", "b"));

        assertThat(result.error()).isEqualTo("no such key: replicas");
    }

    private Path onlyFile() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static FastPathShape shapeOf(String text) {
        return FastPathShape.of(RuleExpression.compile(text, ResultType.BOOL).expression().checkedForTests().getExpr());
    }
}
