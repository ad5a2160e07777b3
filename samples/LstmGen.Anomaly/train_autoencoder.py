"""Trains the anomaly sample's LSTM autoencoder on El Nino sea surface temperatures and exports it for LstmGen.

The autoencoder reads a window of 12 months and reconstructs it through a small bottleneck:
  nn.LSTM(1 -> 8) (its last state) -> RepeatVector(12) -> nn.LSTM(8 -> 16) -> TimeDistributed(nn.Linear(16 -> 1))
(RepeatVector and TimeDistributed are tools/pytorch/lstmgen_export.py's modules: Keras layers LstmGen compiles.)
Inputs are (sst - MEAN) / SCALE, the training months' mean and standard deviation. It learns the windows of
1950-1979 (every 12-month window inside those years), the seasonal cycle and its usual variation; a window
unlike them reconstructs badly. The threshold is the largest reconstruction error (mean squared, in scaled
units) of a training window: no training window is flagged, and the sample flags the windows above it.

Writes (next to this script):
  Models/autoencoder.json        the model in LstmGen's weights format (compiled into the sample)
  Models/autoencoder.check.json  MEAN, SCALE, the window length, the split, the threshold, and PyTorch's
                                 reconstruction of every window of the series (the sample compares its
                                 PredictBatch output with it; exit code 1 on a mismatch)

Run with Debian's python3-torch, single threaded, deterministic (a few minutes on 2 shared cores):
  /usr/bin/python3 samples/LstmGen.Anomaly/train_autoencoder.py
"""
import csv
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

SEED = 3
WINDOW = 12
CODE = 8
UNITS = 16
TRAIN_MONTHS = 360  # 1950-01 .. 1979-12
STEPS = 1500
LEARNING_RATE = 0.01

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "pytorch"))
import lstmgen_export  # noqa: E402
from lstmgen_export import RepeatVector, TimeDistributed  # noqa: E402


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.LSTM(1, CODE, batch_first=True)
        self.repeat = RepeatVector(WINDOW)
        self.decoder = nn.LSTM(CODE, UNITS, batch_first=True)
        self.output = TimeDistributed(nn.Linear(UNITS, 1))

    def forward(self, x):  # (batch, WINDOW, 1) -> (batch, WINDOW, 1)
        _, (h_n, _) = self.encoder(x)
        sequence, _ = self.decoder(self.repeat(h_n[-1]))
        return self.output(sequence)


def read_series():
    with open(os.path.join(HERE, "Data", "elnino.csv")) as f:
        return np.array([float(r["sst"]) for r in csv.DictReader(line for line in f if not line.startswith("#"))])


def windows(z):
    return np.stack([z[i:i + WINDOW] for i in range(len(z) - WINDOW + 1)])[:, :, None].astype(np.float32)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    sst = read_series()
    mean, scale = float(np.float32(sst[:TRAIN_MONTHS].mean())), float(np.float32(sst[:TRAIN_MONTHS].std()))
    z = ((sst - mean) / scale).astype(np.float32)
    train = torch.from_numpy(windows(z[:TRAIN_MONTHS]))
    every = torch.from_numpy(windows(z))

    model = Autoencoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, STEPS)
    started = time.time()
    for step in range(STEPS):
        loss = nn.functional.mse_loss(model(train), train)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        if step % 250 == 0 or step == STEPS - 1:
            print("step %4d  training MSE %.4f  (%.0f s)" % (step, loss.item(), time.time() - started))

    model.eval()
    with torch.no_grad():
        reconstructed = model(every)
    errors = ((reconstructed - every) ** 2).mean(dim=(1, 2)).numpy()
    train_windows = len(train)
    threshold = float(np.float32(errors[:train_windows].max()))
    flagged = np.nonzero(errors > threshold)[0]
    print("threshold %.4f (largest training-window error; 99th percentile %.4f)"
          % (threshold, np.percentile(errors[:train_windows], 99)))
    print("%d of %d windows flagged; first months of the flagged windows: %s"
          % (len(flagged), len(errors), ", ".join("%d-%02d" % (1950 + i // 12, i % 12 + 1) for i in flagged)))

    models = os.path.join(HERE, "Models")
    os.makedirs(models, exist_ok=True)
    modules = [model.encoder, model.repeat, model.decoder, model.output]
    path = os.path.join(models, "autoencoder.json")
    lstmgen_export.export(path, modules, timesteps=WINDOW, head="sequence", name="sst_autoencoder",
                          exported_by="samples/LstmGen.Anomaly/train_autoencoder.py via tools/pytorch/lstmgen_export.py")
    check = lstmgen_export.self_check(path, modules, head="sequence", timesteps=WINDOW)
    print("export self-check:", "OK" if check.ok else "MISMATCH", "max |difference| %.2e" % check.max_abs_difference)
    with open(os.path.join(models, "autoencoder.check.json"), "w") as f:
        json.dump({"mean": mean, "scale": scale, "window": WINDOW, "train_months": TRAIN_MONTHS,
                   "threshold": threshold,
                   "reconstructions": np.asarray(reconstructed, np.float32).reshape(-1).tolist()}, f)
        f.write("\n")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
