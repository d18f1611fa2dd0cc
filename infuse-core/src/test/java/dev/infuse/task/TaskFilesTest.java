package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.ConllReader;
import dev.infuse.task.ner.NerSentence;
import dev.infuse.task.probe.LamaReader;
import dev.infuse.task.relation.RelationSet;
import dev.infuse.task.typing.TypingSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** Task files of the wrong format, cut short, empty spans, directories: each refused in one line that says what is wrong. */
class TaskFilesTest {
    @TempDir
    Path dir;

    static final String CONLL = "Unix\tB-os\nruns\tO\n\nLinux\tB-os\n";
    static final String CLASSIFY = "{\"text\":\"Unix runs\",\"label\":\"os\"}\n";

    private static String refusal(Executable read) {
        return assertThrows(InfuseException.class, read).getMessage();
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** A gzip of {@code text} cut in half. */
    private Path truncatedGzip(String name, String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.repeat(400).getBytes(StandardCharsets.UTF_8));
        }
        Path f = dir.resolve(name);
        Files.write(f, Arrays.copyOf(b.toByteArray(), b.size() / 2));
        return f;
    }

    @Test
    void jsonlGivenAsConllSaysItExpectsConll() throws IOException {
        Path f = write("train.jsonl", CLASSIFY);
        assertEquals(f + ": expects CoNLL (token<TAB>tag per line), but line 1 looks like JSON", refusal(() -> ConllReader.read(f)));
        Path spaced = write("typing.jsonl", "\n{\"text\": \"Unix runs\", \"start\": 0, \"end\": 4, \"label\": \"os\"}\n");
        assertEquals(spaced + ": expects CoNLL (token<TAB>tag per line), but line 2 looks like JSON",
                refusal(() -> ConllReader.read(spaced)));
    }

    @Test
    void bracketTokensAreStillCoNll() throws IOException {
        Path f = write("ok.conll", "[\tO\nUnix\tB-os\n]\tO\n{\tO\n");
        List<NerSentence> s = ConllReader.read(f);
        assertEquals(List.of("[", "Unix", "]", "{"), s.get(0).words());
    }

    @Test
    void conllGivenAsJsonlSaysItExpectsJsonl() throws IOException {
        Path f = write("train.conll", CONLL);
        String expected = f + ": expects jsonl (one JSON object per line), but line 1 looks like CoNLL (token<TAB>tag)";
        assertEquals(expected, refusal(() -> ClassifySet.read(f)));
        assertEquals(expected, refusal(() -> TypingSet.read(f)));
        assertEquals(expected, refusal(() -> RelationSet.read(f)));
        assertEquals(expected, refusal(() -> LamaReader.read(f)));
        Path spaces = write("conll03.txt", "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\n");
        assertEquals(spaces + ": expects jsonl (one JSON object per line), but line 1 looks like CoNLL (token<TAB>tag)",
                refusal(() -> ClassifySet.read(spaces)));
    }

    @Test
    void truncatedGzipTaskFilesNameTheFile() throws IOException {
        String cut = ": truncated gzip stream (unexpected end of file)";
        Path jsonl = truncatedGzip("train.jsonl.gz", CLASSIFY);
        assertEquals(jsonl + cut, refusal(() -> ClassifySet.read(jsonl)));
        Path conll = truncatedGzip("train.conll.gz", CONLL + "\n");
        assertEquals(conll + cut, refusal(() -> ConllReader.read(conll)));
        Path probes = truncatedGzip("probes.jsonl.gz",
                "{\"sub_label\":\"Unix\",\"obj_label\":\"os\",\"masked_sentences\":[\"Unix is an [MASK] .\"]}\n");
        assertEquals(probes + cut, refusal(() -> LamaReader.read(probes)));
    }

    @Test
    void aDirectoryGivenAsATaskFileIsOneLine() throws IOException {
        Path d = Files.createDirectories(dir.resolve("train.jsonl"));
        assertEquals(d + ": is a directory, expected a file", refusal(() -> TypingSet.read(d)));
        assertEquals(d + ": is a directory, expected a file", refusal(() -> ConllReader.read(d)));
        assertEquals(d + ": is a directory, expected a probe file", refusal(() -> LamaReader.read(d)));
    }

    @Test
    void aFractionalOffsetIsRefusedNotCutToAWholeOne() throws IOException {
        Path typing = write("half.jsonl", "{\"text\":\"Unix runs\",\"start\":0.5,\"end\":4,\"label\":\"os\"}\n");
        assertEquals(typing + ":1: \"start\" is 0.5, expected a whole number of characters", refusal(() -> TypingSet.read(typing)));
    }

    @Test
    void emptySpansAreCalledEmpty() throws IOException {
        Path typing = write("typing.jsonl", "{\"text\":\"Unix runs\",\"start\":4,\"end\":4,\"label\":\"os\"}\n");
        assertEquals(typing + ":1: span [4, 4) is empty, expected start < end", refusal(() -> TypingSet.read(typing)));
        Path outside = write("outside.jsonl", "{\"text\":\"Unix runs\",\"start\":4,\"end\":40,\"label\":\"os\"}\n");
        assertEquals(outside + ":1: span [4, 40) is not inside a text of 9 chars", refusal(() -> TypingSet.read(outside)));
        Path relation = write("rel.jsonl",
                "{\"token\":[\"Unix\",\"runs\",\"C\"],\"h\":{\"pos\":[0,1]},\"t\":{\"pos\":[2,2]},\"relation\":\"written_in\"}\n");
        assertEquals(relation + ":1: t pos [2, 2) is empty, expected start < end", refusal(() -> RelationSet.read(relation)));
    }

    @Test
    void aMalformedJsonLineQuotesOnlyTheParsersReason() throws IOException {
        Path f = write("bad.jsonl", CLASSIFY + "{\"text\":\"bad\n");
        assertEquals(f + ":2: not a JSON object (Unterminated string at line 1 column 13 path $.text)", refusal(() -> ClassifySet.read(f)));
    }
}
