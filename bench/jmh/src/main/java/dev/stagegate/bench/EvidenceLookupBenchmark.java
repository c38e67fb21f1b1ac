package dev.stagegate.bench;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.EvidenceStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Evidence lookup ({@link EvidenceStore#records}) in the reference repository's notes
 * (thousands of them, in git's fan-out trees): opening the store at the notes tip and reading
 * the records of one commit, as a promotion push does, for a commit with a note and without.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EvidenceLookupBenchmark {

    /** A bare repository made by bench/gen_repo.py. */
    @Param("")
    public String repository;

    private Repository opened;
    private ObjectReader reader;
    private ObjectId notes;
    private ObjectId annotated;
    private ObjectId bare;
    private EvidenceStore warm;

    @Setup(Level.Trial)
    public void open() throws IOException {
        opened = BenchmarkRepository.open("repository", repository);
        reader = opened.newObjectReader();
        notes = BenchmarkRepository.resolve(opened, "refs/notes/stagegate");
        annotated = BenchmarkRepository.resolve(opened, "refs/heads/staging");
        bare = BenchmarkRepository.resolve(opened, "refs/heads/develop");
        try (RevWalk walk = new RevWalk(reader)) {
            warm = EvidenceStore.open(walk, Optional.of(notes));
            if (warm.records(annotated).isEmpty()) {
                throw new IllegalStateException("staging's tip has no evidence in " + repository);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        reader.close();
        opened.close();
    }

    @Benchmark
    public List<EvidenceRecord> openAndLookUpAnnotated() throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            return EvidenceStore.open(walk, Optional.of(notes)).records(annotated);
        }
    }

    @Benchmark
    public List<EvidenceRecord> openAndLookUpWithoutNote() throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            return EvidenceStore.open(walk, Optional.of(notes)).records(bare);
        }
    }

    /** The same store asked again: what a second requirement or upstream candidate costs. */
    @Benchmark
    public List<EvidenceRecord> lookUpInOpenStore() throws IOException {
        return warm.records(annotated);
    }
}
