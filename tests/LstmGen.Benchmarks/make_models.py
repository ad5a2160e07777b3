"""Builds the benchmark models from one PyTorch module each and writes both formats with the same weights:
Models/NAME.onnx (for ONNX Runtime) and Models/NAME.json (LstmGen's Keras-layout weights file), plus
Models/NAME.check.json (one input and PyTorch's output, so the benchmark can check all three agree), and
Models/NAME.batch.onnx (the same graph with a dynamic batch axis, for the batch-64 comparison).

"cnn" is issue 16's CNN-LSTM: Conv1d(6, 64, 5) -> ReLU -> Conv1d(64, 64, 5) -> ReLU -> LSTM(64) -> last step ->
Linear(64, 5), linear output, over T = 128 and 6 features. PyTorch's padding=2 on both sides is Keras's
padding "same" (stride 1, odd kernel); Keras Conv1D kernel = weight.permute(2, 1, 0), i.e. (kernel_size, in, filters).

PyTorch's nn.LSTM gates i, f, g, o are Keras's i, f, c, o; Keras kernel = weight_ih.T, recurrent kernel =
weight_hh.T, bias = bias_ih + bias_hh. Run with Debian's python3-torch and python3-onnx:
    /usr/bin/python3 tests/LstmGen.Benchmarks/make_models.py [NAME ...]
With names, only those models' files are written (the LSTM shapes are still built in order from one seed, so each
comes out the same whichever are chosen; "cnn" has its own seed).
"""
import json
import os
import sys

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


CNN_SEED = 20261203
# The CNN-LSTM: timesteps, features, conv filters, kernel size, LSTM units, dense units.
CNN = (128, 6, 64, 5, 64, 5)


class CnnLstm(nn.Module):
    def __init__(self, features, filters, kernel, units, dense):
        super().__init__()
        self.conv1 = nn.Conv1d(features, filters, kernel, padding=kernel // 2)
        self.conv2 = nn.Conv1d(filters, filters, kernel, padding=kernel // 2)
        self.lstm = nn.LSTM(filters, units, batch_first=True)
        self.dense = nn.Linear(units, dense)

    def forward(self, x):
        y = x.transpose(1, 2)  # [batch, T, features] -> [batch, features, T]
        y = torch.relu(self.conv2(torch.relu(self.conv1(y))))
        y, _ = self.lstm(y.transpose(1, 2))
        return self.dense(y[:, -1, :])


def floats(t):
    def nested(v):
        return [nested(e) for e in v] if isinstance(v, list) else float(v)
    return nested(t.tolist())


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


def lstm_entry(lstm, name, units, return_sequences):
    bias = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()
    return {"class_name": "LSTM", "config": {"name": name, "units": units, "return_sequences": return_sequences},
            "weights": [floats(lstm.weight_ih_l0.detach().t()), floats(lstm.weight_hh_l0.detach().t()), floats(bias)]}


def cnn_keras_json(model, timesteps, features, filters, kernel, units, dense):
    entries = []
    for k, conv in enumerate([model.conv1, model.conv2]):
        config = {"name": f"conv1d_{k}", "filters": filters, "kernel_size": [kernel], "strides": [1], "padding": "same",
                  "activation": "relu", "use_bias": True}
        if k == 0:
            config["batch_input_shape"] = [None, timesteps, features]
        entries.append({"class_name": "Conv1D", "config": config,
                        "weights": [floats(conv.weight.detach().permute(2, 1, 0)), floats(conv.bias.detach())]})
    entries.append(lstm_entry(model.lstm, "lstm_0", units, False))
    entries.append({"class_name": "Dense", "config": {"name": "dense", "units": dense, "activation": "linear"},
                    "weights": [floats(model.dense.weight.detach().t()), floats(model.dense.bias.detach())]})
    return {"class_name": "Sequential", "backend": "pytorch-export", "exported_by": "tests/LstmGen.Benchmarks/make_models.py",
            "config": {"layers": entries}}


def write(name, model, x, keras):
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(HERE, name + ".onnx"), input_names=["input"], output_names=["output"], opset_version=14)
    torch.onnx.export(model, x, os.path.join(HERE, name + ".batch.onnx"), input_names=["input"], output_names=["output"], opset_version=14,
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(keras, f)
    with open(os.path.join(HERE, name + ".check.json"), "w") as f:
        json.dump({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]}, f)
    print(name, "parameters:", sum(p.numel() for p in model.parameters()))


def main(names):
    unknown = set(names) - set(SHAPES) - {"cnn"}
    if unknown:
        sys.exit(f"unknown model(s): {', '.join(sorted(unknown))}; known: {', '.join(list(SHAPES) + ['cnn'])}")
    wanted = set(names) if names else set(SHAPES) | {"cnn"}
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(20261123)
    for name, (layers, units, timesteps, features, dense, activation) in SHAPES.items():
        model = Model(layers, units, features, dense, activation).eval()
        x = torch.rand(1, timesteps, features) * 2 - 1
        if name in wanted:
            write(name, model, x, keras_json(model, layers, units, timesteps, features, dense, activation))
    if "cnn" in wanted:
        torch.manual_seed(CNN_SEED)
        timesteps, features, filters, kernel, units, dense = CNN
        model = CnnLstm(features, filters, kernel, units, dense).eval()
        x = torch.rand(1, timesteps, features) * 2 - 1
        write("cnn", model, x, cnn_keras_json(model, timesteps, features, filters, kernel, units, dense))

if __name__ == "__main__":
    main(sys.argv[1:])
