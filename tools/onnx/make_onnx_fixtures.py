#!/usr/bin/env python3
"""Writes the small ONNX fixtures of tests/fixtures/onnx (LstmGen's ONNX import tests).

Run with a Python that has torch (1.13 here; its newest opset is 17, so no opset 20 fixture) and onnx:
    /usr/bin/python3 tools/onnx/make_onnx_fixtures.py
PyTorch cannot export a reverse-only LSTM (nn.LSTM has no such direction), so those graphs are written with
onnx.helper. Weights are seeded; the tests compare LstmGen's output with ONNX Runtime on these same files.
"""
import os
import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures", "onnx")


def export(module, example, name, opset, dynamic_batch=True, input_name="input"):
    module.eval()
    axes = {input_name: {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(module, example, os.path.join(OUT, name), opset_version=opset, input_names=[input_name],
                      output_names=["output"], dynamic_axes=axes)


class Lstm2Softmax(nn.Module):
    """2-layer batch_first LSTM, the last timestep, Linear, Softmax."""
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=5, hidden_size=12, num_layers=2, batch_first=True)
        self.fc = nn.Linear(12, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return torch.softmax(self.fc(out[:, -1, :]), dim=-1)


class BiGruSequence(nn.Module):
    """Bidirectional GRU (linear_before_reset=1), the whole concatenated sequence, Linear per timestep."""
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(input_size=4, hidden_size=8, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out)


class BiLstmLastStep(nn.Module):
    """out[:, -1] of a bidirectional LSTM: not Keras Bidirectional(return_sequences=False); must be rejected."""
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=3, hidden_size=6, batch_first=True, bidirectional=True)

    def forward(self, x):
        out, _ = self.lstm(x)
        return out[:, -1, :]


class Rnn(nn.Module):
    def __init__(self, nonlinearity):
        super().__init__()
        self.rnn = nn.RNN(input_size=3, hidden_size=7, nonlinearity=nonlinearity, batch_first=True)
        self.fc = nn.Linear(7, 2)

    def forward(self, x):
        _, h = self.rnn(x)
        return torch.sigmoid(self.fc(h[-1]))


class EmbeddingLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 6)
        self.lstm = nn.LSTM(input_size=6, hidden_size=10, batch_first=True)
        self.fc = nn.Linear(10, 3)

    def forward(self, ids):
        _, (h, _) = self.lstm(self.embedding(ids))
        return self.fc(h[-1])


def reverse_lstm(name, use_sequence):
    """A reverse-direction LSTM: Y_h (many-to-one, = Keras go_backwards) or its whole Y (rejected)."""
    rng = np.random.default_rng(7)
    hidden, features = 5, 3
    w = numpy_helper.from_array(rng.normal(0, 0.5, (1, 4 * hidden, features)).astype(np.float32), "W")
    r = numpy_helper.from_array(rng.normal(0, 0.5, (1, 4 * hidden, hidden)).astype(np.float32), "R")
    b = numpy_helper.from_array(rng.normal(0, 0.5, (1, 8 * hidden)).astype(np.float32), "B")
    lstm = helper.make_node("LSTM", ["input", "W", "R", "B"], ["Y", "Y_h"], name="reverse_lstm",
                            hidden_size=hidden, direction="reverse")
    axes = numpy_helper.from_array(np.array([1 if use_sequence else 0], dtype=np.int64), "axes")
    squeeze = helper.make_node("Squeeze", ["Y" if use_sequence else "Y_h", "axes"], ["output"], name="squeeze")
    graph = helper.make_graph(
        [lstm, squeeze], name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [6, "batch", features])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [6, "batch", hidden] if use_sequence else ["batch", hidden])],
        [w, r, b, axes])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="make_onnx_fixtures")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def gru_reset_before(name):
    """GRU with linear_before_reset=0 (Keras reset_after=False) and HardSigmoid gates; Y's last step by Slice."""
    rng = np.random.default_rng(8)
    hidden, features = 4, 3
    w = numpy_helper.from_array(rng.normal(0, 0.5, (1, 3 * hidden, features)).astype(np.float32), "W")
    r = numpy_helper.from_array(rng.normal(0, 0.5, (1, 3 * hidden, hidden)).astype(np.float32), "R")
    b = numpy_helper.from_array(rng.normal(0, 0.5, (1, 6 * hidden)).astype(np.float32), "B")
    consts = [numpy_helper.from_array(np.array(v, dtype=np.int64), n) for n, v in
              [("one", [1]), ("zero", [0]), ("start", [-1]), ("end", [2 ** 62])]]
    nodes = [
        helper.make_node("GRU", ["input", "W", "R", "B"], ["Y"], name="gru", hidden_size=hidden,
                         linear_before_reset=0, activations=["HardSigmoid", "Tanh"],
                         activation_alpha=[0.2], activation_beta=[0.5]),
        helper.make_node("Squeeze", ["Y", "one"], ["Y_squeezed"], name="drop_directions"),
        helper.make_node("Slice", ["Y_squeezed", "start", "end", "zero"], ["Y_last"], name="last_step"),
        helper.make_node("Squeeze", ["Y_last", "zero"], ["output"], name="drop_time"),
    ]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["time", "batch", features])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", hidden])],
        [w, r, b] + consts)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="make_onnx_fixtures")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def lstm_batch_major(name):
    """An LSTM with layout=1 (X [batch, time, features], Y_h [batch, directions, hidden]), no Transpose around it."""
    rng = np.random.default_rng(9)
    hidden, features = 5, 2
    w = numpy_helper.from_array(rng.normal(0, 0.5, (1, 4 * hidden, features)).astype(np.float32), "W")
    r = numpy_helper.from_array(rng.normal(0, 0.5, (1, 4 * hidden, hidden)).astype(np.float32), "R")
    b = numpy_helper.from_array(rng.normal(0, 0.5, (1, 8 * hidden)).astype(np.float32), "B")
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")
    nodes = [
        helper.make_node("LSTM", ["input", "W", "R", "B"], ["", "Y_h"], name="lstm", hidden_size=hidden, layout=1),
        helper.make_node("Squeeze", ["Y_h", "axes"], ["output"], name="drop_directions"),
    ]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", "time", features])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", hidden])],
        [w, r, b, axes])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="make_onnx_fixtures")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    export(Lstm2Softmax(), torch.randn(2, 7, 5), "lstm2_softmax_opset14.onnx", 14)
    torch.manual_seed(1234)
    export(Lstm2Softmax(), torch.randn(2, 7, 5), "lstm2_softmax_opset17.onnx", 17)
    torch.manual_seed(99)
    export(BiGruSequence(), torch.randn(2, 6, 4), "bigru_sequence.onnx", 14, dynamic_batch=False)
    torch.manual_seed(5)
    export(BiLstmLastStep(), torch.randn(2, 5, 3), "bilstm_last_step.onnx", 14)
    torch.manual_seed(11)
    export(Rnn("tanh"), torch.randn(2, 8, 3), "rnn_tanh.onnx", 14)
    torch.manual_seed(12)
    export(Rnn("relu"), torch.randn(2, 8, 3), "rnn_relu.onnx", 14)
    torch.manual_seed(21)
    export(EmbeddingLstm(), torch.randint(0, 20, (2, 9)), "embedding_lstm.onnx", 14, input_name="ids")
    reverse_lstm("reverse_lstm_last.onnx", use_sequence=False)
    reverse_lstm("reverse_lstm_sequence.onnx", use_sequence=True)
    gru_reset_before("gru_reset_before_hard_sigmoid.onnx")
    lstm_batch_major("lstm_layout1.onnx")


if __name__ == "__main__":
    main()
