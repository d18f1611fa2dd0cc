package dev.infuse.spark;

import dev.infuse.InfuseException;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** What every job shares: progress on the driver, one line for a failed job, and a fault point for retry tests. */
final class Jobs {
    /**
     * A comma-separated list of {@code stage:id} (for example {@code vectors:0}); the first attempt of each named task
     * fails, so tests can check that Spark's retry gives the same result. Never set in real runs.
     */
    static final String FAULTS = "spark.infuse.test.failFirstAttempt";

    private Jobs() {}

    /** Prints each stage's finished tasks on stderr, at most every 10 seconds, and when the stage ends. */
    static void progress(JavaSparkContext sc, String job) {
        sc.sc().addSparkListener(new SparkListener() {
            private int stageTasks;
            private int done;
            private long last;

            @Override
            public synchronized void onStageSubmitted(SparkListenerStageSubmitted e) {
                stageTasks = e.stageInfo().numTasks();
                done = 0;
                last = System.nanoTime();
            }

            @Override
            public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
                done++;
                if (System.nanoTime() - last > 10e9) {
                    System.err.printf("%s: %d/%d tasks of stage %d%n", job, done, stageTasks, e.stageId());
                    last = System.nanoTime();
                }
            }

            @Override
            public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
                System.err.printf("%s: stage %d (%s) done, %d tasks%n", job, e.stageInfo().stageId(), e.stageInfo().name().split(" at ")[0],
                        e.stageInfo().numTasks());
            }
        });
    }

    /**
     * Parses one input line; a malformed line is a user error naming the file, the input split and the line's
     * place in it (a split's line numbers are its own: Spark does not know the file's).
     */
    static <T> T parse(String file, int split, long line, String text, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InfuseException(file + ", input split " + split + ", line " + line + " of the split: " + e.getMessage());
        }
    }

    /** Fails the first attempt of this task when the test setting names it. */
    static void faultPoint(String stage, int id) {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        if (task == null || env == null || task.attemptNumber() > 0) {
            return;
        }
        String faults = env.conf().get(FAULTS, "");
        for (String f : faults.split(",")) {
            if (f.equals(stage + ":" + id)) {
                throw new IllegalStateException("fault injected by " + FAULTS + " into the first attempt of " + f);
            }
        }
    }

    /**
     * A failed Spark job as one line: the user error an executor raised (its message survives only as text in
     * Spark's report), or Spark's own first line.
     */
    static RuntimeException failure(Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (!(e instanceof SparkException)) {
            return new IllegalStateException(e);
        }
        String text = String.valueOf(e.getMessage());
        String marker = InfuseException.class.getName() + ": ";
        int at = text.indexOf(marker);
        if (at >= 0) {
            String rest = text.substring(at + marker.length());
            return new InfuseException(rest.lines().findFirst().orElse(rest));
        }
        return new InfuseException("the Spark job failed: " + text.lines().findFirst().orElse(text));
    }
}
