package dev.infuse.inject.ernie;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.io.Provenance;
import dev.infuse.kge.KgeConfig;
import dev.infuse.kge.KgeTable;
import dev.infuse.model.BertConfig;
import dev.infuse.model.LayerHook;
import dev.infuse.train.HookSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ERNIE's fusion layers as a pretraining run adds them: the KG vectors of a {@code kge train} output for the
 * entities a bundle names, fused into the top {@code layers} layers. The run saves them beside its model, where
 * {@link ErnieKnowledge#load} finds them.
 *
 * @param embeddings a {@code kge train} output directory
 * @param domain the bundle whose entities' names link mentions to the vectors
 * @param layers how many top layers fuse (ERNIE: 6 of 12)
 * @param entityHeads heads of the entity self-attention in each fusion layer (ERNIE: 4), 0 for none
 */
public record ErnieSpec(Path embeddings, Path domain, int layers, int entityHeads) implements HookSpec {
    public static final int DEFAULT_LAYERS = 6;

    /** Fusion without entity self-attention, as the comparison's {@code ernie} method runs it. */
    public ErnieSpec(Path embeddings, Path domain, int layers) {
        this(embeddings, domain, layers, 0);
    }

    public ErnieSpec {
        if (embeddings == null) {
            throw new InfuseException("ernie needs --ernie-embeddings DIR, the output of infuse kge train on the bundle's triples");
        }
        if (domain == null) {
            throw new InfuseException("ernie needs --domain: its entities' names link mentions to their KG vectors");
        }
        if (layers < 1) {
            throw new InfuseException("--ernie-layers must be at least 1, found " + layers);
        }
        if (entityHeads < 0) {
            throw new InfuseException("--ernie-entity-heads must be 0 (none) or more, found " + entityHeads);
        }
    }

    @Override
    public Map<String, Object> identity() {
        Path table = embeddings.resolve(KgeTable.FILE);
        if (!Files.isRegularFile(table)) {
            throw new InfuseException("--ernie-embeddings " + embeddings + " has no " + KgeTable.FILE + "; expected the output of infuse kge train");
        }
        List<Path> entities = BundleFiles.variants(DomainBundle.open(domain).dir(), BundleFiles.ENTITIES);
        if (entities.isEmpty()) {
            throw new InfuseException("ernie: " + domain + " has no " + BundleFiles.ENTITIES + " to link mentions by");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ernie-embeddings-sha256", Provenance.sha256(table));
        m.put("ernie-entities-sha256", Provenance.sha256(entities.get(0)));
        m.put("ernie-layers", layers);
        if (entityHeads > 0) {
            EntityAttention.check(entityHeads, KgeConfig.read(embeddings).entityColumns()); // before the run's directory exists
            m.put("ernie-entity-heads", entityHeads); // absent at 0, so runs from before the option still resume
        }
        return m;
    }

    @Override
    public LayerHook create(BertConfig config, long seed) {
        return ErnieFusion.create(EntityVectors.fromKge(embeddings, domain), layers, entityHeads, config, seed);
    }

    @Override
    public void save(LayerHook hook, Path dir, String baseModel) {
        ((ErnieFusion) hook).save(dir);
    }

    @Override
    public List<String> files() {
        return List.of(ErnieFusion.FILE, EntityVectors.FILE);
    }
}
