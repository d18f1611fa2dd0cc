package dev.infuse.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.KnowledgeTypes;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Jsons;
import dev.infuse.io.Provenance;
import dev.infuse.io.RunLock;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.text.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A task model's directory. With its encoder: a Hugging Face task model ({@link HfTaskLayout}: encoder and
 * head in one {@code model.safetensors}, the label maps in {@code config.json}, the tokenizer). Without it (only
 * plug-in modules and the head trained, as with an adapter): {@code head.safetensors} and the plug-ins' files,
 * the encoder being the base model that {@code task.json} names. Either way {@code task.json} holds
 * {@code {"task","labels","transfer","max_seq_length","knowledge":[{"name",...}],"base_model"}}, plus a
 * {@code README.md} model card and {@code provenance.json}.
 */
final class TaskModelFiles {
    static final String HEAD_FILE = "head.safetensors";
    static final String CARD_FILE = "README.md";
    static final String TASK_FILE = "task.json";

    private TaskModelFiles() {}

    static void save(TaskModel m, Path dir, Provenance provenance, String baseModel, boolean withEncoder) {
        HfTaskLayout layout = HfTaskLayout.of(m.lm().model().config(), m.task(), m.transfer(), m.head().width());
        Map<String, HostTensor> headTensors = layout.headTensors(m.head().export());
        try {
            if (withEncoder) {
                m.lm().save(dir, provenance, headTensors, layout.configMembers(m.labels()));
                Files.deleteIfExists(dir.resolve(HEAD_FILE)); // a separate head from an earlier version would shadow this one
            } else {
                Safetensors.write(dir.resolve(HEAD_FILE), m.head().export());
                provenance.write(dir.resolve("provenance.json"));
            }
        } catch (IOException e) {
            throw new InfuseException("cannot remove " + dir.resolve(HEAD_FILE) + ": " + e.getMessage());
        }
        JsonArray knowledge = new JsonArray();
        Map<String, Object> notes = new LinkedHashMap<>();
        SaveContext context = new SaveContext(baseModel, m.task(), headTensors);
        for (Knowledge k : m.knowledge().plugins()) {
            JsonObject entry = k.save(dir, context);
            entry.addProperty("name", k.name());
            knowledge.add(entry);
            notes.put("Knowledge: " + k.name(), "trained with the " + k.name() + " plug-in (task.json, \"knowledge\"); plain transformers input"
                    + " lacks what it adds. `infuse predict --model DIR` applies it.");
        }
        AtomicFiles.writeString(dir.resolve(CARD_FILE), ModelCard.of(layout, m.labels(), provenance.toMap(), notes, withEncoder ? null : baseModel));
        JsonObject o = new JsonObject();
        o.addProperty("task", m.task());
        JsonArray labels = new JsonArray();
        m.labels().names().forEach(labels::add);
        o.add("labels", labels);
        o.addProperty("transfer", m.transfer().flag());
        o.addProperty("max_seq_length", m.maxSeqLength());
        if (!withEncoder) {
            o.addProperty("base_model", baseModel);
        }
        if (!knowledge.isEmpty()) {
            o.add("knowledge", knowledge);
        }
        AtomicFiles.writeString(dir.resolve(TASK_FILE), Jsons.pretty().toJson(o) + "\n");
    }

