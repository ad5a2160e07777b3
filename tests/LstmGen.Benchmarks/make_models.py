"""Builds the benchmark models from one PyTorch module each and writes both formats with the same weights:
Models/NAME.onnx (for ONNX Runtime) and Models/NAME.json (LstmGen's Keras-layout weights file), plus
Models/NAME.check.json (one input and PyTorch's output, so the benchmark can check all three agree), and
Models/NAME.batch.onnx (the same graph with a dynamic batch axis, for the batch-64 comparison).

PyTorch's nn.LSTM gates i, f, g, o are Keras's i, f, c, o; Keras kernel = weight_ih.T, recurrent kernel =
weight_hh.T, bias = bias_ih + bias_hh. Run with Debian's python3-torch and python3-onnx:
    /usr/bin/python3 tests/LstmGen.Benchmarks/make_models.py
"""
import json
import os

import torch
from torch import nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Models")

# name: (layers, units, timesteps, features, dense units, dense activation)
SHAPES = {
    "s": (3, 10, 10, 1, 1, "linear"),
    "m": (1, 64, 50, 8, 5, "softmax"),
    "l": (2, 128, 100, 32, 10, "softmax"),
    "w": (1, 256, 20, 16, 4, "linear"),
}


class Model(nn.Module):
    def __init__(self, layers, units, features, dense, activation):
        super().__init__()
        self.lstm = nn.LSTM(features, units, num_layers=layers, batch_first=True)
        self.dense = nn.Linear(units, dense)
        self.activation = activation

    def forward(self, x):
        y, _ = self.lstm(x)
        y = self.dense(y[:, -1, :])
        return torch.softmax(y, dim=-1) if self.activation == "softmax" else y


def floats(t):
    return [[float(v) for v in row] for row in t.tolist()] if t.dim() == 2 else [float(v) for v in t.tolist()]


def keras_json(model, layers, units, timesteps, features, dense, activation):
    entries = []
    for k in range(layers):
        w_ih = getattr(model.lstm, f"weight_ih_l{k}").detach()
        w_hh = getattr(model.lstm, f"weight_hh_l{k}").detach()
        bias = (getattr(model.lstm, f"bias_ih_l{k}") + getattr(model.lstm, f"bias_hh_l{k}")).detach()
        config = {"name": f"lstm_{k}", "units": units, "return_sequences": k < layers - 1}
        if k == 0:
            config["batch_input_shape"] = [None, timesteps, features]
        entries.append({"class_name": "LSTM", "config": config, "weights": [floats(w_ih.t()), floats(w_hh.t()), floats(bias)]})
    entries.append({"class_name": "Dense", "config": {"name": "dense", "units": dense, "activation": activation},
                    "weights": [floats(model.dense.weight.detach().t()), floats(model.dense.bias.detach())]})
    return {"class_name": "Sequential", "backend": "pytorch-export", "exported_by": "tests/LstmGen.Benchmarks/make_models.py",
            "config": {"layers": entries}}


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(20261123)
    for name, (layers, units, timesteps, features, dense, activation) in SHAPES.items():
        model = Model(layers, units, features, dense, activation).eval()
        x = torch.rand(1, timesteps, features) * 2 - 1
        with torch.no_grad():
            y = model(x)
        torch.onnx.export(model, x, os.path.join(HERE, name + ".onnx"), input_names=["input"], output_names=["output"], opset_version=14)
        torch.onnx.export(model, x, os.path.join(HERE, name + ".batch.onnx"), input_names=["input"], output_names=["output"], opset_version=14,
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(keras_json(model, layers, units, timesteps, features, dense, activation), f)
        with open(os.path.join(HERE, name + ".check.json"), "w") as f:
            json.dump({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]}, f)
        print(name, "parameters:", sum(p.numel() for p in model.parameters()))


if __name__ == "__main__":
    main()
