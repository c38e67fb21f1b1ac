package dev.stagegate.schema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.everit.json.schema.ArraySchema;
import org.everit.json.schema.CombinedSchema;
import org.everit.json.schema.ConditionalSchema;
import org.everit.json.schema.NotSchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.ReferenceSchema;
import org.everit.json.schema.Schema;

/**
 * Finds {@code $ref} cycles that never descend into the instance, such as
 * {@code a.json: {"$ref": "b.json"}} with {@code b.json: {"$ref": "a.json"}}.
 *
 * <p>Everit loads every recursive schema fine, and a cycle that passes through
 * {@code properties} or {@code items} is a legitimate tree schema, bounded by the document's
 * depth. A cycle that keeps applying schemas to the same value recurses until the stack
 * overflows, so it is refused when the schema loads.
 */
final class ReferenceCycle {

    private ReferenceCycle() {
    }

    /** The cycle as its {@code $ref} values, e.g. {@code "b.json -> a.json -> b.json"}, if there is one. */
    static Optional<String> find(Schema root) {
        List<Schema> all = reachable(root);
        Set<Schema> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Schema start : all) {
            if (!finished.contains(start)) {
                Optional<List<Schema>> cycle = cycleFrom(start, finished);
                if (cycle.isPresent()) {
                    return Optional.of(describe(cycle.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** Depth-first over same-value edges, iteratively: schemas can be deep. */
    private static Optional<List<Schema>> cycleFrom(Schema start, Set<Schema> finished) {
        Deque<Schema> path = new ArrayDeque<>();
        Deque<Iterator<Schema>> pending = new ArrayDeque<>();
        Set<Schema> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        path.push(start);
        onPath.add(start);
        pending.push(sameValue(start).iterator());
        while (!pending.isEmpty()) {
            Iterator<Schema> next = pending.peek();
            if (!next.hasNext()) {
                Schema done = path.pop();
                pending.pop();
                onPath.remove(done);
                finished.add(done);
                continue;
            }
            Schema child = next.next();
            if (onPath.contains(child)) {
                List<Schema> cycle = new ArrayList<>();
                for (Iterator<Schema> it = path.descendingIterator(); it.hasNext(); ) {
                    cycle.add(it.next());
                }
                cycle = cycle.subList(indexOf(cycle, child), cycle.size());
                cycle.add(child);
                return Optional.of(cycle);
            }
            if (!finished.contains(child)) {
                path.push(child);
                onPath.add(child);
                pending.push(sameValue(child).iterator());
            }
        }
        return Optional.empty();
    }

    private static int indexOf(List<Schema> schemas, Schema wanted) {
        for (int i = 0; i < schemas.size(); i++) {
            if (schemas.get(i) == wanted) {
                return i;
            }
        }
        return 0;
    }

    private static String describe(List<Schema> cycle) {
        List<String> refs = new ArrayList<>();
        for (Schema schema : cycle) {
            // Everit keeps one ReferenceSchema per place a ref is written and per target it was resolved to.
            if (schema instanceof ReferenceSchema reference
                    && (refs.isEmpty() || !refs.get(refs.size() - 1).equals(reference.getReferenceValue()))) {
                refs.add(reference.getReferenceValue());
            }
        }
        if (refs.isEmpty()) {
            return "a schema that refers to itself";
        }
        if (refs.size() == 1 || !refs.get(0).equals(refs.get(refs.size() - 1))) {
            refs.add(refs.get(0));
        }
        return String.join(" -> ", refs);
    }

    /** Every schema reachable from {@code root}, in the order found, so messages do not vary between runs. */
    private static List<Schema> reachable(Schema root) {
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Schema> found = new ArrayList<>();
        Deque<Schema> work = new ArrayDeque<>();
        work.push(root);
        while (!work.isEmpty()) {
            Schema schema = work.pop();
            if (seen.add(schema)) {
                found.add(schema);
                sameValue(schema).forEach(work::push);
                nestedValues(schema).forEach(work::push);
            }
        }
        return found;
    }

    /** Subschemas that Everit applies to the very value the schema checks. */
    private static List<Schema> sameValue(Schema schema) {
        List<Schema> children = new ArrayList<>();
        if (schema instanceof ReferenceSchema reference) {
            children.add(reference.getReferredSchema());
        } else if (schema instanceof CombinedSchema combined) {
            children.addAll(combined.getSubschemas());
        } else if (schema instanceof NotSchema not) {
            children.add(not.getMustNotMatch());
        } else if (schema instanceof ConditionalSchema conditional) {
            conditional.getIfSchema().ifPresent(children::add);
            conditional.getThenSchema().ifPresent(children::add);
            conditional.getElseSchema().ifPresent(children::add);
        } else if (schema instanceof ObjectSchema object) {
            children.addAll(object.getSchemaDependencies().values());
        }
        children.removeIf(Objects::isNull);
        return children;
    }

    /**
     * Subschemas that Everit applies to a property, item or key of the value: one level deeper.
     * {@code getPatternProperties()} is deprecated, but its replacement is not public.
     */
    @SuppressWarnings("deprecation")
    private static List<Schema> nestedValues(Schema schema) {
        List<Schema> children = new ArrayList<>();
        if (schema instanceof ObjectSchema object) {
            children.addAll(object.getPropertySchemas().values());
            children.addAll(object.getPatternProperties().values());
            children.add(object.getSchemaOfAdditionalProperties());
            children.add(object.getPropertyNameSchema());
        } else if (schema instanceof ArraySchema array) {
            children.add(array.getAllItemSchema());
            if (array.getItemSchemas() != null) {
                children.addAll(array.getItemSchemas());
            }
            children.add(array.getSchemaOfAdditionalItems());
            children.add(array.getContainedItemSchema());
        }
        children.removeIf(Objects::isNull);
        return children;
    }
}
