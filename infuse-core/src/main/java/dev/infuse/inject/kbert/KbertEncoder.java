package dev.infuse.inject.kbert;

import dev.infuse.text.Encoding;
import dev.infuse.text.MentionMatcher;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * K-BERT's input side: text in, the sentence tree's tokens, soft positions and visible matrix out. Tasks take it
 * through {@code task.RowEncoder.kbert} as they take the plain encoder, because the encoding's offsets still
 * point into the text as given and inserted tokens have none (see {@link SentenceTree}); this package does not
 * depend on the task layer.
 *
 * <p>Steps per text: tokenize; link the graph's subjects ({@link KnowledgeGraph#matcher}); map each match
 * onto the sentence tokens it overlaps (a match that shares a token with the previous one, or lies on no
 * token, is skipped); pick at most {@code --kg-branches} branches per subject ({@link KnowledgeGraph#choose});
 * spell each branch as the word pieces of its predicate then its object, without specials; build the tree,
 * cut to {@code maxLen}.
 *
 * <p>It counts what it did (texts, linked subjects, branches, [UNK] pieces, truncation) so a run can say
 * whether the graph reached the data at all: {@link #report} gives the summary and the warnings, then starts
 * counting afresh.
 */
public final class KbertEncoder {
    /** Above this share of [UNK] among a graph's branch pieces, the model's vocabulary is said not to fit. */
    public static final double UNK_WARNING = 0.05;

    private final Tokenizer tok;
    private final KnowledgeGraph graph;
    private final KbertOptions options;
    private final int maxLen;
    private final int unkId;
    private final Map<KnowledgeGraph.Branch, int[]> pieces = new ConcurrentHashMap<>();
    private final Counts counts = new Counts();
    private double[] graphUnk;
    private boolean unkWarned;

    public KbertEncoder(Tokenizer tok, KnowledgeGraph graph, KbertOptions options, int maxLen) {
        this.tok = tok;
        this.graph = graph;
        this.options = options;
        this.maxLen = maxLen;
        int unk = tok.tokenToId("[UNK]");
        this.unkId = unk >= 0 ? unk : tok.tokenToId("<unk>");
    }

    public KnowledgeGraph graph() {
        return graph;
    }

    public KbertOptions options() {
        return options;
    }

    public Tokenizer tokenizer() {
        return tok;
    }

    /** The row length trees are cut to. */
    public int maxLen() {
        return maxLen;
    }

    /** The whole tree of {@code text}, with what was inserted and cut; counted in {@link #report}. */
    public SentenceTree.Tree tree(String text) {
        return tree(text, tok.encode(text));
    }

    /**
     * The tree of {@code text} built over {@code e}, an encoding of it whose offsets point into {@code text}
     * (another plug-in's, with tokens of its own that have no offsets: those are never part of a subject).
     */
    public SentenceTree.Tree tree(String text, Encoding e) {
        List<SentenceTree.Anchor> anchors = new ArrayList<>();
        int previous = 0; // [CLS]
        for (MentionMatcher.Match m : graph.matcher().findAll(text)) {
            if (m.ambiguous()) {
                continue;
            }
            int first = -1;
            int last = -1;
            for (int p = 0; p < e.size(); p++) {
                if (!e.special()[p] && e.starts()[p] >= 0 && e.starts()[p] < m.end() && e.ends()[p] > m.start()) {
                    first = first < 0 ? p : first;
                    last = p;
                }
            }
            if (first <= previous) { // no token of its own (or none at all)
                continue;
            }
            List<int[]> branches = new ArrayList<>();
            for (KnowledgeGraph.Branch b : graph.choose(m.entity(), options.branches(), options.seed())) {
                branches.add(pieces.computeIfAbsent(b, this::spell));
            }
            anchors.add(new SentenceTree.Anchor(first, last, branches));
            previous = last;
        }
        SentenceTree.Tree t = SentenceTree.build(e, anchors, maxLen, options.visibleMatrix());
        counts.add(anchors.size(), t, unkIn(t));
        return t;
    }

    /** A branch's word pieces: the predicate's, then the object's, without [CLS] and [SEP]. */
    private int[] spell(KnowledgeGraph.Branch b) {
        List<Integer> out = new ArrayList<>();
        for (String part : List.of(b.predicate(), b.object())) {
            Encoding e = tok.encode(part);
            for (int p = 0; p < e.size(); p++) {
                if (!e.special()[p]) {
                    out.add(e.ids()[p]);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int unkIn(SentenceTree.Tree t) {
        int n = 0;
        for (int i = 0; i < t.inserted().length; i++) {
            if (t.inserted()[i] && t.encoding().ids()[i] == unkId) {
                n++;
            }
        }
        return n;
    }

    /**
     * The share of [UNK] among the word pieces of every distinct branch of the graph, as {@code {unk, pieces}}:
     * how well this model's vocabulary spells the graph, whether or not the data links it. Computed once.
     */
    public synchronized double[] graphUnk() {
        if (graphUnk == null) {
            long unk = 0;
            long all = 0;
            for (List<KnowledgeGraph.Branch> bs : graph.bySubject().values()) {
                for (KnowledgeGraph.Branch b : bs) {
                    for (int id : pieces.computeIfAbsent(b, this::spell)) {
                        all++;
                        unk += id == unkId ? 1 : 0;
                    }
                }
            }
            graphUnk = new double[] {unk, all};
        }
        return graphUnk.clone();
    }

    /**
     * One summary line for the texts encoded since the last report ({@code what} names them, e.g. "training"),
     * then warnings: no subject linked at all; the vocabulary spells more than {@link #UNK_WARNING} of the
     * graph's pieces as [UNK] (said in the first report only). Counting starts afresh.
     */
    public synchronized List<String> report(String what) {
        Counts c = counts.takeAndReset();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "infuse: kbert: graph %s (%d subjects, %d triples, %d branches a subject, visible matrix %s); "
                        + "%s: %d of %d texts link a subject (%d subjects), %d branches inserted (%d tokens, %d [UNK])%s",
                graph.source(), graph.subjects(), graph.triples(), options.branches(), options.visibleMatrix() ? "on" : "off", what,
                c.textsLinked, c.texts, c.subjects, c.branches, c.tokens, c.unk,
                c.cutTexts == 0 ? "" : String.format(Locale.ROOT, "; to fit %d tokens, %d texts lost %d branches (%d tokens) and %d sentence tokens",
                        maxLen, c.cutTexts, c.droppedBranches, c.droppedTokens, c.sentenceTokens)));
        if (c.texts > 0 && c.subjects == 0) {
            out.add(String.format(Locale.ROOT, "infuse: warning: kbert: none of the graph's %d subjects occurs in the %d %s texts, "
                    + "so the graph adds nothing (subjects are matched case-sensitively at word boundaries)", graph.subjects(), c.texts, what));
        }
        double[] u = graphUnk();
        if (u[1] > 0 && u[0] / u[1] > UNK_WARNING && !unkWarned) { // a property of model and graph: said once
            unkWarned = true;
            out.add(String.format(Locale.ROOT, "infuse: warning: kbert: %.1f%% of the graph's branch word pieces are [UNK] for this model's "
                    + "vocabulary (%d of %d); a model whose vocabulary spells the graph's language would see its knowledge",
                    100 * u[0] / u[1], (long) u[0], (long) u[1]));
        }
        return out;
    }

    /** Running totals; synchronized because feature extraction may encode from more than one thread. */
    private static final class Counts {
        long texts;
        long textsLinked;
        long subjects;
        long branches;
        long tokens;
        long unk;
        long cutTexts;
        long droppedBranches;
        long droppedTokens;
        long sentenceTokens;

        synchronized void add(int linked, SentenceTree.Tree t, int unkTokens) {
            texts++;
            textsLinked += linked > 0 ? 1 : 0;
            subjects += linked;
            branches += t.branches();
            tokens += t.insertedTokens();
            unk += unkTokens;
            if (t.cut().any()) {
                cutTexts++;
                droppedBranches += t.cut().branches();
                droppedTokens += t.cut().branchTokens();
                sentenceTokens += t.cut().sentenceTokens();
            }
        }

        synchronized Counts takeAndReset() {
            Counts c = new Counts();
            c.texts = texts;
            c.textsLinked = textsLinked;
            c.subjects = subjects;
            c.branches = branches;
            c.tokens = tokens;
            c.unk = unk;
            c.cutTexts = cutTexts;
            c.droppedBranches = droppedBranches;
            c.droppedTokens = droppedTokens;
            c.sentenceTokens = sentenceTokens;
            texts = textsLinked = subjects = branches = tokens = unk = cutTexts = droppedBranches = droppedTokens = sentenceTokens = 0;
            return c;
        }
    }
}
