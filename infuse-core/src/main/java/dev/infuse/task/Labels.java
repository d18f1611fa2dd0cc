package dev.infuse.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The label map: names in the order training first met them, so the same data gives the same head. */
public record Labels(List<String> names) {
    public Labels {
        names = List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    /** The id of {@code name}, or -1 for a label training never saw. */
    public int id(String name) {
        return index().getOrDefault(name, -1);
    }

    public String name(int id) {
        return names.get(id);
    }

    private Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }
}
