package dev.stagegate.policy;

import dev.stagegate.git.FileKind;
import dev.stagegate.report.Violation;
import dev.stagegate.signature.AllowedSigners;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Gives a policy the allowed signers it verifies signatures with (approvals-signatures.md):
 * the server's {@code --allowed-signers} when given, else the file {@code evidence.allowedSigners}
 * names, read from the same revision as the policy, since the file is part of the policy and
 * travels the chain with it. A file that is missing, not a regular file, too large, not UTF-8
 * or has a malformed line makes the policy invalid, with the file's own line and column.
 */
public final class AllowedSignersReader {

    /** An allowed-signers file is a few lines per person; a larger one is a mistake or an attack. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final Optional<AllowedSigners> server;
    private final Map<ObjectId, AllowedSigners> byBlob = new HashMap<>();

    /** @param server the server's {@code --allowed-signers}, which replaces every policy's file */
    public AllowedSignersReader(Optional<AllowedSigners> server) {
        this.server = server;
    }

    public static AllowedSignersReader none() {
        return new AllowedSignersReader(Optional.empty());
    }

    /**
     * {@code loaded} with its allowed signers attached; an invalid result when the file named
     * cannot be used. A policy that names no file, or an invalid one, is returned as it is.
     */
    public PolicyLoadResult attach(PolicyLoadResult loaded, ObjectReader reader, RevTree tree) throws IOException {
        if (loaded.policy().isEmpty()) {
            return loaded;
        }
        Policy policy = loaded.policy().get();
        if (server.isPresent()) {
            return new PolicyLoadResult(Optional.of(policy.withAllowedSigners(server.get())), loaded.problems());
        }
        Optional<String> path = policy.evidence().allowedSigners();
        if (path.isEmpty()) {
            return loaded;
        }
        Optional<ObjectId> blob = blobAt(reader, tree, path.get());
        if (blob.isEmpty()) {
            return invalid(loaded, path.get(), 0, "evidence.allowedSigners names " + path.get() + ", which is not a"
                    + " regular file at this revision; commit the allowed-signers file with the policy");
        }
        AllowedSigners signers = byBlob.get(blob.get());
        if (signers == null) {
            Optional<String> text = read(reader, blob.get());
            if (text.isEmpty()) {
                return invalid(loaded, path.get(), 0, path.get() + " is larger than " + MAX_BYTES
                        + " bytes or not UTF-8 text, so it is no allowed-signers file");
            }
            signers = AllowedSigners.parse(text.get(), path.get());
            byBlob.put(blob.get().copy(), signers);
        }
        if (!signers.problems().isEmpty()) {
            List<Violation> problems = new ArrayList<>(loaded.problems());
            problems.addAll(violations(signers));
            return new PolicyLoadResult(Optional.empty(), problems);
        }
        return new PolicyLoadResult(Optional.of(policy.withAllowedSigners(signers)), loaded.problems());
    }

    /** The problems of an allowed-signers file as {@code policy-invalid} errors at their line and column. */
    public static List<Violation> violations(AllowedSigners signers) {
        return signers.problems().stream()
                .map(problem -> Violation.error(RuleIds.POLICY_INVALID, problem.message())
                        .at(signers.path(), problem.line(), problem.column()))
                .toList();
    }

    /** {@code loaded} with the server's allowed signers, when there are any. */
    public PolicyLoadResult attachServer(PolicyLoadResult loaded) {
        if (loaded.policy().isEmpty() || server.isEmpty()) {
            return loaded;
        }
        return new PolicyLoadResult(Optional.of(loaded.policy().get().withAllowedSigners(server.get())),
                loaded.problems());
    }

    /** The blob of the regular file at {@code path} in {@code tree}, never a link or a submodule. */
    public static Optional<ObjectId> blobAt(ObjectReader reader, RevTree tree, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            if (walk == null || walk.isSubtree() || !FileKind.of(walk.getFileMode(0)).isFile()) {
                return Optional.empty();
            }
            return Optional.of(walk.getObjectId(0).copy());
        }
    }

    private static Optional<String> read(ObjectReader reader, ObjectId blob) throws IOException {
        ObjectLoader object = reader.open(blob);
        if (object.getSize() > MAX_BYTES) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(object.getCachedBytes())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static PolicyLoadResult invalid(PolicyLoadResult loaded, String path, int line, String message) {
        List<Violation> problems = new ArrayList<>(loaded.problems());
        problems.add(Violation.error(RuleIds.POLICY_INVALID, message).at(path, line, 0));
        return new PolicyLoadResult(Optional.empty(), problems);
    }
}
