#!/usr/bin/env python3
"""Checks a fine-tuned NER model written by infuse from the Python side, without infuse's code.

It loads MODEL_DIR the way transformers' BertForTokenClassification does (config.json, the bert.* and
classifier.* tensors of model.safetensors, id2label) into the plain PyTorch BERT of
../shared/anchors/torch_bert.py, computes each word's logits at its first word piece, and compares them
with the logits `infuse predict --jsonl --logits` wrote.

  infuse predict --model MODEL_DIR --input test.conll --jsonl --logits --output PRED.jsonl
  /usr/bin/python3 infuse-core/src/test/python/check_task_model.py MODEL_DIR PRED.jsonl

Needs torch and numpy (Debian: python3-torch python3-numpy). Exits 1 when a logit differs by more than
--tolerance (default 1e-4) or a label differs, 2 on a bad input.
"""
import argparse
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ANCHORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "anchors"))


def read_safetensors(path):
    """name -> float32 numpy array, read from the format's documented layout (u64 header length, JSON header, data)."""
    import numpy as np
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {t['dtype']}, this check reads F32 only")
        begin, end = t["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(t["shape"])
    return out


def bert(config, t, torch_bert, prefix="bert."):
    """The plain PyTorch BERT of torch_bert.py with the encoder tensors of t (name -> array) loaded by their HF names."""
    import torch
    if config.get("hidden_act") != "gelu":
        raise SystemExit(f"hidden_act {config.get('hidden_act')}; this check knows exact GELU only")
    model = torch_bert.BertMLM(vocab=config["vocab_size"], hidden=config["hidden_size"], layers=config["num_hidden_layers"],
                               heads=config["num_attention_heads"], inter=config["intermediate_size"],
                               max_pos=config["max_position_embeddings"], types=config["type_vocab_size"],
                               eps=config["layer_norm_eps"], gelu="none")

    def put(param, name):
        arr = t[name]
        if tuple(param.shape) != arr.shape:
            raise SystemExit(f"{name}: file shape {arr.shape}, model {tuple(param.shape)}")
        with torch.no_grad():
            param.copy_(torch.from_numpy(arr.copy()))

    def linear(mod, name):  # torch and safetensors both store Linear weights as (out, in)
        put(mod.weight, name + ".weight")
        put(mod.bias, name + ".bias")

    p = prefix
    put(model.word.weight, p + "embeddings.word_embeddings.weight")
    put(model.pos.weight, p + "embeddings.position_embeddings.weight")
    put(model.tok_type.weight, p + "embeddings.token_type_embeddings.weight")
    linear(model.emb_ln, p + "embeddings.LayerNorm")
    for i, layer in enumerate(model.layers):
        q = f"{p}encoder.layer.{i}."
        linear(layer.query, q + "attention.self.query")
        linear(layer.key, q + "attention.self.key")
        linear(layer.value, q + "attention.self.value")
        linear(layer.attn_out, q + "attention.output.dense")
        linear(layer.attn_ln, q + "attention.output.LayerNorm")
        linear(layer.inter, q + "intermediate.dense")
        linear(layer.out, q + "output.dense")
        linear(layer.out_ln, q + "output.LayerNorm")
    model.eval()
    return model


def classifier(t, hidden, labels, name="classifier"):
    import torch
    c = torch.nn.Linear(hidden, labels)
    with torch.no_grad():
        c.weight.copy_(torch.from_numpy(t[name + ".weight"].copy()))
        c.bias.copy_(torch.from_numpy(t[name + ".bias"].copy()))
    return c


def build(model_dir, torch_bert):
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    arch = config.get("architectures", ["?"])[0]
    if arch != "BertForTokenClassification":
        raise SystemExit(f"{model_dir}: config.json names {arch}; this check is for BertForTokenClassification")
    t = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    model = bert(config, t, torch_bert)
    id2label = {int(k): v for k, v in config["id2label"].items()}
    return model, classifier(t, config["hidden_size"], len(id2label)), id2label


def compare(model, head, id2label, tok, max_len, predictions, tolerance):
    """Each word's first-piece logits against what infuse predict --jsonl --logits wrote; returns the exit code."""
    import torch
    worst, words, sentences, label_mismatch, skipped = 0.0, 0, 0, 0, 0
    with open(predictions, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            o = json.loads(line)
            tokens, first = ["[CLS]"], []
            for w in o["words"]:
                pieces = tok.tokenize(w)
                first.append(len(tokens) if pieces and len(tokens) + 1 < max_len else None)
                tokens.extend(pieces)
            tokens = tokens[:max_len - 1] + ["[SEP]"]
            ids = torch.tensor([[tok.ids[t] for t in tokens]])
            with torch.no_grad():
                logits = head(model(ids))[0]
            for k, (at, theirs) in enumerate(zip(first, o["logits"])):
                if at is None or theirs is None:
                    if (at is None) != (theirs is None):
                        raise SystemExit(f"{predictions}:{n}: word {k} ({o['words'][k]!r}) is predicted on one side only")
                    skipped += 1
                    continue
                ours = logits[at]
                worst = max(worst, float((ours - torch.tensor(theirs)).abs().max()))
                if id2label[int(ours.argmax())] != o["labels"][k]:
                    label_mismatch += 1
                words += 1
            sentences += 1
    print(f"{sentences} sentences, {words} words compared ({skipped} cut by max_seq_length {max_len} on both sides): "
          f"max |logit difference| {worst:.3g}, labels that differ {label_mismatch}; torch {torch.__version__}")
    ok = worst <= tolerance and label_mismatch == 0
    print("OK" if ok else f"FAILED: tolerance {tolerance}")
    return 0 if ok else 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("predictions", help="jsonl from infuse predict --jsonl --logits")
    ap.add_argument("--anchors", default=DEFAULT_ANCHORS, help="the folder holding torch_bert.py")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args(argv)
    sys.path.insert(0, args.anchors)
    import torch
    import torch_bert
    torch.set_num_threads(1)
    model, classifier, id2label = build(args.model_dir, torch_bert)
    tok = torch_bert.WordPieceTokenizer(os.path.join(args.model_dir, "vocab.txt"))
    with open(os.path.join(args.model_dir, "task.json"), encoding="utf-8") as f:
        max_len = json.load(f)["max_seq_length"]
    return compare(model, classifier, id2label, tok, max_len, args.predictions, args.tolerance)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
