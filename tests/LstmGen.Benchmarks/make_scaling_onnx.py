"""Writes Models/Scaling/lstm_u512.onnx and lstm_u512.check.json from Models/Scaling/lstm_u512.json (written by
make_scaling_models.py): the same LSTM(512) over 16 features and Dense(1), as a PyTorch module exported to ONNX
with dynamic batch and time axes, for TeamBenchmarks' comparison with ONNX Runtime on one and two threads.
Keras's kernel (in, 4u) is weight_ih.T and its recurrent kernel weight_hh.T; the gates i, f, c, o are PyTorch's
i, f, g, o; Keras's one bias goes to bias_ih, bias_hh is zero. The check file holds a 100-step input and
PyTorch's output for it. Run with Debian's python3-torch:
    /usr/bin/python3 tests/LstmGen.Benchmarks/make_scaling_onnx.py
"""
import json
import os

import torch
from torch import nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Models", "Scaling")
UNITS, FEATURES, TIMESTEPS = 512, 16, 100


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(FEATURES, UNITS, batch_first=True)
        self.dense = nn.Linear(UNITS, 1)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.dense(y[:, -1, :])


def main():
    with open(os.path.join(HERE, f"lstm_u{UNITS}.json")) as f:
        layers = json.load(f)["config"]["layers"]
    kernel, recurrent, bias = (torch.tensor(w, dtype=torch.float32) for w in layers[0]["weights"])
    dense_kernel, dense_bias = (torch.tensor(w, dtype=torch.float32) for w in layers[1]["weights"])
    model = Model().eval()
    with torch.no_grad():
        model.lstm.weight_ih_l0.copy_(kernel.t())
        model.lstm.weight_hh_l0.copy_(recurrent.t())
        model.lstm.bias_ih_l0.copy_(bias)
        model.lstm.bias_hh_l0.zero_()
        model.dense.weight.copy_(dense_kernel.t())
        model.dense.bias.copy_(dense_bias)
    torch.manual_seed(512)
    x = torch.rand(1, TIMESTEPS, FEATURES) * 2 - 1
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(HERE, f"lstm_u{UNITS}.onnx"), input_names=["input"], output_names=["output"],
                      opset_version=14, dynamic_axes={"input": {0: "batch", 1: "time"}, "output": {0: "batch"}})
    with open(os.path.join(HERE, f"lstm_u{UNITS}.check.json"), "w") as f:
        json.dump({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]}, f)
    print("done")


if __name__ == "__main__":
    main()
