"""Fixtures for the PyTorch exporter: seeded PyTorch modules, exported by lstmgen_export.py, with PyTorch's outputs.

Each case builds an nn.Module (nn.LSTM / nn.GRU / nn.RNN + nn.Linear, optionally after a convolutional front end of
nn.Conv1d / nn.MaxPool1d / nn.AvgPool1d / activations, weights seeded by the case name), runs its ordinary forward()
(which transposes to (batch, channels, length) around the front end, as PyTorch users write it) on seeded inputs, exports it with lstmgen_export.export() and writes
  NAME.json           the exported weights file
  NAME.expected.json  {"source", "description", "features", "outputPerStep", "cases": [{"timesteps", "input",
                      "output"}]}: the outputs are PyTorch's own (the module's forward), never LstmGen's
Cases the generator supports (GENERATOR_SUPPORTS: LSTM, GRU, SimpleRNN, Bidirectional, Dense, Activation, Conv1D,
MaxPooling1D, AveragePooling1D, ZeroPadding1D, BatchNormalization) go to
tests/fixtures/models/, where ReferenceModelTests compiles and checks them; a case needing any other layer would go
to tests/fixtures/pending-export/ until the generator supports it (add it to GENERATOR_SUPPORTS and rerun: the
cases move to models/).

Every written file is also re-read with lstmgen_export.keras_predict (an independent float64 numpy evaluation of
the Keras semantics) and compared with the PyTorch outputs (tolerance max(1e-5, 1e-4 |expected|)), so the weight
layouts are verified even for layers the generator does not support yet. Exit status 1 on a mismatch.

Run with Debian's python3-torch (deterministic: a rerun rewrites identical files):
  /usr/bin/python3 tools/pytorch/make_export_fixtures.py           write all fixtures and self-check them
  /usr/bin/python3 tools/pytorch/make_export_fixtures.py --check   only re-check the committed files
  ... --only=NAME,NAME                                               only these cases (NAME* matches a prefix)
"""
import json
import os
import sys
import zlib

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lstmgen_export  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = os.path.join(ROOT, "tests", "fixtures", "models")
PENDING = os.path.join(ROOT, "tests", "fixtures", "pending-export")
SOURCE = "pytorch %s nn modules (tools/pytorch/make_export_fixtures.py)" % torch.__version__
# The layers the generator compiles now. A case whose export uses only these goes to tests/fixtures/models/
# (ReferenceModelTests checks it), any other to tests/fixtures/pending-export/. Add layers as the generator
# learns them and rerun: the cases move.
GENERATOR_SUPPORTS = {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "Dense", "Activation", "Conv1D", "MaxPooling1D",
                      "AveragePooling1D", "ZeroPadding1D", "BatchNormalization"}


def keras_classes(layer):
    if layer["class_name"] == "Bidirectional":
        return {"Bidirectional", layer["config"]["layer"]["class_name"]}
    return {layer["class_name"]}


