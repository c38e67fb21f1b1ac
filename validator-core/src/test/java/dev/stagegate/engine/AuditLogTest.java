package dev.stagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path directory;

    @Test
    void appendsOneLinePerEntryAndNeverTruncates() throws Exception {
        Path file = Files.writeString(directory.resolve("audit.log"), "{\"earlier\":true}\n");

        new AuditLog(file).append(entry("INC-1"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2).first().isEqualTo("{\"earlier\":true}");
        assertThat(lines.get(1)).startsWith("{\"time\":\"2026-12-06T20:00:00Z\",\"user\":\"release-manager\"")
                .contains("\"reason\":\"INC-1\"").contains("\"rule\":\"skipped-stage\"");
    }

    /**
     * A resident server judges pushes on several threads of one JVM, where a second file lock
     * on the same file is an OverlappingFileLockException, not a wait: every bypass must land.
     */
    @Test
    void concurrentAppendsInOneJvmAllLand() throws Exception {
        Path file = directory.resolve("audit.log");
        int writers = 8;
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Void>> appends = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String reason = "INC-" + i;
                Callable<Void> append = () -> {
                    together.await();
                    for (int round = 0; round < 20; round++) {
                        new AuditLog(file).append(entry(reason));
                    }
                    return null;
                };
                appends.add(threads.submit(append));
            }
            for (Future<Void> append : appends) {
                append.get();
            }
        } finally {
            threads.shutdownNow();
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(writers * 20).allMatch(line -> line.startsWith("{\"time\"") && line.endsWith("}"));
    }

    private static AuditLog.Entry entry(String reason) {
        return new AuditLog.Entry(Instant.parse("2026-12-06T20:00:00Z"), "release-manager", "refs/heads/main",
                "1".repeat(40), "2".repeat(40), reason,
                List.of(Violation.error("skipped-stage", "promote through staging first")));
    }
}
