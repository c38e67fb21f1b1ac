package dev.stagegate.memo;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A thread-safe memo that holds at most {@code capacity} entries: when full, it forgets
 * everything and starts again. Crude, but it bounds memory with no bookkeeping per read, and
 * what it holds can always be computed again.
 */
public final class BoundedMemo<K, V> {

    private final int capacity;
    private final ConcurrentMap<K, V> entries = new ConcurrentHashMap<>();

    public BoundedMemo(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    public void put(K key, V value) {
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(key, value);
    }

    public int size() {
        return entries.size();
    }
}
