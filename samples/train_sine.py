"""Trains the sample's sine-wave forecaster in PyTorch and exports it in LstmGen's weights format.

The network is the classic tutorial one: three stacked LSTM(10) layers (return_sequences true, true,
false) over windows of 10 timesteps of 1 feature, then Dense(1). It learns to predict the next value of
a noisy sine wave, sin(0.1 k) + noise, from the previous 10 values.

Writes (next to the sample's Program.cs):
  LstmGen.Sample/Models/sine.json        the model: Keras Sequential topology + "weights" per layer
  LstmGen.Sample/Models/sine.check.json  3 test windows and PyTorch's own predictions for them

Run with Debian's python3-torch (about 10 seconds on 2 CPU cores, deterministic):
  /usr/bin/python3 samples/train_sine.py

The export is tools/pytorch/lstmgen_export.py (see its docstring for the PyTorch -> Keras mapping): the
model's nn.LSTM(num_layers=3) becomes three Keras LSTM layers and its nn.Linear a Dense, on the last timestep.
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

SEED = 1234
TIMESTEPS = 10
UNITS = 10
LAYERS = 3
SERIES_LENGTH = 1200  # points of the training/validation series
NOISE = 0.02  # standard deviation of the noise added to sin(0.1 k)
VALIDATION_FRACTION = 0.2
EPOCHS = 60
BATCH = 32
LEARNING_RATE = 0.01

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "LstmGen.Sample", "Models")
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools", "pytorch"))
import lstmgen_export  # noqa: E402


class SineForecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=UNITS, num_layers=LAYERS, batch_first=True)
        self.linear = nn.Linear(UNITS, 1)

    def forward(self, x):  # x: (batch, TIMESTEPS, 1)
        sequence, _ = self.lstm(x)
        return self.linear(sequence[:, -1, :])  # (batch, 1)


def windows(series):
    """All (previous TIMESTEPS values -> next value) pairs of a 1-D series."""
    xs = np.stack([series[i:i + TIMESTEPS] for i in range(len(series) - TIMESTEPS)])
    ys = series[TIMESTEPS:]
    return (torch.from_numpy(xs.astype(np.float32)).unsqueeze(-1),
            torch.from_numpy(ys.astype(np.float32)).unsqueeze(-1))


def f32(values):
    """float32 values as Python floats: json writes them with repr, i.e. with full precision."""
    return np.asarray(values, dtype=np.float32).tolist()


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # same numbers on every machine; the model is too small to gain from threads
    rng = np.random.default_rng(SEED)

    k = np.arange(SERIES_LENGTH)
    series = np.sin(0.1 * k) + NOISE * rng.standard_normal(SERIES_LENGTH)
    split = int(SERIES_LENGTH * (1 - VALIDATION_FRACTION))
    x_train, y_train = windows(series[:split])
    x_val, y_val = windows(series[split:])

    model = SineForecaster()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=EPOCHS // 3, gamma=0.3)
    loss_fn = nn.MSELoss()
    parameters = sum(p.numel() for p in model.parameters())
    print(f"model: 3 x LSTM({UNITS}) + Dense(1), {parameters} parameters; "
          f"{len(x_train)} training / {len(x_val)} validation windows")

    started = time.perf_counter()
    for epoch in range(1, EPOCHS + 1):
        model.train()
        order = torch.randperm(len(x_train))
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        scheduler.step()
        if epoch % 10 == 0 or epoch == EPOCHS:
            model.eval()
            with torch.no_grad():
                val = loss_fn(model(x_val), y_val).item()
            print(f"epoch {epoch:3d}  validation MSE {val:.6f}")
    elapsed = time.perf_counter() - started

    model.eval()
    with torch.no_grad():
        val_mse = loss_fn(model(x_val), y_val).item()
    print(f"trained in {elapsed:.1f} s; validation MSE {val_mse:.6f} "
          f"(noise floor {NOISE * NOISE:.6f}: the targets carry noise of std {NOISE})")

    os.makedirs(MODELS, exist_ok=True)
    model_path = os.path.join(MODELS, "sine.json")
    lstmgen_export.export(model_path, [model.lstm, model.linear], timesteps=TIMESTEPS, head="last",
                          name="sine_forecaster", exported_by="samples/train_sine.py")

    # Check windows: a clean sine window, a noisy validation window, and one starting elsewhere in the period.
    check_inputs = np.stack([
        np.sin(0.1 * np.arange(100, 100 + TIMESTEPS)),
        series[split + 37:split + 37 + TIMESTEPS],
        np.sin(0.1 * np.arange(-3, -3 + TIMESTEPS)) * 0.9,
    ]).astype(np.float32)
    with torch.no_grad():
        predictions = model(torch.from_numpy(check_inputs).unsqueeze(-1)).numpy().astype(np.float32)
    check = {
        "model": "sine.json",
        "source": f"PyTorch {torch.__version__} (the trained nn.Module itself)",
        "timesteps": TIMESTEPS,
        "features": 1,
        "cases": [{"input": f32(x), "output": f32(y)} for x, y in zip(check_inputs, predictions)],
    }
    check_path = os.path.join(MODELS, "sine.check.json")
    with open(check_path, "w") as f:
        header = {key: value for key, value in check.items() if key != "cases"}
        f.write(json.dumps(header)[:-1] + ', "cases": [\n')
        f.write(",\n".join("  " + json.dumps(case) for case in check["cases"]))
        f.write("\n]}\n")

    for path in (model_path, check_path):
        print(f"wrote {os.path.relpath(path, os.path.dirname(HERE))} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
