#!/usr/bin/env python3
"""Checks a LoRA NER run written by infuse from the Python side, as a PEFT user would apply it, without infuse's code.

It reads RUN_DIR's adapter_config.json and adapter_model.safetensors (PEFT's names), loads the base model that
adapter_config.json names into the plain PyTorch BERT of ../shared/anchors/torch_bert.py, folds each LoRA into its
projection as W + (lora_alpha / r) * B @ A, puts the saved head (base_model.model.classifier.*) on top, and compares
each word's first-piece logits with the ones `infuse predict --jsonl --logits` wrote.

  infuse predict --model RUN_DIR --input test.conll --jsonl --logits --output PRED.jsonl
  /usr/bin/python3 infuse-core/src/test/python/check_lora.py RUN_DIR PRED.jsonl [--base BASE_DIR]

--base defaults to the directory of the base model's name: itself when it is a directory, else infuse's cache
(~/.cache/infuse/models/NAME, or $INFUSE_HOME/models/NAME). Needs torch and numpy. Exits 1 when a logit differs by
more than --tolerance (default 1e-4) or a label differs, 2 on a bad input.
"""
import argparse
import json
import os
import re
import sys

import check_task_model as common

LORA = re.compile(r"^base_model\.model\.bert\.encoder\.layer\.(\d+)\.(.+)\.lora_([AB])\.weight$")


def base_dir(name, given):
    if given:
        return given
    if os.path.isdir(name):
        return name
    home = os.environ.get("INFUSE_HOME", os.path.join(os.path.expanduser("~"), ".cache", "infuse"))
    return os.path.join(home, "models", name)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir")
    ap.add_argument("predictions", help="jsonl from infuse predict --jsonl --logits")
    ap.add_argument("--base", help="the base model's Hugging Face directory")
    ap.add_argument("--anchors", default=common.DEFAULT_ANCHORS, help="the folder holding torch_bert.py")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args(argv)
    sys.path.insert(0, args.anchors)
    import torch
    import torch_bert
    torch.set_num_threads(1)
    with open(os.path.join(args.run_dir, "adapter_config.json"), encoding="utf-8") as f:
        peft = json.load(f)
    if peft.get("peft_type") != "LORA":
        raise SystemExit(f"{args.run_dir}: peft_type {peft.get('peft_type')}; this check is for LORA")
    base = base_dir(peft["base_model_name_or_path"], args.base)
    with open(os.path.join(base, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    t = dict(common.read_safetensors(os.path.join(base, "model.safetensors")))
    adapter = common.read_safetensors(os.path.join(args.run_dir, "adapter_model.safetensors"))
    scale = peft["lora_alpha"] / peft["r"]
    pairs = {}
    for name, arr in adapter.items():
        m = LORA.match(name)
        if m:
            pairs.setdefault((int(m.group(1)), m.group(2)), {})[m.group(3)] = arr
    if not pairs:
        raise SystemExit(f"{args.run_dir}: adapter_model.safetensors holds no lora_A/lora_B pair under PEFT's names")
    for (layer, module), ab in sorted(pairs.items()):
        w = f"bert.encoder.layer.{layer}.{module}.weight"
        t[w] = t[w] + scale * (ab["B"] @ ab["A"])  # (out, r) @ (r, in): PEFT's merge
    model = common.bert(config, t, torch_bert)
    with open(os.path.join(args.run_dir, "task.json"), encoding="utf-8") as f:
        task = json.load(f)
    head = common.classifier(adapter, config["hidden_size"], len(task["labels"]), "base_model.model.classifier")
    id2label = dict(enumerate(task["labels"]))
    tok = torch_bert.WordPieceTokenizer(os.path.join(base, "vocab.txt"))
    print(f"{len(pairs)} LoRA pairs (r {peft['r']}, alpha {peft['lora_alpha']}, targets {peft['target_modules']}) folded into {base}")
    return common.compare(model, head, id2label, tok, task["max_seq_length"], args.predictions, args.tolerance)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