    static TaskModel load(Path dir, Map<String, UnaryOperator<JsonObject>> edits) {
        RunLock.requireFinished(dir, "a finished model");
        JsonObject o = taskFile(dir);
        List<String> names = new ArrayList<>();
        o.getAsJsonArray("labels").forEach(e -> names.add(e.getAsString()));
        String task = o.get("task").getAsString();
        Transfer transfer = Transfer.parse(o.get("transfer").getAsString());
        int maxSeqLength = o.get("max_seq_length").getAsInt();
        SavedTaskCheck.labels(dir, names);
        List<JsonObject> entries = knowledgeEntries(o, edits, dir.resolve(TASK_FILE));
        MaskedLm lm;
        Map<String, HostTensor> headTensors;
        if (o.has("base_model") && !Files.exists(dir.resolve("model.safetensors"))) { // only plug-ins and head trained
            lm = MaskedLm.load(o.get("base_model").getAsString());
            headTensors = readHead(dir, lm);
        } else if (Files.exists(dir.resolve(HEAD_FILE))) { // written before the head moved into model.safetensors
            lm = MaskedLm.load(dir.toString());
            headTensors = readHead(dir, lm);
        } else {
            BertConfig config = BertConfig.read(dir.resolve("config.json"));
            Path weights = Checkpoints.weightsFile(dir);
            Map<String, HostTensor> all = new LinkedHashMap<>(Safetensors.read(weights));
            HostTensor w = all.get(TaskHead.WEIGHT); // a head wider than the encoder was stored encoder-only (HfTaskLayout.of)
            int width = w == null ? config.hiddenSize() : (int) w.shape()[1] / Tasks.groups(task);
            headTensors = HfTaskLayout.of(config, task, transfer, width).takeHead(all, weights.toString());
            lm = new MaskedLm(BertModel.load(config, all, weights.toString()), Tokenizers.load(dir), dir.toString());
        }
        List<Knowledge> plugins = new ArrayList<>();
        TaskHead head = null;
        try {
            head = TaskHead.load(headTensors, transfer, Tasks.groups(task));
            SavedTaskCheck.head(dir, head.classes(), names.size());
            for (JsonObject e : entries) {
                String name = e.get("name").getAsString();
                plugins.add(KnowledgeTypes.get(name, dir.resolve(TASK_FILE).toString()).load(new LoadContext(dir, e, lm, maxSeqLength)));
            }
            return new TaskModel(lm, head, task, new Labels(names), transfer, maxSeqLength, new KnowledgeStack(plugins));
        } catch (RuntimeException e) {
            plugins.forEach(Knowledge::close);
            if (head != null) {
                head.close();
            }
            lm.close();
            throw e;
        }
    }

    private static Map<String, HostTensor> readHead(Path dir, MaskedLm lm) {
        try {
            return Safetensors.read(dir.resolve(HEAD_FILE));
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    /**
     * The plug-in entries of a task.json, in saved order, each passed through its edit. Files written before
     * plug-ins had a list of their own kept the table under {@code entity_table} and the graph under {@code kg}.
     */
    private static List<JsonObject> knowledgeEntries(JsonObject o, Map<String, UnaryOperator<JsonObject>> edits, Path where) {
        Map<String, JsonObject> saved = new LinkedHashMap<>();
        if (o.has("knowledge")) {
            for (JsonElement e : o.getAsJsonArray("knowledge")) {
                JsonObject entry = e.getAsJsonObject();
                if (!entry.has("name")) {
                    throw new InfuseException(where + ": a \"knowledge\" entry has no \"name\"");
                }
                saved.put(entry.get("name").getAsString(), entry);
            }
        }
        if (o.has("entity_table")) {
            JsonObject t = new JsonObject();
            t.addProperty("name", "pelt");
            t.addProperty("file", o.get("entity_table").getAsString());
            t.addProperty("norm", o.get("entity_norm").getAsFloat());
            if (o.has("entity_table_sha256")) {
                t.addProperty("sha256", o.get("entity_table_sha256").getAsString());
            }
            saved.put("pelt", t);
        }
        if (o.has("kg")) {
            JsonObject g = o.getAsJsonObject("kg").deepCopy();
            g.addProperty("name", "kbert");
            saved.put("kbert", g);
        }
        Map<String, JsonObject> out = new LinkedHashMap<>(saved);
        edits.forEach((name, edit) -> {
            JsonObject e = edit.apply(saved.get(name));
            if (e == null) {
                out.remove(name);
            } else {
                e.addProperty("name", name);
                out.put(name, e);
            }
        });
        return new ArrayList<>(out.values());
    }

    static String taskOf(Path dir) {
        return taskFile(dir).get("task").getAsString();
    }

    private static JsonObject taskFile(Path dir) {
        RunLock.requireFinished(dir, "a finished model");
        Path meta = dir.resolve(TASK_FILE);
        if (!Files.isRegularFile(meta)) {
            throw new InfuseException(dir + " is not a fine-tuned model (no " + TASK_FILE + "); run infuse finetune first");
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
            for (String key : List.of("task", "labels", "transfer", "max_seq_length")) {
                if (!o.has(key)) {
                    throw new InfuseException("no \"" + key + "\"");
                }
            }
            o.getAsJsonArray("labels").forEach(JsonElement::getAsString);
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + meta + ": " + e.getMessage());
        }
        String task = o.get("task").getAsString();
        if (!Tasks.known(task)) {
            throw new InfuseException(meta + " names task \"" + task + "\", which infuse does not know (expected one of "
                    + String.join(", ", Tasks.NAMES) + ")");
        }
        return o;
    }
}
