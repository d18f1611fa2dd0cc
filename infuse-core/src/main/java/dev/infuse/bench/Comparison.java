package dev.infuse.bench;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.task.Labels;
import dev.infuse.task.Scores;
import dev.infuse.task.TaskSet;
import dev.infuse.task.ner.DictionaryBaseline;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.probe.ProbeItem;
import dev.infuse.task.probe.ProbeSample;
import dev.infuse.task.typing.TypingExample;
import dev.infuse.task.typing.TypingSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code infuse bench --domain DIR}: every method, then every task, under one budget and one seed list,
 * into one report. Work is kept per cell (method x task) in {@code cells/}, so a killed comparison
 * continues with the first cell it had not finished.
 *
 * @param seeds the seed list; tasks train one head per seed, injection runs once with the first seed
 *     unless {@code reseedInjection}, when each seed gets its own injected model
 */
public record Comparison(String model, Path domain, TaskFiles files, List<String> methods, List<String> tasks, List<Long> seeds,
        boolean reseedInjection, Budget budget, Path outputDir, String command) {

    public Comparison {
        Injection.check(methods);
        files.check(tasks);
        if (methods.isEmpty() || tasks.isEmpty() || seeds.isEmpty()) {
            throw new InfuseException("--methods, --tasks and --seeds must each name at least one");
        }
        if (budget.adapterSteps() > 0) { // refused here, not after the method's injection has run (it was, in its first cell)
            String cell = dev.infuse.bench.methods.InjectionMethods.transferAdapter().name();
            for (String m : methods) {
                if (List.of(m.split("\\+")).contains(cell)) {
                    throw new InfuseException("--methods " + m + " with --transfer adapter: the method's " + cell + " and the " + cell
                            + " each task cell trains would be two of one kind on one model; compare " + m + " with --transfer top, "
                            + "or give the method another adapter (houlsby, pfeiffer)");
                }
            }
        }
    }

    public void run(PrintStream log) {
        DomainBundle.open(domain); // a broken bundle fails here, before any model loads
        try (ComparisonDir dir = ComparisonDir.open(outputDir, settings(), log)) {
            runIn(log);
            dir.finish();
        }
    }

    /** What every cell's numbers depend on besides its method and task: a rerun into the same directory must agree on all of it. */
    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("domain", domain.toAbsolutePath().normalize());
        m.put("task-files", files.dir().toAbsolutePath().normalize());
        m.put("seeds", seeds);
        m.put("reseed-injection", reseedInjection);
        m.put("precision", dev.infuse.engine.Engines.precision().name().toLowerCase(java.util.Locale.ROOT));
        for (java.lang.reflect.RecordComponent c : Budget.class.getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(budget));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    private void runIn(PrintStream log) {
        Path sample = outputDir.resolve("probes.sample.jsonl");
        List<ProbeItem> probes = tasks.contains("probe") ? ProbeSample.every(files.probes(), budget.probeSample()) : List.of();
        if (tasks.contains("probe")) {
            ProbeSample.write(probes, sample);
        }
        Map<String, TaskSet[]> data = new LinkedHashMap<>();
        for (String t : tasks) {
            if (!t.equals("probe")) {
                data.put(t, new TaskSet[] {files.read(t, "train", budget.trainExamples()), files.read(t, "dev", budget.devExamples()),
                        files.read(t, "test", budget.testExamples())});
            }
        }
        List<Measurement> results = new ArrayList<>(baselines(data));
        List<MethodCost> costs = new ArrayList<>();
        Set<String> entities = peltEntities(probes, data);
        for (String method : methods) {
            double inject = 0;
            double taskSeconds = 0;
            for (List<Long> group : seedGroups()) {
                String name = Injection.dirName(method) + (reseedInjection ? "-s" + group.get(0) : "");
                Injection.Injected in = Injection.run(method, model, domain, budget, group.get(0), entities,
                        outputDir.resolve("methods").resolve(name), outputDir.resolve("methods").resolve("zeo-vectors.zeo"), files.dir(), log);
                inject += in.seconds();
                for (String task : tasks) {
                    Cell c = cell(name, task, () -> task.equals("probe")
                            ? TaskRunner.probe(method, in, sample, budget, group.get(0))
                            : budget.adapterSteps() > 0
                                    ? TaskRunner.adapterCells(method, task, in, data.get(task)[0], data.get(task)[1], data.get(task)[2],
                                            files.split(task, "train"), files.split(task, "dev"), budget, group,
                                            outputDir.resolve("methods").resolve(name).resolve("transfer-" + task))
                                    : TaskRunner.classify(method, task, in, data.get(task)[0], data.get(task)[1], data.get(task)[2], budget, group), log);
                    results.addAll(c.measurements());
                    taskSeconds += c.seconds();
                }
            }
            costs.add(new MethodCost(method, inject, taskSeconds));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model", model);
        settings.put("domain", domain.toString());
        settings.put("task files", files.dir().toString());
        settings.put("seeds", seeds + (reseedInjection ? " (each seed injects again)" : " (heads per seed; injection once, seed " + seeds.get(0) + ")"));
        settings.putAll(budget.describe());
        settings.put("machine", Runtime.getRuntime().availableProcessors() + " cores, engine threads " + dev.infuse.engine.Engines.threads());
        settings.put("baselines", "majority: the most common training type for every test mention; dictionary: every training "
                + "entity name tagged with its training type (same training subset)");
        ComparisonReport.write(outputDir, "infuse bench: " + domain, command, settings, Map.of("probe", "p@1", "typing", "accuracy", "ner", "f1"),
                results, costs);
        Provenance p = Provenance.of("comparison").input("model", model).input("domain", domain.toString()).input("tasks", files.dir().toString());
        settings.forEach(p::setting);
        p.setting("methods", methods).setting("seeds", seeds);
        p.write(outputDir.resolve("provenance.json"));
    }

    private List<List<Long>> seedGroups() {
        return reseedInjection ? seeds.stream().map(List::of).toList() : List.of(seeds);
    }

    /** Majority class for typing and the dictionary tagger for NER, on the same training subsets. */
    private List<Measurement> baselines(Map<String, TaskSet[]> data) {
        List<Measurement> out = new ArrayList<>();
        TaskSet[] t = data.get("typing");
        if (t != null) {
            Labels labels = new Labels(t[0].labelsInOrder());
            Map<String, Integer> counts = new HashMap<>();
            ((TypingSet) t[0]).examples().forEach(x -> counts.merge(x.label(), 1, Integer::sum));
            String top = counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow().getKey();
            List<int[]> predicted = new ArrayList<>();
            for (int i = 0; i < t[2].size(); i++) {
                predicted.add(new int[] {labels.id(top)});
            }
            TaskRunner.add(out, "majority", "typing", t[2].score(predicted, labels), seeds.get(0));
        }
        TaskSet[] n = data.get("ner");
        if (n != null) {
            Scores s = DictionaryBaseline.train(((NerSet) n[0]).sentences()).score((NerSet) n[2]);
            TaskRunner.add(out, "dictionary", "ner", s, seeds.get(0));
        }
        return out;
    }

    /** The entities the probes and typing examples name: all of them, or only those marked rare. */
    private Set<String> peltEntities(List<ProbeItem> probes, Map<String, TaskSet[]> data) {
        Set<String> ids = new TreeSet<>();
        for (ProbeItem p : probes) {
            if (!p.entity().isEmpty() && (!budget.peltRareOnly() || p.bucket().equals("rare"))) {
                ids.add(p.entity());
            }
        }
        TaskSet[] typing = data.get("typing");
        if (typing != null) {
            for (TaskSet s : typing) {
                for (TypingExample x : ((TypingSet) s).examples()) {
                    if (x.entity() != null && (!budget.peltRareOnly() || "rare".equals(x.bucket()))) {
                        ids.add(x.entity());
                    }
                }
            }
        }
        if (methods.contains("pelt") && ids.isEmpty()) {
            throw new InfuseException("pelt needs entity ids in the probe or typing files (field \"entity\""
                    + (budget.peltRareOnly() ? " with \"bucket\":\"rare\"" : "") + ")");
        }
        return ids;
    }

    private record Cell(List<Measurement> measurements, double seconds) {}

    private interface Work {
        List<Measurement> run();
    }

    /** A finished cell is read back from {@code cells/}; otherwise it runs and is saved before the next starts. */
    private Cell cell(String method, String task, Work work, PrintStream log) {
        Path file = outputDir.resolve("cells").resolve(method).resolve(task + ".json");
        if (Files.exists(file)) {
            try {
                JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                List<Measurement> ms = new ArrayList<>();
                for (JsonElement e : o.getAsJsonArray("measurements")) {
                    ms.add(new Gson().fromJson(e, Measurement.class));
                }
                log.println("infuse bench: " + method + " / " + task + " done before, reusing " + file);
                return new Cell(ms, o.get("seconds").getAsDouble());
            } catch (IOException | RuntimeException e) {
                throw new InfuseException("cannot read " + file + ": " + e.getMessage() + "; delete it to run the cell again");
            }
        }
        log.println("infuse bench: " + method + " / " + task);
        long t0 = System.nanoTime();
        List<Measurement> ms = work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonObject o = new JsonObject();
        o.addProperty("seconds", seconds);
        JsonArray a = new JsonArray();
        ms.forEach(m -> a.add(new Gson().toJsonTree(m)));
        o.add("measurements", a);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new InfuseException("cannot create " + file.getParent() + ": " + e.getMessage());
        }
        AtomicFiles.writeString(file, o + "\n");
        return new Cell(ms, seconds);
    }
}
