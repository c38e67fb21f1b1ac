package dev.stagegate.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/** A reader that notes every object opened through it, and its type: for tests of what a check reads. */
public final class ObservingObjectReader extends ObjectReader.Filter {

    private final ObjectReader delegate;
    private final List<ObjectId> opened = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    public ObservingObjectReader(ObjectReader delegate) {
        this.delegate = delegate;
    }

    @Override
    protected ObjectReader delegate() {
        return delegate;
    }

    @Override
    public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
        ObjectLoader loader = delegate.open(id, typeHint);
        opened.add(id.copy());
        types.add(loader.getType());
        return loader;
    }

    @Override
    public ObjectLoader open(AnyObjectId id) throws IOException {
        return open(id, OBJ_ANY);
    }

    /** Every object opened, in order, as often as it was opened. */
    public List<ObjectId> opened() {
        return List.copyOf(opened);
    }

    /** How many times an object of {@code type} ({@code Constants.OBJ_COMMIT}, say) was opened. */
    public long opened(int type) {
        return types.stream().filter(each -> each == type).count();
    }
}
