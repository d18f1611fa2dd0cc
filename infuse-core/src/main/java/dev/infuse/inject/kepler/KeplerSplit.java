package dev.infuse.inject.kepler;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.kge.TripleFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * KEPLER's inductive setting on a transductive benchmark: {@code heldOut} entities of the test triples, drawn with the
 * seed from their sorted ids (so the same inputs and seed give the same split anywhere), are taken out of training.
 * Written into the output directory:
 *
 * <ul>
 *   <li>{@code train.txt}, {@code valid.txt}: the triples that name no held-out entity;
 *   <li>{@code test-transductive.txt}: the test triples whose two entities both occur in the new train.txt;
 *   <li>{@code test-inductive.txt}: the test triples that name a held-out entity, which training never saw;
 *   <li>{@code held-out.txt}: the held-out ids, one a line; {@code provenance.json}: inputs' SHA-256, seed, counts.
 * </ul>
 *
 * Test triples of neither kind (an entity absent from train that was not held out: WN18RR has some) are left out of
 * both, and counted.
 */
public final class KeplerSplit {
    public record Counts(int heldOut, int train, int valid, int transductive, int inductive, int neither) {}

    private KeplerSplit() {}

    public static Counts write(Path train, Path valid, Path test, int heldOut, long seed, Path out) {
        List<TripleFile.Row> tr = TripleFile.read(train);
        List<TripleFile.Row> va = valid == null ? List.of() : TripleFile.read(valid);
        List<TripleFile.Row> te = TripleFile.read(test);
        TreeSet<String> testEntities = new TreeSet<>();
        te.forEach(r -> {
            testEntities.add(r.head());
            testEntities.add(r.tail());
        });
        if (heldOut < 1 || heldOut >= testEntities.size()) {
            throw new InfuseException("--held-out must be between 1 and " + (testEntities.size() - 1) + " (the test triples name " + testEntities.size()
                    + " entities), found " + heldOut);
        }
        List<String> pool = new ArrayList<>(testEntities);
        java.util.Collections.shuffle(pool, new Random(seed));
        Set<String> held = new TreeSet<>(pool.subList(0, heldOut));
        List<TripleFile.Row> newTrain = keep(tr, held);
        List<TripleFile.Row> newValid = keep(va, held);
        Set<String> seen = new HashSet<>();
        newTrain.forEach(r -> {
            seen.add(r.head());
            seen.add(r.tail());
        });
        List<TripleFile.Row> transductive = new ArrayList<>();
        List<TripleFile.Row> inductive = new ArrayList<>();
        int neither = 0;
        for (TripleFile.Row r : te) {
            if (held.contains(r.head()) || held.contains(r.tail())) {
                inductive.add(r);
            } else if (seen.contains(r.head()) && seen.contains(r.tail())) {
                transductive.add(r);
            } else {
                neither++;
            }
        }
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new InfuseException("cannot create " + out + ": " + e.getMessage());
        }
        writeTriples(out.resolve("train.txt"), newTrain);
        writeTriples(out.resolve("valid.txt"), newValid);
        writeTriples(out.resolve("test-transductive.txt"), transductive);
        writeTriples(out.resolve("test-inductive.txt"), inductive);
        AtomicFiles.writeString(out.resolve("held-out.txt"), String.join("\n", held) + "\n");
        Counts c = new Counts(held.size(), newTrain.size(), newValid.size(), transductive.size(), inductive.size(), neither);
        Provenance p = Provenance.of("kepler-split").input("train", train.toString()).input("train_sha256", Provenance.sha256(train))
                .input("test", test.toString()).input("test_sha256", Provenance.sha256(test)).setting("held_out", heldOut).setting("seed", seed)
                .setting("counts", java.util.Map.of("held_out", c.heldOut(), "train", c.train(), "valid", c.valid(), "test_transductive",
                        c.transductive(), "test_inductive", c.inductive(), "test_neither", c.neither()));
        if (valid != null) {
            p.input("valid", valid.toString()).input("valid_sha256", Provenance.sha256(valid));
        }
        p.write(out.resolve("provenance.json"));
        return c;
    }

    private static List<TripleFile.Row> keep(List<TripleFile.Row> rows, Set<String> held) {
        return rows.stream().filter(r -> !held.contains(r.head()) && !held.contains(r.tail())).toList();
    }

    private static void writeTriples(Path file, List<TripleFile.Row> rows) {
        StringBuilder b = new StringBuilder();
        rows.forEach(r -> b.append(r.head()).append('\t').append(r.relation()).append('\t').append(r.tail()).append('\n'));
        AtomicFiles.writeString(file, b.toString());
    }
}
