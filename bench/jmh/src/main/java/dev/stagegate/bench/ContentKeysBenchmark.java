package dev.stagegate.bench;

import dev.stagegate.git.ContentKey;
import dev.stagegate.git.ContentKeys;
import dev.stagegate.git.PathSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
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
 * Content comparison ({@link ContentKeys}): the key of a commit is its tree without the
 * environment-specific paths. Each invocation starts with an empty memo, as a hook does.
 *
 * <p>{@code env/**} is the policy of the reference repositories: only the root tree is read.
 * {@code apps/**}{@code /env.yaml} makes every application directory a place an
 * environment-specific file could be, so the filter has to descend into all 5,000 of them:
 * the cost of a glob that reaches deep.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContentKeysBenchmark {

    /** A bare repository made by bench/gen_repo.py. */
    @Param("")
    public String repository;

    @Param({"env/**", "apps/**/env.yaml"})
    public String environmentSpecific;

    private Repository opened;
    private ObjectReader reader;
    private PathSet paths;
    private RevCommit staging;
    private RevCommit promotion;
    private final List<RevCommit> stagingHistory = new ArrayList<>();

    @Setup(Level.Trial)
    public void open() throws IOException {
        opened = BenchmarkRepository.open("repository", repository);
        reader = opened.newObjectReader();
        paths = PathSet.of(List.of(environmentSpecific));
        try (RevWalk walk = new RevWalk(reader)) {
            staging = walk.parseCommit(BenchmarkRepository.resolve(opened, "refs/heads/staging"));
            promotion = walk.parseCommit(BenchmarkRepository.resolve(opened, "refs/heads/main"));
            RevCommit commit = staging;
            // the first-parent history an upstream search reads (searchDepth 200)
            while (commit != null && stagingHistory.size() < 200) {
                stagingHistory.add(commit);
                commit = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        reader.close();
        opened.close();
    }

    /** Two commits, as a promotion whose content is the upstream tip needs. */
    @Benchmark
    public boolean compareTwoCommits() throws IOException {
        ContentKeys keys = new ContentKeys(reader, paths);
        return keys.of(staging).equals(keys.of(promotion));
    }

    /** 200 first-parent commits of staging, as a search that does not find the content does. */
    @Benchmark
    public ContentKey keysOfSearchDepth() throws IOException {
        ContentKeys keys = new ContentKeys(reader, paths);
        ContentKey last = null;
        for (RevCommit commit : stagingHistory) {
            last = keys.of(commit);
        }
        return last;
    }
}
