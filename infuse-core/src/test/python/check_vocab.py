#!/usr/bin/env python3
"""Checks a model written by `infuse vocab extend` from the Python side, without infuse's code and without torch.

The WordPiece tokenizer of ../shared/anchors/torch_bert.py (the vocab.txt reader Python's slow BertTokenizer
behaves like) is taken from that file's source, so torch need not be installed. The check:

  * vocab.txt has config.json's vocab_size lines, and model.safetensors' word embeddings and MLM bias that many rows;
  * tokenizer.json's WordPiece vocabulary gives every vocab.txt line its line number as id;
  * every word of vocab_extension.json encodes, alone, to its own id, and its old pieces to the ids it lists;
  * optionally (--texts FILE, one text a line) every text encodes to the same ids with the extended vocab.txt as
    with infuse's ids given in that file (`text<TAB>id id id`).

With --base VOCAB_TXT and --words FILE (one surface a line) it also prints pieces per word of those surfaces before
and after, counting pre-tokens that hold a letter or digit, as infuse does.

  /usr/bin/python3 infuse-core/src/test/python/check_vocab.py MODEL_DIR [--base BASE/vocab.txt --words names.txt]

Exits 1 when a check fails, 2 on a bad input.
"""
import argparse
import ast
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ANCHORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "anchors"))


def tokenizer_class(anchors):
    """torch_bert.py's WordPieceTokenizer and the helpers it calls, executed alone (the module imports torch at its top)."""
    path = os.path.join(anchors, "torch_bert.py")
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    keep = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_is_"):
            keep.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == "WordPieceTokenizer":
            keep.append(node)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SPECIAL" for t in node.targets):
            keep.append(node)
    scope = {}
    exec("import unicodedata\n", scope)
    exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"), scope)
    return scope["WordPieceTokenizer"]


def safetensors_shapes(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return {k: v["shape"] for k, v in header.items() if k != "__metadata__"}


def pieces_per_word(tok, texts):
    words = pieces = 0
    for t in texts:
        for w in tok._basic(t):
            if any(c.isalnum() for c in w):
                words += 1
                pieces += len(tok._wordpiece(w))
    return words, pieces


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--anchors", default=DEFAULT_ANCHORS, help="the folder holding torch_bert.py")
    ap.add_argument("--base", help="the base model's vocab.txt, for --words")
    ap.add_argument("--words", help="surfaces (one a line) whose pieces per word to print before and after")
    args = ap.parse_args(argv)
    d = args.model_dir
    try:
        WordPieceTokenizer = tokenizer_class(args.anchors)
        tok = WordPieceTokenizer(os.path.join(d, "vocab.txt"))
        with open(os.path.join(d, "config.json"), encoding="utf-8") as f:
            config = json.load(f)
        with open(os.path.join(d, "tokenizer.json"), encoding="utf-8") as f:
            tj = json.load(f)
        with open(os.path.join(d, "vocab_extension.json"), encoding="utf-8") as f:
            ext = json.load(f)
        shapes = safetensors_shapes(os.path.join(d, "model.safetensors"))
    except (OSError, ValueError, KeyError) as e:
        print(f"check_vocab: cannot read {d}: {e}", file=sys.stderr)
        return 2
    failures = []
    v = len(tok.vocab)
    if config["vocab_size"] != v:
        failures.append(f"config.json vocab_size {config['vocab_size']}, vocab.txt {v} lines")
    for name in ("bert.embeddings.word_embeddings.weight", "cls.predictions.bias"):
        if shapes.get(name, [None])[0] != v:
            failures.append(f"{name} has shape {shapes.get(name)}, expected {v} rows")
    model_vocab = tj["model"]["vocab"]
    added = {a["content"]: a["id"] for a in tj.get("added_tokens", [])}
    for i, t in enumerate(tok.vocab):
        got = model_vocab.get(t, added.get(t))
        if got != i:
            failures.append(f"tokenizer.json gives {t!r} id {got}, vocab.txt line {i + 1}")
            break
    for w in ext["words"]:
        _, ids = tok.encode(w["word"])
        if ids != [tok.ids["[CLS]"], w["id"], tok.ids["[SEP]"]]:
            failures.append(f"{w['word']!r} encodes to {ids}, expected its id {w['id']} alone")
        if any(p not in tok.ids or tok.ids[p] >= ext["first_new_id"] for p in w["pieces"]):
            failures.append(f"{w['word']!r} lists pieces {w['pieces']} that are not old vocabulary entries")
    print(f"check_vocab: {d}: {v} tokens, {len(ext['words'])} added from id {ext['first_new_id']}; "
          + ("all checks hold" if not failures else f"{len(failures)} failed"))
    for f in failures[:20]:
        print("  " + f)
    if args.words:
        with open(args.words, encoding="utf-8") as f:
            texts = [line.rstrip("\n") for line in f if line.strip()]
        base = WordPieceTokenizer(args.base)
        bw, bp = pieces_per_word(base, texts)
        aw, ap_ = pieces_per_word(tok, texts)
        print(f"check_vocab: {args.words}: {len(texts)} surfaces, {bw} words; pieces per word {bp / bw:.4f} -> {ap_ / aw:.4f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
