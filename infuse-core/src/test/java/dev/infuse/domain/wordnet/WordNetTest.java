package dev.infuse.domain.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordNet 3.0 from Maven Central's data jar, and the import's three files. */
class WordNetTest {
    static WordNet wn;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        wn = WordNet.load();
    }

    @Test
    void supersensesAreTheLexicographerFilesOfEverySynsetOfTheBaseForms() {
        assertEquals(List.of("noun.artifact", "noun.person"), wn.supersenses("computer"));
        assertEquals(List.of("noun.artifact", "noun.person"), wn.supersenses("Computers"), "morphy strips the plural, case is ignored");
        assertEquals(List.of("goose"), wn.baseForms("geese", 'n'), "an exception list entry");
        assertEquals(List.of("run"), wn.baseForms("running", 'v'));
        assertEquals(List.of(), wn.supersenses("xqzzy"), "a word WordNet does not know has no sense to score");
        long lexnames = WordNet.POS.stream().flatMap(p -> java.util.stream.StreamSupport.stream(wn.synsets(p).spliterator(), false))
                .map(Synset::supersense).distinct().count();
        assertEquals(45, lexnames, "WordNet 3.0 uses all 45 lexicographer files");
    }

    @Test
    void wn18rrIdsAreNounAndVerbOffsetsWithGlosses() {
        Synset entity = wn.nounOrVerb("00001740");
        assertEquals(List.of("entity"), entity.lemmas());
        assertEquals("noun.Tops", entity.supersense());
        assertTrue(entity.definition().startsWith("that which is perceived or known"), entity.definition());
        Synset breathe = wn.synset('v', "00001740");
        assertEquals("draw air into, and expel out of, the lungs", breathe.definition());
        assertEquals(List.of("I can breathe better when the air is clean", "The patient is respiring"), breathe.examples());
    }

    @Test
    void theImportKeepsCommonWordsAndLeavesInstanceLinksOut() throws Exception {
        WordNetImport.Summary s = WordNetImport.write(wn, tmp);
        assertTrue(s.words() > 100_000 && s.synonymPairs() > 50_000 && s.hypernymPairs() > 100_000, s.toString());
        List<String> senses = Files.readAllLines(tmp.resolve(WordNetImport.SUPERSENSES));
        assertTrue(senses.contains("computer\tnoun.artifact,noun.person"));
        assertEquals(s.words(), senses.size());
        List<String> graph = Files.readAllLines(tmp.resolve(WordNetImport.GRAPH));
        assertTrue(graph.contains("computer\tis a\tmachine"), "a common noun's hypernym");
        assertTrue(graph.contains("car\tmeans\tauto"), "synonyms within a synset");
        // Paris is an instance of a national capital (@i) and Einstein of a physicist: names, not words
        assertTrue(wn.lookup("Paris", 'n').stream().anyMatch(x -> !x.instanceOf().isEmpty()), "WordNet holds the instance link");
        assertFalse(graph.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("paris\t")
                || l.toLowerCase(java.util.Locale.ROOT).startsWith("einstein\t")));
        assertFalse(senses.stream().anyMatch(l -> l.startsWith("Paris\t") || l.startsWith("paris\t")));
        List<String> relations = Files.readAllLines(tmp.resolve(WordNetImport.RELATIONS));
        assertEquals(s.synonymPairs() + s.hypernymPairs(), relations.size());
        assertTrue(relations.contains("computer\tmachine\thypernym"));
        assertTrue(relations.stream().noneMatch(l -> {
            String[] f = l.split("\t");
            return f[0].equals(f[1]);
        }), "no word is its own relation");
    }

    @Test
    void aMalformedFileIsOneErrorNamingFileAndLine() throws Exception {
        Files.writeString(tmp.resolve("lexnames"), "03\tnoun.Tops\t1\n");
        Files.writeString(tmp.resolve("data.noun"), "  licence header line\n00001740 03 n 01 entity 0 000 | a thing\n00001930 03 n zz oops\n");
        InfuseException e = assertThrows(InfuseException.class, () -> WordNet.load(tmp));
        assertTrue(e.getMessage().startsWith(tmp + "/data.noun:3: not a WordNet synset line"), e.getMessage());
        Files.writeString(tmp.resolve("data.noun"), "00001740 07 n 01 entity 0 000 | a thing\n");
        e = assertThrows(InfuseException.class, () -> WordNet.load(tmp));
        assertEquals(tmp + "/data.noun:1: lexicographer file 7 is not in lexnames", e.getMessage());
        Files.delete(tmp.resolve("data.noun"));
        e = assertThrows(InfuseException.class, () -> WordNet.load(tmp));
        assertEquals("WordNet directory " + tmp + " has no data.noun", e.getMessage());
    }
}
