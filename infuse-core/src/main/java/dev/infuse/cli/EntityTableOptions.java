package dev.infuse.cli;

import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltKnowledge;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --entity-table} and {@code --norm}: plug a PELT table into a command's inputs. */
final class EntityTableOptions {
    @Option(names = "--entity-table", paramLabel = "FILE", description = "A PELT table built by this model; mentions are linked by its names.")
    Path table;

    @Option(names = "--norm", defaultValue = "7", description = "Norm of plugged entity vectors (default ${DEFAULT-VALUE}).")
    float norm;

    /** The knowledge plug-in for a run, or null without a table. */
    KnowledgeSpec spec() {
        return table == null ? null : new PeltKnowledge.Spec(table, norm);
    }

    /** The plug-in, or null without a table; a table from another model is refused. */
    PeltPlugin plugin(MaskedLm lm) {
        if (table == null) {
            return null;
        }
        EntityTable t = EntityTable.read(table);
        t.requireModel(lm, table);
        return new PeltPlugin(t, lm.tokenizer(), norm);
    }
}
