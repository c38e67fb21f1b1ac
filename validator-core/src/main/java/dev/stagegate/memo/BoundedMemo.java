package dev.stagegate.memo;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A thread-safe memo bounded by its number of entries and, optionally, by their total weight
 * (bytes, say): when an entry would not fit, it forgets everything and starts again. Crude,
 * but it bounds memory with no bookkeeping per read, and what it holds can always be
 * computed again.
 */
public final class BoundedMemo<K, V> {

    private final int capacity;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final ConcurrentMap<K, V> entries = new ConcurrentHashMap<>();
    private final AtomicLong weight = new AtomicLong();

    public BoundedMemo(int capacity) {
        this(capacity, Long.MAX_VALUE, value -> 0);
    }

    /** @param weigher the weight of a value, counted against {@code maxWeight} */
    public BoundedMemo(int capacity, long maxWeight, ToLongFunction<V> weigher) {
        if (capacity < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("capacity and weight must be positive: " + capacity + ", " + maxWeight);
        }
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Remembers {@code value}, unless it alone weighs more than the memo may hold. */
    public void put(K key, V value) {
        long added = weigher.applyAsLong(value);
        if (added > maxWeight) {
            return;
        }
        if (entries.size() >= capacity || weight.get() + added > maxWeight) {
            synchronized (this) {
                entries.clear();
                weight.set(0);
            }
        }
        if (entries.put(key, value) == null) {
            weight.addAndGet(added);
        }
    }

    public int size() {
        return entries.size();
    }
}