class Net(nn.Module):
    """An optional convolutional front end, recurrent modules, then Linear (or BatchNorm1d) layers, written the way a PyTorch user
    writes forward(). The front end is a list of modules run on (batch, channels, length), with the transposes in
    forward(), or an nn.Sequential that transposes itself (lstmgen_export.Transpose), run as it is."""

    def __init__(self, rnns, linears=(), activation=None, head="last", front=()):
        super().__init__()
        self.front = front if isinstance(front, nn.Sequential) else nn.ModuleList(front)
        self.rnns = nn.ModuleList(rnns)
        self.linears = nn.ModuleList(linears)
        self.activation = activation
        self.head = head

    def forward(self, x):  # x: (batch, T, F)
        if isinstance(self.front, nn.Sequential):
            x = self.front(x)
        elif len(self.front):
            x = x.transpose(1, 2)  # (batch, F, T): channels first, as Conv1d and the pools take it
            for m in self.front:
                x = m(x)
            x = x.transpose(1, 2)  # (batch, T', C) for the recurrent layers
        for i, rnn in enumerate(self.rnns):
            inp = x if rnn.batch_first else x.transpose(0, 1)
            out, hidden = rnn(inp)
            out = out if rnn.batch_first else out.transpose(0, 1)  # (batch, T, directions * H)
            if i == len(self.rnns) - 1 and self.head == "last":
                if rnn.bidirectional:  # the final state of each direction of the last layer
                    h_n = hidden[0] if isinstance(rnn, nn.LSTM) else hidden
                    x = torch.cat([h_n[-2], h_n[-1]], dim=-1)
                else:
                    x = out[:, -1]
            else:
                x = out
        for linear in self.linears:
            if isinstance(linear, nn.BatchNorm1d) and x.dim() == 3:
                x = linear(x.transpose(1, 2)).transpose(1, 2)  # BatchNorm1d takes (batch, channels, length)
            else:
                x = linear(x)
        if self.activation == "softmax":
            x = torch.softmax(x, dim=-1)
        elif self.activation is not None:
            x = getattr(torch, self.activation)(x)
        return x

    def export_layers(self):
        front = [self.front] if isinstance(self.front, nn.Sequential) else list(self.front)
        return front + list(self.rnns) + list(self.linears)


