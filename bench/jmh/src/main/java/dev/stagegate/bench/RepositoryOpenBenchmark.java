package dev.stagegate.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a hook pays before its first answer, per history size: open the repository with JGit
 * and read one commit. The first object read makes JGit load the pack's whole .idx into the
 * heap, so this grows with the number of objects, not with the push.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RepositoryOpenBenchmark {

    /** Bare repositories made by bench/gen_repo.py (bench/run.sh passes the 10k, 100k and 1M ones). */
    @Param("")
    public String openRepository;

    @Benchmark
    public RevCommit openAndReadStagingTip() throws IOException {
        try (Repository repository = BenchmarkRepository.open("openRepository", openRepository);
                RevWalk walk = new RevWalk(repository)) {
            ObjectId tip = BenchmarkRepository.resolve(repository, "refs/heads/staging");
            return walk.parseCommit(tip);
        }
    }
}
