package dev.infuse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names a user can type, each mapped to a factory, in the way Lucene's analysis factories are found by
 * name: a new masking strategy, task or injection method is a class plus one {@link #register} line in
 * its kind's registry, never another case in a switch. Names match exactly; a kind that forgives case
 * or spaces (as {@code --masking} does) normalises before it asks.
 *
 * <p>Each kind builds its registry once, in a static initializer, and exposes only lookups; so the set of
 * names cannot change while a run is going, and an error message listing them is the same every time.
 *
 * @param <T> what the factories make
 */
public final class Registry<T> {
    private final Map<String, Supplier<? extends T>> factories = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    /** Adds {@code name}; a name already taken, as a name or an alias, is a programming error. */
    public Registry<T> register(String name, Supplier<? extends T> factory) {
        requireFree(name);
        factories.put(name, factory);
        return this;
    }

    /** Lets {@code alias} stand for the registered {@code name}; aliases are accepted but not listed. */
    public Registry<T> alias(String alias, String name) {
        requireFree(alias);
        if (!factories.containsKey(name)) {
            throw new IllegalArgumentException("alias " + alias + " of unregistered name " + name);
        }
        aliases.put(alias, name);
        return this;
    }

    /** A new instance for {@code name} or one of its aliases; empty when the name is unknown. */
    public Optional<T> create(String name) {
        Supplier<? extends T> f = factories.get(canonical(name));
        return f == null ? Optional.empty() : Optional.of(f.get());
    }

    public boolean contains(String name) {
        return factories.containsKey(canonical(name));
    }

    /** The registered name that {@code name} stands for: itself, or the name an alias points to. */
    public String canonical(String name) {
        return aliases.getOrDefault(name, name);
    }

    /** The names in registration order, aliases left out: what an error message offers. */
    public List<String> names() {
        return List.copyOf(factories.keySet());
    }

    private void requireFree(String key) {
        if (factories.containsKey(key) || aliases.containsKey(key)) {
            throw new IllegalArgumentException("name registered twice: " + key);
        }
    }
}
