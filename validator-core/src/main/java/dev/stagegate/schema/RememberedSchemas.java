package dev.stagegate.schema;

import dev.stagegate.Sha256;
import dev.stagegate.memo.BoundedMemo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiled schemas kept across judgements in a process that remembers
 * ({@link dev.stagegate.memo.ProcessMemory}), and the files that passed each of them. A
 * compiled schema is reused only when every document its compilation read (the schema and
 * each {@code $ref}'d file) has the same content in the revision now checked, so a schema
 * changed by the push is compiled afresh. What passed is keyed by path and content, so a
 * promotion that carries files already checked on the way up reads none of them again.
 */
final class RememberedSchemas {

    /** A compiled schema can be large: a few dozen schemas, a few variants each, are what a server meets. */
    private static final BoundedMemo<String, List<Remembered>> BY_ROOT = new BoundedMemo<>(64);
    private static final int VARIANTS_PER_ROOT = 4;
    /** Files that passed, for every remembered schema together: about 200 bytes each. */
    private static final BoundedMemo<String, Boolean> PASSED = new BoundedMemo<>(20_000);
    private static final AtomicLong IDENTITIES = new AtomicLong();

    private RememberedSchemas() {
    }

    /** The schema compiled earlier from the same documents as {@code source} has now, if any. */
    static Optional<CompiledSchema> find(String rootPath, SchemaSource source) {
        byte[] root;
        try {
            root = source.read(rootPath);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        for (Remembered candidate : BY_ROOT.get(rootKey(rootPath, root)).orElse(List.of())) {
            if (candidate.matches(source, rootPath)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Remembers a schema compiled from {@code documents} (path to content, as read by the compilation). */
    static CompiledSchema remember(String rootPath, Map<String, byte[]> documents, CompiledSchema compiled) {
        byte[] root = documents.get(rootPath);
        if (root == null) {
            return compiled;
        }
        Map<String, String> digests = new LinkedHashMap<>();
        documents.forEach((path, content) -> digests.put(path, digest(content)));
        Remembered remembered = new Remembered(compiled, Map.copyOf(digests));
        String key = rootKey(rootPath, root);
        List<Remembered> variants = new ArrayList<>(BY_ROOT.get(key).orElse(List.of()));
        variants.add(remembered);
        BY_ROOT.put(key, List.copyOf(variants.subList(Math.max(0, variants.size() - VARIANTS_PER_ROOT), variants.size())));
        return remembered;
    }

    /** What a file is for {@link CompiledSchema#passedBefore}: its path, content and the limits it was read under. */
    static String fileKey(String path, byte[] content, Object limits) {
        return limits + "\0" + path + "\0" + digest(content);
    }

    private static String rootKey(String rootPath, byte[] root) {
        return rootPath + "\0" + digest(root);
    }

    private static String digest(byte[] content) {
        return Sha256.hex(content);
    }

    /** A compiled schema with the documents it came from and the files that passed it. */
    private static final class Remembered implements CompiledSchema {

        private final CompiledSchema compiled;
        private final Map<String, String> documents;
        private final long identity = IDENTITIES.incrementAndGet();

        Remembered(CompiledSchema compiled, Map<String, String> documents) {
            this.compiled = compiled;
            this.documents = documents;
        }

        /** Whether every document but the root (whose digest found this candidate) is unchanged. */
        boolean matches(SchemaSource source, String rootPath) {
            for (Map.Entry<String, String> document : documents.entrySet()) {
                if (document.getKey().equals(rootPath)) {
                    continue;
                }
                try {
                    if (!digest(source.read(document.getKey())).equals(document.getValue())) {
                        return false;
                    }
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<SchemaProblem> validate(dev.stagegate.yaml.YamlDocument document) {
            return compiled.validate(document);
        }

        @Override
        public boolean passedBefore(String fileKey) {
            return PASSED.get(identity + "\0" + fileKey).isPresent();
        }

        @Override
        public void rememberPassed(String fileKey) {
            PASSED.put(identity + "\0" + fileKey, Boolean.TRUE);
        }
    }
}
