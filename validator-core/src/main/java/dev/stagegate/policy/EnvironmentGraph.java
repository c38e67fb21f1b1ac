package dev.stagegate.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The promotion graph: an edge runs from each environment to those that promote from it.
 * Immutable; every list follows the policy's order of environments (upstreams: the order of
 * {@code promotesFrom}), so that messages and searches are deterministic.
 */
public final class EnvironmentGraph {

    private final Map<String, Environment> byName;
    private final Map<String, List<Environment>> upstreams;
    private final Map<String, List<Environment>> downstreams;
    private final List<Environment> topologicalOrder;

    /**
     * @throws IllegalArgumentException when two environments share a name, a
     *                                  {@code promotesFrom} names no environment or the
     *                                  environment itself, or the edges form a cycle
     */
    public EnvironmentGraph(List<Environment> environments) {
        Map<String, Environment> named = new LinkedHashMap<>();
        for (Environment environment : environments) {
            if (named.putIfAbsent(environment.name(), environment) != null) {
                throw new IllegalArgumentException("two environments are named " + environment.name());
            }
        }
        Map<String, List<Environment>> up = new HashMap<>();
        Map<String, List<Environment>> down = new HashMap<>();
        for (Environment environment : named.values()) {
            down.put(environment.name(), new ArrayList<>());
        }
        for (Environment environment : named.values()) {
            List<Environment> direct = new ArrayList<>();
            for (String upstreamName : environment.promotesFrom()) {
                if (upstreamName.equals(environment.name())) {
                    throw new IllegalArgumentException(environment.name() + " promotes from itself");
                }
                Environment upstream = named.get(upstreamName);
                if (upstream == null) {
                    throw new IllegalArgumentException(
                            environment.name() + " promotes from unknown environment " + upstreamName);
                }
                direct.add(upstream);
                down.get(upstreamName).add(environment);
            }
            up.put(environment.name(), List.copyOf(direct));
        }
        List<List<String>> cycles = cycles(upstreamNames(environments));
        if (!cycles.isEmpty()) {
            throw new IllegalArgumentException("promotion cycle " + String.join(" -> ", cycles.get(0)));
        }
        this.byName = named;
        this.upstreams = up;
        this.downstreams = new HashMap<>();
        down.forEach((name, list) -> this.downstreams.put(name, List.copyOf(list)));
        this.topologicalOrder = sortTopologically(named.values());
    }

    /** Direct upstreams of {@code envName}, in {@code promotesFrom} order. */
    public List<Environment> upstreamsOf(String envName) {
        return upstreams.get(require(envName));
    }

    /** Environments that promote directly from {@code envName}, in policy order. */
    public List<Environment> downstreamsOf(String envName) {
        return downstreams.get(require(envName));
    }

    /** Every transitive upstream of {@code envName}, nearest first (breadth-first), each once. */
    public List<Environment> chainAbove(String envName) {
        Set<Environment> seen = new LinkedHashSet<>();
        Deque<Environment> queue = new ArrayDeque<>(upstreamsOf(envName));
        while (!queue.isEmpty()) {
            Environment next = queue.removeFirst();
            if (seen.add(next)) {
                queue.addAll(upstreams.get(next.name()));
            }
        }
        return List.copyOf(seen);
    }

    /** Environments that promote from no other, in policy order. */
    public List<Environment> entries() {
        return byName.values().stream().filter(Environment::isEntry).toList();
    }

    /** Every environment after all of its upstreams, the entries first (in policy order). */
    public List<Environment> topologicalOrder() {
        return topologicalOrder;
    }

    private String require(String envName) {
        if (!byName.containsKey(envName)) {
            throw new IllegalArgumentException("no environment named " + envName);
        }
        return envName;
    }

    /**
     * Kahn's algorithm with a queue: the entries in policy order, then each environment as
     * soon as its last upstream is placed.
     */
    private List<Environment> sortTopologically(Iterable<Environment> environments) {
        Map<String, Integer> waitingFor = new HashMap<>();
        Deque<Environment> ready = new ArrayDeque<>();
        for (Environment environment : environments) {
            waitingFor.put(environment.name(), upstreams.get(environment.name()).size());
            if (environment.isEntry()) {
                ready.add(environment);
            }
        }
        List<Environment> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Environment next = ready.removeFirst();
            order.add(next);
            for (Environment downstream : downstreams.get(next.name())) {
                if (waitingFor.merge(downstream.name(), -1, Integer::sum) == 0) {
                    ready.add(downstream);
                }
            }
        }
        return List.copyOf(order);
    }

    private static Map<String, List<String>> upstreamNames(List<Environment> environments) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (Environment environment : environments) {
            names.putIfAbsent(environment.name(), environment.promotesFrom());
        }
        return names;
    }

    /**
     * The promotion cycles among {@code promotesFrom} (name to upstream names, in policy
     * order), each in promotion order and closed: {@code [a, b, a]} means a promotes into b,
     * which promotes into a. Names that are no key are ignored, and so are self-references
     * (the policy loader reports those on their own). Each cycle is found once, by a
     * depth-first search in policy order; its first step is the {@code promotesFrom} entry
     * that closed it ({@code cycle.get(1)} promotes from {@code cycle.get(0)}).
     */
    static List<List<String>> cycles(Map<String, List<String>> promotesFrom) {
        List<List<String>> found = new ArrayList<>();
        Set<String> finished = new LinkedHashSet<>();
        for (String start : promotesFrom.keySet()) {
            if (!finished.contains(start)) {
                searchForCycles(start, promotesFrom, new ArrayList<>(), finished, found);
            }
        }
        return found;
    }

    private static void searchForCycles(String name, Map<String, List<String>> promotesFrom,
            List<String> path, Set<String> finished, List<List<String>> found) {
        path.add(name);
        for (String upstream : promotesFrom.get(name)) {
            if (upstream.equals(name) || !promotesFrom.containsKey(upstream) || finished.contains(upstream)) {
                continue;
            }
            int onPath = path.indexOf(upstream);
            if (onPath >= 0) {
                found.add(closedInPromotionOrder(path.subList(onPath, path.size())));
            } else {
                searchForCycles(upstream, promotesFrom, path, finished, found);
            }
        }
        path.remove(path.size() - 1);
        finished.add(name);
    }

    /**
     * {@code path} runs from an environment to its upstream and on; the cycle closes from the
     * last back to the first. Promotion runs the other way: first, last, ..., second, first.
     */
    private static List<String> closedInPromotionOrder(List<String> path) {
        List<String> cycle = new ArrayList<>();
        cycle.add(path.get(0));
        for (int i = path.size() - 1; i >= 1; i--) {
            cycle.add(path.get(i));
        }
        cycle.add(path.get(0));
        return List.copyOf(cycle);
    }
}
