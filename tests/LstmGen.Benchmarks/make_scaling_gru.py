"""Writes Models/Scaling/gru_u512.json, gru_u512.onnx and gru_u512.check.json: GRU(512) over 16 features with
variable timesteps, then Dense(1) on the last step, for TeamBenchmarks' GRU row (a 3 MB recurrent matrix, larger
than a core's L2, shared with a CoreTeam). A PyTorch module with seeded weights, exported to ONNX (dynamic batch and
time axes) and written as the Keras GRU that computes the same (weights rounded to 5 significant digits first, to
keep the file small: only timing is measured with this model, and the check): Keras's default reset_after=true is PyTorch's GRU.
Keras's gates are z, r, h and PyTorch's r, z, n; the kernel (in, 3u) is weight_ih's z, r, n rows transposed, the
recurrent kernel the same of weight_hh, and the bias (2, 3u) holds bias_ih then bias_hh in that order. The check
file holds a 100-step input and PyTorch's output for it. Run with Debian's python3-torch and python3-onnx:
    /usr/bin/python3 tests/LstmGen.Benchmarks/make_scaling_gru.py
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
        self.gru = nn.GRU(FEATURES, UNITS, batch_first=True)
        self.dense = nn.Linear(UNITS, 1)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.dense(y[:, -1, :])


def keras_order(rows):
    """PyTorch's r, z, n blocks of 3u rows (or values) as Keras's z, r, h."""
    r, z, n = rows.chunk(3, dim=0)
    return torch.cat([z, r, n], dim=0)


def values(t):
    """The tensor's values as written above (5 significant digits, so float32 to float64 adds no digits)."""
    short = lambda v: float(f"{float(v):.5g}")
    return [short(v) for v in t.flatten()] if t.dim() == 1 else [[short(v) for v in row] for row in t]


def main():
    torch.manual_seed(UNITS)
    model = Model().eval()
    with torch.no_grad():
        # 5 significant digits, as the LSTM scaling models, so the JSON stays small; PyTorch runs the rounded values.
        for parameter in model.parameters():
            parameter.copy_(torch.tensor([float(f"{v:.5g}") for v in parameter.flatten().tolist()]).reshape(parameter.shape))
    g = model.gru
    kernel = keras_order(g.weight_ih_l0.detach()).t()
    recurrent = keras_order(g.weight_hh_l0.detach()).t()
    bias = torch.stack([keras_order(g.bias_ih_l0.detach()), keras_order(g.bias_hh_l0.detach())])
    gru = {"class_name": "GRU",
           "config": {"name": "gru", "units": UNITS, "reset_after": True, "batch_input_shape": [None, None, FEATURES]},
           "weights": [values(kernel), values(recurrent), values(bias)]}
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 1},
             "weights": [values(model.dense.weight.detach().t()), values(model.dense.bias.detach())]}
    with open(os.path.join(HERE, f"gru_u{UNITS}.json"), "w") as f:
        json.dump({"class_name": "Sequential", "exported_by": "tests/LstmGen.Benchmarks/make_scaling_gru.py",
                   "config": {"layers": [gru, dense]}}, f, separators=(",", ":"))
    x = torch.rand(1, TIMESTEPS, FEATURES) * 2 - 1
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(HERE, f"gru_u{UNITS}.onnx"), input_names=["input"], output_names=["output"],
                      opset_version=14, dynamic_axes={"input": {0: "batch", 1: "time"}, "output": {0: "batch"}})
    with open(os.path.join(HERE, f"gru_u{UNITS}.check.json"), "w") as f:
        json.dump({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]}, f)
    print("done")


if __name__ == "__main__":
    main()
