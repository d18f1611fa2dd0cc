package dev.infuse.kge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.ParameterOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two embedding tables, entities (E, De) and relations (R, Dr), as the trainer's parameters, with the
 * score function of their model. Tables are drawn uniformly from [-initRange, initRange] with a Java
 * generator, so the same seed gives the same bytes whatever the engine's own generator does.
 */
public final class KgeModel implements ParameterOwner, AutoCloseable {
    public static final String ENTITY = "entity_embedding";
    public static final String RELATION = "relation_embedding";

    private final KgeConfig config;
    private final Scoring scoring;
    private final NDManager manager = Engines.newManager();
    private final NDArray entities;
    private final NDArray relations;

    /** Tables from rows already made: row-major (E x De) and (R x Dr). */
    public KgeModel(KgeConfig config, float[] entityRows, int entityCount, float[] relationRows, int relationCount) {
        this.config = config;
        this.scoring = Scoring.of(config);
        this.entities = Tensors.copyOf(manager, entityRows, new Shape(entityCount, config.entityColumns()));
        this.relations = Tensors.copyOf(manager, relationRows, new Shape(relationCount, config.relationColumns()));
    }

    /** Fresh tables for {@code ids}, seeded. */
    public static KgeModel init(KgeConfig config, int entityCount, int relationCount, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new KgeModel(config, uniform(rng, (long) entityCount * config.entityColumns(), config.initRange()), entityCount,
                uniform(rng, (long) relationCount * config.relationColumns(), config.initRange()), relationCount);
    }

    private static float[] uniform(SplittableRandom rng, long n, float range) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
        }
        return a;
    }

    public KgeConfig config() {
        return config;
    }

    public Scoring scoring() {
        return scoring;
    }

    /** (E, De), live: the trainer updates it in place. */
    public NDArray entities() {
        return entities;
    }

    /** (R, Dr), live. */
    public NDArray relations() {
        return relations;
    }

    public int entityCount() {
        return Math.toIntExact(entities.getShape().get(0));
    }

    public int relationCount() {
        return Math.toIntExact(relations.getShape().get(0));
    }

    /** Rows of {@code table} for {@code ids} of any shape: ids' shape + (D,). The ids come first so the result is theirs, not the table's manager's. */
    public static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put(ENTITY, entities);
        m.put(RELATION, relations);
        return m;
    }

    @Override
    public boolean decays(String name) {
        return false; // KGE's reference trains with plain Adam; the runs here set no decay anyway
    }

    @Override
    public void close() {
        manager.close();
    }
}
