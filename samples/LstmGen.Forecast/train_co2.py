"""Trains the forecasting sample's model on Mauna Loa CO2 (Data/co2.csv) and exports it for LstmGen.

The model reads the series one month at a time and, after each month, predicts the next month's change:
  input  (per step): this month's change, (x[t] - x[t-1] - MEAN) / SCALE
  output (per step): the next month's change, in the same units; the forecast is x[t] + output * SCALE + MEAN.
Working on month-to-month changes keeps the inputs in the range the network saw in training although the level
rises every year. Network: nn.LSTM(1 -> 32) + nn.Linear(32 -> 1) on every timestep (head="sequence"), so that
the generated Step gives one forecast per month as the values arrive.

Training uses the months up to December 1989 (the first 372); January 1990 to December 1997 (96 months) is held
out and only the C# sample sees it. Training sequences are random crops of the training months of 24 to 371
steps starting from the zero state, so that the network works from the first step and over long streams.

Writes (next to this script):
  Models/co2.json        the model in LstmGen's weights format (compiled into the sample at build time)
  Models/co2.onnx        one step of the same model for ONNX Runtime, (x, h, c) -> (y, h, c): the sample times it
  Models/co2.check.json  MEAN, SCALE, the split, and PyTorch's per-step outputs over the whole series, which
                         the sample compares its Step and Predict outputs with (exit code 1 on a mismatch)

Run with Debian's python3-torch, single threaded, deterministic (about 5 minutes on 2 shared cores):
  /usr/bin/python3 samples/LstmGen.Forecast/train_co2.py
"""
import csv
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

SEED = 7
UNITS = 32
TRAIN_MONTHS = 372  # 1959-01 .. 1989-12
STEPS = 1500
BATCH = 16
LEARNING_RATE = 0.01

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "pytorch"))
import lstmgen_export  # noqa: E402


class Co2Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=UNITS, batch_first=True)
        self.linear = nn.Linear(UNITS, 1)

    def forward(self, x):  # (batch, T, 1) -> (batch, T, 1)
        sequence, _ = self.lstm(x)
        return self.linear(sequence)


class OneStep(nn.Module):
    """The model for ONNX Runtime: one month's input and the state in, the output and the new state out."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, h, c):  # x (1, 1, 1), h and c (1, 1, UNITS)
        sequence, (h, c) = self.model.lstm(x, (h, c))
        return self.model.linear(sequence[:, 0, :]), h, c


def read_series():
    with open(os.path.join(HERE, "Data", "co2.csv")) as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return np.array([float(r["ppm"]) for r in rows])


def f32(values):
    return np.asarray(values, dtype=np.float32).tolist()


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)
    ppm = read_series()
    changes = np.diff(ppm)  # changes[t - 1] = ppm[t] - ppm[t - 1]
    train = changes[:TRAIN_MONTHS - 1]
    mean, scale = float(train.mean()), float(train.std())
    mean, scale = float(np.float32(mean)), float(np.float32(scale))
    z = ((changes - mean) / scale).astype(np.float32)
    z_train = z[:TRAIN_MONTHS - 1]

    model = Co2Forecaster()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, STEPS)
    started = time.time()
    for step in range(STEPS):
        length = int(rng.integers(24, len(z_train)))
        starts = rng.integers(0, len(z_train) - length, size=BATCH)
        batch = np.stack([z_train[s:s + length + 1] for s in starts])
        x = torch.from_numpy(batch[:, :-1, None])
        y = torch.from_numpy(batch[:, 1:, None])
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        if step % 250 == 0 or step == STEPS - 1:
            print("step %4d  train loss %.4f  (%.0f s)" % (step, loss.item(), time.time() - started))

    model.eval()
    with torch.no_grad():
        outputs = model(torch.from_numpy(z[None, :-1, None]))[0, :, 0].numpy()  # prediction for changes[1:]
    forecast = ppm[1:-1] + outputs * scale + mean  # forecast of ppm[2:]
    held = slice(TRAIN_MONTHS - 2, None)  # forecasts of ppm[TRAIN_MONTHS:]
    actual = ppm[2:][held]
    mae = np.abs(forecast[held] - actual).mean()
    naive = np.abs(ppm[TRAIN_MONTHS - 1:-1] - actual).mean()
    seasonal = np.abs(ppm[TRAIN_MONTHS - 12:-12] - actual).mean()
    print("held-out MAE (ppm): model %.3f, last value %.3f, seasonal naive %.3f" % (mae, naive, seasonal))

    models = os.path.join(HERE, "Models")
    os.makedirs(models, exist_ok=True)
    path = os.path.join(models, "co2.json")
    lstmgen_export.export(path, [model.lstm, model.linear], head="sequence", name="co2_forecaster",
                          exported_by="samples/LstmGen.Forecast/train_co2.py via tools/pytorch/lstmgen_export.py")
    check = lstmgen_export.self_check(path, [model.lstm, model.linear], head="sequence")
    print("export self-check:", "OK" if check.ok else "MISMATCH", "max |difference| %.2e" % check.max_abs_difference)
    zeros = torch.zeros(1, 1, UNITS)
    torch.onnx.export(OneStep(model).eval(), (torch.zeros(1, 1, 1), zeros, zeros), os.path.join(models, "co2.onnx"),
                      input_names=["x", "h", "c"], output_names=["y", "h_out", "c_out"], opset_version=14)
    with open(os.path.join(models, "co2.check.json"), "w") as f:
        json.dump({"mean": mean, "scale": scale, "train_months": TRAIN_MONTHS,
                   "inputs": f32(z[:-1]), "outputs": f32(outputs)}, f)
        f.write("\n")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
