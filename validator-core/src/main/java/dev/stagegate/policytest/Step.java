package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ref change of a case: in its history it moves the ref at once, in its push it becomes
 * one {@code <old> <new> <ref>} update for the hook to judge.
 */
public sealed interface Step {

    /** Where the step is written, for messages about it. */
    SourcePosition position();

    /** How a new commit gets its files. */
    enum CommitKind {
        /** On the tip (or {@code from}): its files, changed by the step. */
        CHANGE,
        /** Parents the tip and the merged revision, with the merged revision's files. */
        MERGE,
        /** One parent, the tip, with the squashed revision's files. */
        SQUASH
    }

    /**
     * A new commit that the ref then points at.
     *
     * @param from                 the first parent instead of the ref's tip
     * @param source               the merged or squashed revision (empty for {@link CommitKind#CHANGE})
     * @param keepEnvironmentFiles with a source: whether the ref keeps its own environment-specific files
     * @param files                path to content, added or replaced
     * @param removals             paths deleted
     * @param repositoryFiles      globs of working-tree files of the repository under test to copy in
     * @param author               the author's e-mail address; empty: the policy test's own
     */
    record Commit(String refName, CommitKind kind, Optional<Revision> from, Optional<Revision> source,
            boolean keepEnvironmentFiles, Map<String, String> files, List<String> removals,
            List<String> repositoryFiles, Optional<String> message, Optional<String> author,
            SourcePosition position) implements Step {

        public Commit {
            files = Map.copyOf(files);
            removals = List.copyOf(removals);
            repositoryFiles = List.copyOf(repositoryFiles);
        }
    }

    /** Points the ref at an existing commit: a fast-forward, a reset, a tag. */
    record Point(String refName, Revision target, SourcePosition position) implements Step {
    }

    /** Deletes the ref. */
    record Deletion(String refName, SourcePosition position) implements Step {
    }

    /** A push of the policy's evidence notes ref that appends records. */
    record EvidencePush(List<EvidenceEntry> records, SourcePosition position) implements Step {

        public EvidencePush {
            records = List.copyOf(records);
        }
    }
}
