package dev.stagegate.git;

import dev.stagegate.memo.BoundedMemo;
import java.io.IOException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Keeps small commits and trees, inflated, across judgements in a process that remembers
 * ({@link dev.stagegate.memo.ProcessMemory}), per repository. An object id names the same
 * bytes for ever, so what it returns is right whenever the repository has the object; and it
 * matters on large packs, where objects
 * are long delta chains and JGit's delta-base cache lives only as long as one reader, so every
 * push would re-inflate the same environment histories.
 */
final class RememberingObjectReader extends ObjectReader.Filter {

    private static final int MAX_OBJECT_BYTES = 64 * 1024;
    /** Commits of a few environments' searched histories and their trees fit many times over. */
    private static final BoundedMemo<Key, Inflated> INFLATED =
            new BoundedMemo<>(100_000, 4L << 20, inflated -> inflated.bytes().length + 64L);

    private final ObjectReader delegate;
    private final String repository;

    /** @param repository the repository's git directory: what one repository has, another may not */
    RememberingObjectReader(ObjectReader delegate, String repository) {
        this.delegate = delegate;
        this.repository = repository;
    }

    @Override
    protected ObjectReader delegate() {
        return delegate;
    }

    @Override
    public ObjectReader newReader() {
        return new RememberingObjectReader(delegate.newReader(), repository);
    }

    @Override
    public ObjectLoader open(AnyObjectId objectId) throws IOException {
        return open(objectId, OBJ_ANY);
    }

    @Override
    public ObjectLoader open(AnyObjectId objectId, int typeHint) throws IOException {
        Inflated remembered = INFLATED.get(new Key(repository, objectId.toObjectId())).orElse(null);
        // A commit is looked up in the index first: whether one exists decides things (the end of a shallow
        // history, a note on an object that is no commit here, say), and a rejected push's quarantine had it
        // once. Trees are reached through commits, so the check there costs without changing anything.
        if (remembered != null && (typeHint == OBJ_ANY || typeHint == remembered.type())
                && (remembered.type() != Constants.OBJ_COMMIT || delegate.has(objectId))) {
            return new ObjectLoader.SmallObject(remembered.type(), remembered.bytes());
        }
        ObjectLoader loader = delegate.open(objectId, typeHint);
        int type = loader.getType();
        if ((type == Constants.OBJ_COMMIT || type == Constants.OBJ_TREE) && !loader.isLarge()
                && loader.getSize() <= MAX_OBJECT_BYTES) {
            INFLATED.put(new Key(repository, objectId.copy()), new Inflated(type, loader.getCachedBytes()));
        }
        return loader;
    }

    private record Key(String repository, ObjectId id) {
    }

    private record Inflated(int type, byte[] bytes) {
    }
}
