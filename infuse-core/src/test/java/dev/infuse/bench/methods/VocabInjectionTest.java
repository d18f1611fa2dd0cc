package dev.infuse.bench.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.model.AddedRows;
import dev.infuse.train.Freeze;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vocab} and {@code vocab+entity-mask} run on a tiny model and bundle: one extension, one pretraining budget. */
class VocabInjectionTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("entities.jsonl"),
                "{\"id\":\"cats\",\"name\":\"Cats\",\"aliases\":[],\"type\":\"animal\",\"description\":\"\"}\n");
        Files.writeString(bundle.resolve("corpus.jsonl"), String.join("\n",
                "{\"id\":\"d1\",\"text\":\"the cats sat on the mat\",\"mentions\":[{\"start\":4,\"end\":8,\"entity\":\"cats\"}]}",
                "{\"id\":\"d2\",\"text\":\"birds sing when the suns rise and the suns rise and the suns set\",\"mentions\":[]}",
                "{\"id\":\"d3\",\"text\":\"the cats ran in the park\",\"mentions\":[{\"start\":4,\"end\":8,\"entity\":\"cats\"}]}") + "\n");
    }

    static InjectionJob job(Path dir) {
        TrainSettings s = new TrainSettings(2, 16, 1e-3f, 1, LrSchedule.Kind.LINEAR, 1f, 1, new Freeze(1, false), 0, 2, 7, 0.01f, 0.15);
        return new InjectionJob(model.toString(), bundle, s, 1f, 16, Set.of(), dir, null, null, new PrintStream(OutputStream.nullOutputStream()));
    }

    static JsonObject settings(Path run) throws Exception {
        return JsonParser.parseString(Files.readString(run.resolve("provenance.json"))).getAsJsonObject().getAsJsonObject("settings");
    }

    @Test
    void vocabAloneExtendsThenPretrainsWithTokenMaskingAndItsRowsAtTheirScale() throws Exception {
        Path dir = tmp.resolve("vocab");
        InjectionMethod m = InjectionMethods.get("vocab");
        m.inject(job(dir));
        assertEquals(new AddedRows(TinyRun.tokenizer().vocabSize(), 2), AddedRows.read(dir.resolve("extended")), "cats (the entity's) and suns");
        JsonObject s = settings(Path.of(m.model(model.toString(), dir)));
        assertEquals("token", s.get("masking").getAsString());
        assertEquals(VocabInjection.NEW_TOKEN_LR_SCALE, s.get("new-token-lr-scale").getAsFloat());
    }

    @Test
    void vocabPlusEntityMaskExtendsOnceAndSpendsOneBudgetWithEntityMasking() throws Exception {
        Path dir = tmp.resolve("both");
        InjectionMethod m = InjectionMethods.get("vocab+entity-mask");
        m.inject(job(dir));
        assertTrue(Files.exists(dir.resolve("vocab/extended").resolve(AddedRows.FILE)));
        assertFalse(Files.exists(dir.resolve("vocab/model")), "vocab's own pretraining does not run in the pair");
        Path trained = Path.of(m.model(model.toString(), dir));
        assertEquals(dir.resolve("entity-mask"), trained);
        JsonObject s = settings(trained);
        assertEquals("entity", s.get("masking").getAsString());
        assertTrue(s.get("model").getAsString().endsWith("extended"), s.get("model").getAsString());
        assertEquals(VocabInjection.NEW_TOKEN_LR_SCALE, s.get("new-token-lr-scale").getAsFloat());
        assertEquals(List.of("cats", "suns").size() + TinyRun.tokenizer().vocabSize(),
                JsonParser.parseString(Files.readString(trained.resolve("config.json"))).getAsJsonObject().get("vocab_size").getAsInt());
    }
}