# name: (description, builder, features, timesteps per case (None in the file when they differ),
#        head, activation, weight scale or None for PyTorch's default init)
CASES = [
    ("torch_export_lstm1_last", "nn.LSTM(3, 7, batch_first=True) -> out[:, -1] -> Linear(7, 2)",
     lambda: ([nn.LSTM(3, 7, batch_first=True)], [nn.Linear(7, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_lstm2_seq_softmax",
     "nn.LSTM(4, 5, num_layers=2), seq-first -> Linear(5, 3) per step -> softmax",
     lambda: ([nn.LSTM(4, 5, num_layers=2)], [nn.Linear(5, 3)]), 4, [5, 5, 5], "sequence", "softmax", None),
    ("torch_export_lstm3_odd_batch_first",
     "nn.LSTM(2, 9, num_layers=3, dropout=0.3, batch_first=True) -> out[:, -1] -> Linear(9, 1)",
     lambda: ([nn.LSTM(2, 9, num_layers=3, dropout=0.3, batch_first=True)], [nn.Linear(9, 1)]),
     2, [8, 8, 8], "last", None, None),
    ("torch_export_lstm3_odd_seq_first",
     "nn.LSTM(5, 11, num_layers=3) seq-first -> Linear(11, 13) per step",
     lambda: ([nn.LSTM(5, 11, num_layers=3)], [nn.Linear(11, 13)]), 5, [7, 7], "sequence", None, None),
    ("torch_export_lstm_variable_length",
     "nn.LSTM(3, 6, batch_first=True) -> out[:, -1] -> Linear(6, 4) -> softmax, variable length",
     lambda: ([nn.LSTM(3, 6, batch_first=True)], [nn.Linear(6, 4)]), 3, [1, 4, 13], "last", "softmax", None),
    ("torch_export_lstm_two_modules",
     "nn.LSTM(3, 8, batch_first=True) -> nn.LSTM(8, 5, batch_first=True) -> out[:, -1] -> Linear(5, 3) "
     "-> Linear(3, 2) -> sigmoid",
     lambda: ([nn.LSTM(3, 8, batch_first=True), nn.LSTM(8, 5, batch_first=True)],
              [nn.Linear(5, 3), nn.Linear(3, 2)]), 3, [6, 6], "last", "sigmoid", None),
    ("torch_export_lstm_no_bias_seq",
     "nn.LSTM(2, 4, num_layers=2, bias=False) -> Linear(4, 3, bias=False) per step -> relu, weights +-1.5",
     lambda: ([nn.LSTM(2, 4, num_layers=2, bias=False)], [nn.Linear(4, 3, bias=False)]),
     2, [6, 6], "sequence", "relu", 1.5),
    ("torch_export_lstm_saturation",
     "nn.LSTM(3, 7, num_layers=2, batch_first=True), weights uniform +-1.5 -> out[:, -1] -> Linear(7, 2) -> tanh",
     lambda: ([nn.LSTM(3, 7, num_layers=2, batch_first=True)], [nn.Linear(7, 2)]), 3, [8, 8, 8], "last", "tanh", 1.5),
    # ---- pending until the generator supports GRU, SimpleRNN, Bidirectional
    ("torch_export_gru1_last", "nn.GRU(3, 7, batch_first=True) -> out[:, -1] -> Linear(7, 2)",
     lambda: ([nn.GRU(3, 7, batch_first=True)], [nn.Linear(7, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_gru2_seq_softmax",
     "nn.GRU(4, 5, num_layers=2) seq-first -> Linear(5, 3) per step -> softmax",
     lambda: ([nn.GRU(4, 5, num_layers=2)], [nn.Linear(5, 3)]), 4, [5, 5], "sequence", "softmax", None),
    ("torch_export_gru3_saturation_variable",
     "nn.GRU(2, 9, num_layers=3, batch_first=True), weights +-1.5 -> out[:, -1] -> Linear(9, 1), variable length",
     lambda: ([nn.GRU(2, 9, num_layers=3, batch_first=True)], [nn.Linear(9, 1)]), 2, [1, 5, 12], "last", None, 1.5),
    ("torch_export_rnn_tanh_last", "nn.RNN(3, 6, num_layers=2) seq-first -> out[-1] -> Linear(6, 2)",
     lambda: ([nn.RNN(3, 6, num_layers=2)], [nn.Linear(6, 2)]), 3, [7, 7], "last", None, None),
    ("torch_export_rnn_relu_seq",
     "nn.RNN(3, 5, nonlinearity='relu', batch_first=True) -> Linear(5, 3) per step",
     lambda: ([nn.RNN(3, 5, nonlinearity="relu", batch_first=True)], [nn.Linear(5, 3)]), 3, [6, 6], "sequence", None, None),
    ("torch_export_rnn_no_bias_stack",
     "nn.RNN(2, 4, num_layers=3, bias=False) -> out[-1] -> Linear(4, 2) -> softmax",
     lambda: ([nn.RNN(2, 4, num_layers=3, bias=False)], [nn.Linear(4, 2)]), 2, [5, 5], "last", "softmax", None),
    # Wide layers: matrices of more than 128 columns are stored in panels; long inputs run in several blocks.
    ("torch_export_gru_wide", "nn.GRU(5, 70, batch_first=True) -> out[:, -1] -> Linear(70, 3)",
     lambda: ([nn.GRU(5, 70, batch_first=True)], [nn.Linear(70, 3)]), 5, [9, 9], "last", None, None),
    ("torch_export_rnn_wide", "nn.RNN(4, 131, num_layers=2) seq-first -> out[-1] -> Linear(131, 2)",
     lambda: ([nn.RNN(4, 131, num_layers=2)], [nn.Linear(131, 2)]), 4, [6, 6], "last", None, None),
    ("torch_export_lstm_wide_variable",
     "nn.LSTM(6, 40, batch_first=True) -> Linear(40, 140) per step -> tanh, variable length 1, 7, 37",
     lambda: ([nn.LSTM(6, 40, batch_first=True)], [nn.Linear(40, 140)]), 6, [1, 7, 37], "sequence", "tanh", None),
    # Large LSTMs (recurrent matrix of 65,536 floats and more): Predict walks the matrix in alternating directions
    # on alternate timesteps; odd and even lengths, several blocks of 16 steps.
    ("torch_export_lstm_large_alternating",
     "nn.LSTM(4, 130, batch_first=True) -> out[:, -1] -> Linear(130, 3), variable length 1, 20, 35",
     lambda: ([nn.LSTM(4, 130, batch_first=True)], [nn.Linear(130, 3)]), 4, [1, 20, 35], "last", None, None),
    ("torch_export_bilstm_large_seq",
     "nn.LSTM(3, 128, bidirectional=True, batch_first=True) -> Linear(256, 2) per step, variable length 5, 18",
     lambda: ([nn.LSTM(3, 128, bidirectional=True, batch_first=True)], [nn.Linear(256, 2)]), 3, [5, 18], "sequence", None, None),
    ("torch_export_bilstm_last",
     "nn.LSTM(3, 5, bidirectional=True, batch_first=True) -> cat(h_n[-2], h_n[-1]) -> Linear(10, 2)",
     lambda: ([nn.LSTM(3, 5, bidirectional=True, batch_first=True)], [nn.Linear(10, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_bilstm2_seq_softmax",
     "nn.LSTM(3, 4, num_layers=2, bidirectional=True) seq-first -> Linear(8, 3) per step -> softmax",
     lambda: ([nn.LSTM(3, 4, num_layers=2, bidirectional=True)], [nn.Linear(8, 3)]), 3, [5, 5], "sequence", "softmax", None),
    ("torch_export_bigru2_last",
     "nn.GRU(2, 5, num_layers=2, bidirectional=True, batch_first=True) -> cat(h_n[-2], h_n[-1]) -> Linear(10, 1) -> sigmoid",
     lambda: ([nn.GRU(2, 5, num_layers=2, bidirectional=True, batch_first=True)], [nn.Linear(10, 1)]),
     2, [7, 7], "last", "sigmoid", None),
    ("torch_export_birnn_relu_seq",
     "nn.RNN(3, 4, nonlinearity='relu', bidirectional=True) seq-first -> Linear(8, 2) per step",
     lambda: ([nn.RNN(3, 4, nonlinearity="relu", bidirectional=True)], [nn.Linear(8, 2)]), 3, [6, 6], "sequence", None, None),
    ("torch_export_bilstm_then_gru",
     "nn.LSTM(3, 5, bidirectional=True, batch_first=True) -> nn.GRU(10, 4, batch_first=True) -> out[:, -1] "
     "-> Linear(4, 2), variable length",
     lambda: ([nn.LSTM(3, 5, bidirectional=True, batch_first=True), nn.GRU(10, 4, batch_first=True)],
              [nn.Linear(4, 2)]), 3, [1, 6, 9], "last", None, None),
    # ---- convolutional front ends: forward() transposes to (batch, channels, length) around them
    ("torch_export_conv_lstm_linear",
     "x.transpose(1, 2) -> Conv1d(4, 8, 3) -> relu -> transpose -> nn.LSTM(8, 6, batch_first=True) -> out[:, -1] "
     "-> Linear(6, 3)",
     lambda: ([nn.Conv1d(4, 8, 3), nn.ReLU()], [nn.LSTM(8, 6, batch_first=True)], [nn.Linear(6, 3)]),
     4, [10, 10, 10], "last", None, None),
    ("torch_export_conv_s2_d2_p3_maxpool_gru",
     "Conv1d(3, 6, 3, stride=2, dilation=2, padding=3) -> tanh -> MaxPool1d(2) -> nn.GRU(6, 5, batch_first=True) "
     "-> out[:, -1] -> Linear(5, 2), variable length 3, 8, 19",
     lambda: ([nn.Conv1d(3, 6, 3, stride=2, dilation=2, padding=3), nn.Tanh(), nn.MaxPool1d(2)],
              [nn.GRU(6, 5, batch_first=True)], [nn.Linear(5, 2)]), 3, [3, 8, 19], "last", None, None),
    ("torch_export_conv_s3_d2_p2_lstm_seq",
     "Conv1d(2, 5, 3, stride=3, dilation=2, padding=2) -> relu -> nn.LSTM(5, 4, batch_first=True) -> Linear(4, 2) "
     "per step, variable length 1, 7, 16",
     lambda: ([nn.Conv1d(2, 5, 3, stride=3, dilation=2, padding=2), nn.ReLU()], [nn.LSTM(5, 4, batch_first=True)],
              [nn.Linear(4, 2)]), 2, [1, 7, 16], "sequence", None, None),
    ("torch_export_grouped_conv_avgpool_lstm",
     "Conv1d(6, 9, 2, groups=3) -> AvgPool1d(3, stride=2) -> nn.LSTM(9, 7) seq-first -> out[-1] -> Linear(7, 2) "
     "-> softmax",
     lambda: ([nn.Conv1d(6, 9, 2, groups=3), nn.AvgPool1d(3, stride=2)], [nn.LSTM(9, 7)], [nn.Linear(7, 2)]),
     6, [12, 12], "last", "softmax", None),
    ("torch_export_conv_same_even_kernel_seq",
     "Conv1d(5, 8, 4, padding='same') -> relu -> nn.LSTM(8, 6, batch_first=True) -> Linear(6, 3) per step, "
     "variable length 1, 6, 13",
     lambda: ([nn.Conv1d(5, 8, 4, padding="same"), nn.ReLU()], [nn.LSTM(8, 6, batch_first=True)], [nn.Linear(6, 3)]),
     5, [1, 6, 13], "sequence", None, None),
    ("torch_export_conv_stack_padded_avgpool_rnn",
     "nn.Sequential(Transpose(), Conv1d(3, 8, 5, padding=2), relu, Conv1d(8, 8, 3, padding=2, dilation=2, "
     "bias=False), sigmoid, AvgPool1d(3, stride=1, padding=1), Conv1d(8, 4, 3, stride=2, padding=1), Transpose()) "
     "-> nn.RNN(4, 6) seq-first -> out[-1] -> Linear(6, 2), weights +-1",
     lambda: (nn.Sequential(lstmgen_export.Transpose(), nn.Conv1d(3, 8, 5, padding=2), nn.ReLU(),
                            nn.Conv1d(8, 8, 3, padding=2, dilation=2, bias=False), nn.Sigmoid(),
                            nn.AvgPool1d(3, stride=1, padding=1), nn.Conv1d(8, 4, 3, stride=2, padding=1),
                            lstmgen_export.Transpose()),
              [nn.RNN(4, 6)], [nn.Linear(6, 2)]), 3, [9, 9], "last", None, 1.0),
    # ---- nn.BatchNorm1d (eval: running statistics) in the front end, on the last output, on the sequence output
    ("torch_export_bn_conv_relu_lstm",
     "x.transpose(1, 2) -> Conv1d(4, 8, 3) -> BatchNorm1d(8) -> relu -> transpose -> nn.LSTM(8, 6, batch_first=True) "
     "-> out[:, -1] -> Linear(6, 3), running stats set",
     lambda: ([nn.Conv1d(4, 8, 3), batch_norm(8), nn.ReLU()], [nn.LSTM(8, 6, batch_first=True)], [nn.Linear(6, 3)]),
     4, [10, 10, 10], "last", None, None),
    ("torch_export_bn_lstm_last_linear",
     "nn.LSTM(3, 7, batch_first=True) -> out[:, -1] -> BatchNorm1d(7, eps=1e-3) -> Linear(7, 2), running stats set, "
     "variable length 1, 6, 11",
     lambda: ([nn.LSTM(3, 7, batch_first=True)], [batch_norm(7, eps=1e-3), nn.Linear(7, 2)]),
     3, [1, 6, 11], "last", None, None),
    ("torch_export_bn_gru_seq_no_affine",
     "nn.GRU(3, 5, batch_first=True) -> BatchNorm1d(5, affine=False) on out.transpose(1, 2), transposed back "
     "-> Linear(5, 2) per step -> softmax, running stats set",
     lambda: ([nn.GRU(3, 5, batch_first=True)], [batch_norm(5, affine=False), nn.Linear(5, 2)]),
     3, [7, 7], "sequence", "softmax", None),
]


def batch_norm(num_features, **kwargs):
    """nn.BatchNorm1d with non-trivial running statistics (and weight / bias when affine), drawn from the case's
    seed: mean uniform +-0.5, variance uniform 0.1 to 2, weight uniform 0.5 to 1.5, bias uniform +-0.5."""
    norm = nn.BatchNorm1d(num_features, **kwargs)
    with torch.no_grad():
        norm.running_mean.uniform_(-0.5, 0.5)
        norm.running_var.uniform_(0.1, 2.0)
        if norm.affine:
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.5, 0.5)
    return norm


def f32(values):
    return np.asarray(values, dtype=np.float32).reshape(-1).tolist()


def build(name, builder, head, activation, scale):
    torch.manual_seed(zlib.crc32(name.encode()))
    built = builder()
    front, (rnns, linears) = (built[0], built[1:]) if len(built) == 3 else ((), built)
    net = Net(rnns, linears, activation, head, front)
    if scale is not None:
        with torch.no_grad():
            for p in net.parameters():
                p.uniform_(-scale, scale)
    return net.eval()


def make(case, write):
    name, description, builder, features, steps, head, activation, scale = case
    net = build(name, builder, head, activation, scale)
    timesteps = steps[0] if len(set(steps)) == 1 else None
    keras_layers = lstmgen_export.to_keras(net.export_layers(), None, timesteps, head, activation)
    pending = not all(keras_classes(l) <= GENERATOR_SUPPORTS for l in keras_layers)
    directory = PENDING if pending else MODELS
    model_path = os.path.join(directory, name + ".json")
    expected_path = os.path.join(directory, name + ".expected.json")
    generator = torch.Generator().manual_seed(zlib.crc32((name + "/inputs").encode()))
    cases = []
    with torch.no_grad():
        for t in steps:
            x = torch.rand(1, t, features, generator=generator) * 4 - 2  # uniform +-2, float32
            y = net(x)[0]
            cases.append({"timesteps": t, "input": f32(x[0]), "output": f32(y)})
    if write:
        os.makedirs(directory, exist_ok=True)
        for suffix in (".json", ".expected.json"):
            stale = os.path.join(MODELS if pending else PENDING, name + suffix)
            if os.path.exists(stale):  # the case moved (the generator learned its layers)
                os.remove(stale)
        lstmgen_export.export(model_path, net.export_layers(), timesteps=timesteps, head=head,
                              activation=activation, name=name,
                              exported_by="tools/pytorch/lstmgen_export.py (make_export_fixtures.py)")
        expected = {"source": SOURCE, "description": description, "features": features,
                    "outputPerStep": head == "sequence", "cases": cases}
        with open(expected_path, "w") as f:
            json.dump(expected, f)
            f.write("\n")
    # Independent check of the written files: numpy Keras semantics vs the committed PyTorch outputs.
    with open(model_path) as f:
        model = json.load(f)
    with open(expected_path) as f:
        expected = json.load(f)
    worst, ok = 0.0, True
    for c in expected["cases"]:
        x = np.asarray(c["input"], np.float64).reshape(c["timesteps"], expected["features"])
        good, _, rel = lstmgen_export.compare(c["output"], lstmgen_export.keras_predict(model, x))
        ok &= good
        worst = max(worst, rel)
    where = "pending-export" if pending else "models"
    print("%s %-40s %-14s max rel diff %.2e" % ("ok " if ok else "BAD", name, where, worst))
    return ok, worst


def main():
    torch.set_num_threads(1)
    write = "--check" not in sys.argv
    only = [a.split("=", 1)[1].split(",") for a in sys.argv[1:] if a.startswith("--only=")]
    cases = CASES
    if only:
        cases = [c for c in CASES if any(c[0] == n or (n.endswith("*") and c[0].startswith(n[:-1])) for n in only[0])]
        if not cases:
            sys.exit("no case matches %s" % ",".join(only[0]))
    results = [make(case, write) for case in cases]
    bad = sum(1 for ok, _ in results if not ok)
    print("%d fixtures, %d mismatches, largest relative difference %.2e (numpy Keras evaluation of the exported "
          "files vs PyTorch)" % (len(results), bad, max(w for _, w in results)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
