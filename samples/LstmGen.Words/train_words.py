"""Trains the text sample's character model on the wamerican word list and exports it for LstmGen and ONNX.

The model reads a stream of words one character at a time (token 0 ends a word, 1..26 are a..z) and after each
character gives the logits of the next one:
  nn.Embedding(27, 16) -> nn.LSTM(16 -> 64) -> nn.Linear(64 -> 27), on every timestep (head="sequence").
Data: the 63,875 words of /usr/share/dict/words (Debian's wamerican) made only of the letters a-z, shuffled
with a fixed seed; 95% for training, 5% held out to report the loss on. Training reads random crops of 48
characters of the training stream (words separated by token 0) from the zero state.

Writes (next to this script):
  Models/words.json        the model in LstmGen's weights format (compiled into the sample at build time)
  Models/words.onnx        one step of the same model for ONNX Runtime: (id, h, c) -> (logits, h, c)
  Models/words.check.json  PyTorch's logits after each of the first 300 tokens of the held-out stream, and the
                           letter frequencies of the training words (the sample plots them)

Run with Debian's python3-torch and python3-onnx, single threaded, deterministic (a few minutes on 2 cores):
  /usr/bin/python3 samples/LstmGen.Words/train_words.py
"""
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch
from torch import nn

SEED = 11
EMBEDDING = 16
UNITS = 64
CROP = 48
BATCH = 32
STEPS = 1500
LEARNING_RATE = 0.005
CHECK_TOKENS = 300
WORDS = "/usr/share/dict/words"

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "Models")
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "pytorch"))
import lstmgen_export  # noqa: E402


class WordModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(27, EMBEDDING)
        self.lstm = nn.LSTM(EMBEDDING, UNITS, batch_first=True)
        self.linear = nn.Linear(UNITS, 27)

    def forward(self, ids, state=None):  # (batch, T) int64 -> (batch, T, 27) logits
        sequence, state = self.lstm(self.embedding(ids), state)
        return self.linear(sequence), state


class OneStep(nn.Module):
    """The model for ONNX Runtime: one token and the state in, the logits and the new state out."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids, h, c):  # ids (1, 1) int64, h and c (1, 1, UNITS)
        logits, (h, c) = self.model(ids, (h, c))
        return logits[:, 0, :], h, c


def stream(words):
    ids = []
    for w in words:
        ids.extend(ord(ch) - ord("a") + 1 for ch in w)
        ids.append(0)
    return np.array(ids, dtype=np.int64)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)
    with open(WORDS) as f:
        words = [w.strip() for w in f if re.fullmatch(r"[a-z]+", w.strip())]
    rng.shuffle(words)
    held = len(words) // 20
    train, valid = stream(words[held:]), stream(words[:held])
    print("%d words: %d training characters, %d held out" % (len(words), len(train), len(valid)))

    model = WordModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, STEPS)
    started = time.time()
    for step in range(STEPS):
        starts = rng.integers(0, len(train) - CROP - 1, size=BATCH)
        batch = torch.from_numpy(np.stack([train[s:s + CROP + 1] for s in starts]))
        logits, _ = model(batch[:, :-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, 27), batch[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        if step % 250 == 0 or step == STEPS - 1:
            print("step %4d  train %.3f bits/char  (%.0f s)" % (step, loss.item() / math.log(2), time.time() - started))

    model.eval()
    with torch.no_grad():
        logits, _ = model(torch.from_numpy(valid[None, :-1]))
        held_loss = nn.functional.cross_entropy(logits[0], torch.from_numpy(valid[1:])).item() / math.log(2)
        check_logits, _ = model(torch.from_numpy(valid[None, :CHECK_TOKENS]))
    print("held-out loss: %.3f bits per character" % held_loss)

    os.makedirs(MODELS, exist_ok=True)
    layers = [model.embedding, model.lstm, model.linear]
    path = os.path.join(MODELS, "words.json")
    lstmgen_export.export(path, layers, head="sequence", name="word_model",
                          exported_by="samples/LstmGen.Words/train_words.py via tools/pytorch/lstmgen_export.py")
    check = lstmgen_export.self_check(path, layers, head="sequence")
    print("export self-check:", "OK" if check.ok else "MISMATCH", "max |difference| %.2e" % check.max_abs_difference)

    step = OneStep(model).eval()
    zeros = torch.zeros(1, 1, UNITS)
    torch.onnx.export(step, (torch.zeros(1, 1, dtype=torch.int64), zeros, zeros), os.path.join(MODELS, "words.onnx"),
                      input_names=["id", "h", "c"], output_names=["logits", "h_out", "c_out"], opset_version=14)

    letters = np.bincount(train, minlength=27)[1:].astype(np.float64)
    with open(os.path.join(MODELS, "words.check.json"), "w") as f:
        json.dump({"words": len(words), "held_out_bits_per_char": round(held_loss, 3),
                   "ids": valid[:CHECK_TOKENS].tolist(),
                   "logits": np.asarray(check_logits[0], np.float32).reshape(-1).tolist(),
                   "letter_frequencies": (letters / letters.sum()).round(6).tolist()}, f)
        f.write("\n")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
