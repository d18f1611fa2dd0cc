package dev.infuse.inject.ernie;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.kge.KgeTable;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.text.MentionMatcher;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ERNIE's frozen knowledge vectors: one row per entity of a KG embedding table ({@code infuse kge train}), with
 * the names and aliases its mentions are linked by. A model trained with ERNIE keeps a copy ({@value #FILE}), so
 * it links and fuses without the bundle or the table.
 */
public final class EntityVectors {
    public static final String FILE = "ernie_entities.safetensors";
    static final String FORMAT = "infuse-ernie-entities-1";
    private static final Gson GSON = new Gson();

    /** A surface form that links to {@code entity}; {@code name} tells a name from an alias, as the matcher ranks them. */
    record Surface(String surface, String entity, boolean name) {}

    private final List<String> ids;
    private final Map<String, Integer> rowOf = new HashMap<>();
    private final float[] vectors; // (N, dim) row-major
    private final int dim;
    private final List<Surface> surfaces;

    EntityVectors(List<String> ids, float[] vectors, int dim, List<Surface> surfaces) {
        if (ids.isEmpty() || vectors.length != (long) ids.size() * dim) {
            throw new InfuseException("ERNIE's entity vectors: " + ids.size() + " entities do not fit " + vectors.length + " values of dimension " + dim);
        }
        this.ids = List.copyOf(ids);
        for (int i = 0; i < ids.size(); i++) {
            rowOf.put(ids.get(i), i);
        }
        this.vectors = vectors;
        this.dim = dim;
        this.surfaces = List.copyOf(surfaces);
    }

    /**
     * The entity rows of a {@code kge train} output whose entities the bundle names; the others have no surface to
     * be linked by and are left out. For RotatE the row is the real and imaginary halves side by side.
     */
    public static EntityVectors fromKge(Path kgeDir, Path domain) {
        KgeTable.Loaded t = KgeTable.read(kgeDir);
        float[] all;
        int dim;
        try (var model = t.model()) {
            all = model.entities().toFloatArray();
            dim = (int) model.entities().getShape().get(1);
        }
        Map<String, Integer> tableRow = new HashMap<>();
        for (int i = 0; i < t.ids().entities().size(); i++) {
            tableRow.put(t.ids().entities().get(i), i);
        }
        List<String> ids = new ArrayList<>();
        List<Surface> surfaces = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Entity e : DomainBundle.open(domain).entities()) {
            Integer r = tableRow.get(e.id());
            if (r == null || e.name() == null || e.name().isBlank()) {
                continue;
            }
            ids.add(e.id());
            rows.add(java.util.Arrays.copyOfRange(all, r * dim, (r + 1) * dim));
            surfaces.add(new Surface(e.name(), e.id(), true));
            for (String a : e.aliases()) {
                surfaces.add(new Surface(a, e.id(), false));
            }
        }
        if (ids.isEmpty()) {
            throw new InfuseException("ernie: no entity of " + kgeDir + " is named in " + domain + "; train the embeddings on this bundle's triples");
        }
        float[] v = new float[ids.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, v, i * dim, dim);
        }
        return new EntityVectors(ids, v, dim, surfaces);
    }

    public void write(Path file) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("vectors", new HostTensor(new long[] {ids.size(), dim}, FloatBuffer.wrap(vectors)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("entities", GSON.toJson(ids));
        meta.put("surfaces", GSON.toJson(surfaces));
        Safetensors.write(file, t, meta);
    }

    public static EntityVectors read(Path file) {
        Map<String, String> meta = new HashMap<>();
        Map<String, HostTensor> t = Safetensors.readWithMetadata(file, meta);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new InfuseException(file + " is not ERNIE's entity vectors (format " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        List<String> ids;
        List<Surface> surfaces;
        try {
            ids = GSON.fromJson(meta.get("entities"), new TypeToken<List<String>>() {}.getType());
            surfaces = GSON.fromJson(meta.get("surfaces"), new TypeToken<List<Surface>>() {}.getType());
        } catch (RuntimeException e) {
            throw new InfuseException(file + ": unreadable entity or surface list in its metadata");
        }
        HostTensor v = t.get("vectors");
        if (ids == null || surfaces == null || v == null || v.shape().length != 2 || v.shape()[0] != ids.size()) {
            throw new InfuseException(file + ": expected vectors (" + (ids == null ? "?" : ids.size()) + ", dim) beside the entity list");
        }
        float[] a = new float[v.data().remaining()];
        v.data().duplicate().get(a);
        return new EntityVectors(ids, a, (int) v.shape()[1], surfaces);
    }

    public MentionMatcher matcher() {
        MentionMatcher.Builder b = MentionMatcher.builder().caseSensitive(false);
        for (Surface s : surfaces) {
            b.add(s.surface(), s.entity(), s.name());
        }
        return b.build();
    }

    public int size() {
        return ids.size();
    }

    public int dim() {
        return dim;
    }

    /** The row of {@code entity}, or -1 when the table has none. */
    public int row(String entity) {
        return rowOf.getOrDefault(entity, -1);
    }

    public boolean contains(String entity) {
        return rowOf.containsKey(entity);
    }

    public float[] vectors() {
        return vectors;
    }
}
