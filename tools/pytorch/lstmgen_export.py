"""Export a PyTorch recurrent model to LstmGen's weights file (a Keras model.to_json() with inline weights).

Supported modules, in the order the model's forward() applies them:
  nn.LSTM  -> one Keras LSTM per num_layers (gate order i, f, g, o = Keras i, f, c, o)
  nn.GRU   -> one Keras GRU(reset_after=True) per num_layers (PyTorch gates r, z, n -> Keras z, r, h)
  nn.RNN   -> one Keras SimpleRNN per num_layers (nonlinearity tanh or relu)
  bidirectional=True -> each layer wrapped in Keras Bidirectional(merge_mode="concat")
  nn.Linear -> Dense (per timestep when it sees a sequence)
  nn.Softmax(dim=-1), nn.Sigmoid, nn.Tanh, nn.ReLU (or the strings "softmax", "sigmoid", "tanh", "relu")
            -> the preceding Dense's activation, else a Keras Activation layer
  nn.Dropout, nn.Identity -> nothing (inference no-ops; so is nn.LSTM/GRU/RNN's dropout between layers)
  nn.Embedding -> Embedding, first module only (the model then reads token ids: mask_zero false; padding_idx
            only changes training, its row is exported as it is; max_norm, which changes the lookup, is rejected)
  RepeatVector(n) (this module's) -> Keras RepeatVector(n): the recurrent layer before it returns its last
            state (return_sequences false), which becomes n rows for the layers after it (LSTM autoencoders)
  TimeDistributed(nn.Linear) (this module's) -> Keras TimeDistributed(Dense), the Linear on every timestep
  nn.Sequential -> its children, in order
Anything else (proj_size > 0, LSTMCell, Conv1d, ...) raises ExportError naming the module.

Weight mapping (PyTorch state_dict -> Keras get_weights(), per layer k and direction):
  LSTM:      kernel = weight_ih_l{k}.T (in, 4H); recurrent_kernel = weight_hh_l{k}.T (H, 4H);
             bias = bias_ih_l{k} + bias_hh_l{k} (4H), summed in float64 and rounded to float32 once
             (the correctly rounded float32 sum; PyTorch itself adds the two biases separately).
  GRU:       rows reordered [r; z; n] -> [z; r; h], then kernel = W_ih.T (in, 3H), recurrent = W_hh.T (H, 3H),
             bias = [b_ih reordered, b_hh reordered] (2, 3H): Keras reset_after=True is exactly PyTorch's GRU
             (n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = z * h + (1 - z) * n).
  SimpleRNN: kernel = weight_ih.T, recurrent = weight_hh.T, bias = bias_ih + bias_hh (as for LSTM).
  Bidirectional: weights = forward layer's (above) then backward layer's (the *_reverse parameters).
  Dense:     kernel = weight.T (in, out), bias = bias.
  Embedding: embeddings = weight (num_embeddings, embedding_dim).
  bias=False gives use_bias false and no bias arrays.
Every weight is rounded to float32 once and written as Python's repr of that value (the shortest decimal of
the float64 equal to it), which reads back as the identical float32.
The file is a Keras 2-style Sequential ("backend": "pytorch-export", no keras_version: Keras did not write it;
keras_version would only decide what hard_sigmoid means, and no PyTorch module maps to hard_sigmoid).

head="last" means Keras return_sequences=False on the last recurrent layer: the output is the final hidden
state of each direction, i.e. PyTorch's h_n of the last layer (torch.cat([h_n[-2], h_n[-1]], -1) when
bidirectional). For a unidirectional last layer this equals output[:, -1]; for a bidirectional one it does
NOT (output[:, -1] holds the backward direction after only one step). head="sequence" keeps every timestep
(PyTorch's output; Linear layers after it apply per timestep).

batch_first only changes how PyTorch is fed: the export is the same. LstmGen's generated Predict takes one
sequence as a row-major [timesteps, features] span.

Python:   from lstmgen_export import export
          export("Models/model.json", [model.lstm, model.fc], head="last", activation="softmax", timesteps=50)
CLI:      python3 lstmgen_export.py MODEL.pt OUT.json [--timesteps T] [--head last|sequence]
                 [--activation softmax|sigmoid|tanh|relu] [--name NAME] [--self-check]
          MODEL.pt is a TorchScript file (torch.jit.save) or a whole pickled module (torch.save(model));
          its child modules are taken in registration order (nn.Sequential children flattened), so they
          must be registered in the order forward() applies them.
          --self-check re-reads OUT.json with the numpy Keras evaluator below and compares it with the
          PyTorch modules on random inputs; exit status 1 on a mismatch.
Uses only the standard library and torch (numpy comes with torch).
"""
import argparse
import collections
import json
import math
import sys

import numpy as np
import torch
from torch import nn

__all__ = ["RepeatVector", "TimeDistributed", "export", "to_keras", "write_model", "keras_predict", "torch_predict", "self_check", "compare", "ExportError"]

ACTIVATIONS = ("softmax", "sigmoid", "tanh", "relu", "linear")


class ExportError(ValueError):
    """The module list cannot be expressed in LstmGen's format."""


# ----------------------------------------------------------------------------------------------- modules

class RepeatVector(nn.Module):
    """Keras RepeatVector(n) for PyTorch models: (batch, features) -> (batch, n, features).

    Put it after the encoder's last hidden state (e.g. h_n[-1] of an nn.LSTM, which is what the export gives the
    recurrent layer before it); forward() must apply the modules in the order they are registered."""

    def __init__(self, n):
        super().__init__()
        self.n = int(n)

    def forward(self, x):
        return x.unsqueeze(-2).expand(*x.shape[:-1], self.n, x.shape[-1])


class TimeDistributed(nn.Module):
    """Keras TimeDistributed(Dense) for PyTorch models: the wrapped nn.Linear on every timestep."""

    def __init__(self, linear):
        super().__init__()
        if not isinstance(linear, nn.Linear):
            raise ExportError("TimeDistributed wraps an nn.Linear only, not %s" % type(linear).__name__)
        self.linear = linear

    def forward(self, x):
        return self.linear(x)


def _kind(module):
    """The nn class name of a module, also for TorchScript modules (which keep it as original_name)."""
    if isinstance(module, str):
        return "str"
    if isinstance(module, torch.jit.ScriptModule):
        return getattr(module, "original_name", type(module).__name__)
    for cls in (nn.LSTM, nn.GRU, nn.RNN, nn.Linear, nn.Sequential, nn.Softmax, nn.Sigmoid, nn.Tanh, nn.ReLU,
                nn.Dropout, nn.Identity, nn.Embedding):
        if isinstance(module, cls):
            return cls.__name__
    return type(module).__name__


def _flatten(layers):
    out = []
    for m in layers:
        if _kind(m) == "Sequential":
            out.extend(_flatten(list(m.children())))
        else:
            out.append(m)
    return out


def _f64(tensor):
    return tensor.detach().to("cpu", torch.float64).numpy()


def _state(module):
    return {k: _f64(v) for k, v in module.state_dict().items()}


def _activation_name(m):
    kind = _kind(m)
    if kind == "str":
        name = m.lower()
        if name not in ACTIVATIONS:
            raise ExportError("activation %r is not one of %s" % (m, ", ".join(ACTIVATIONS)))
        return name
    if kind == "Softmax":
        dim = getattr(m, "dim", None)
        if dim != -1:
            raise ExportError("nn.Softmax(dim=%r): only dim=-1 (over the features) has a Keras equivalent here" % (dim,))
        return "softmax"
    return {"Sigmoid": "sigmoid", "Tanh": "tanh", "ReLU": "relu"}.get(kind)


def _gru_zrh(w):
    """PyTorch GRU rows (or bias entries) [r; z; n] -> Keras order [z; r; h]."""
    r, z, n = np.split(w, 3, axis=0)
    return np.concatenate([z, r, n], axis=0)


def _rnn_weights(kind, state, suffix, use_bias):
    w_ih, w_hh = state["weight_ih" + suffix], state["weight_hh" + suffix]
    if kind == "GRU":
        weights = [_gru_zrh(w_ih).T, _gru_zrh(w_hh).T]
        if use_bias:
            weights.append(np.stack([_gru_zrh(state["bias_ih" + suffix]), _gru_zrh(state["bias_hh" + suffix])]))
        return weights
    weights = [w_ih.T, w_hh.T]
    if use_bias:
        weights.append(state["bias_ih" + suffix] + state["bias_hh" + suffix])  # float64 sum, rounded once below
    return weights


def _rnn_config(kind, module, name, units, return_sequences, go_backwards):
    use_bias = bool(module.bias)
    # go_backwards is written only inside Bidirectional (on both layers, as Keras writes them); elsewhere it takes
    # the format's default, false.
    backwards = {} if go_backwards is None else {"go_backwards": go_backwards}
    if kind == "LSTM":
        return {"name": name, "units": units, "activation": "tanh", "recurrent_activation": "sigmoid",
                "use_bias": use_bias, "return_sequences": return_sequences, **backwards}
    if kind == "GRU":
        return {"name": name, "units": units, "activation": "tanh", "recurrent_activation": "sigmoid",
                "use_bias": use_bias, "return_sequences": return_sequences, **backwards, "reset_after": True}
    nonlinearity = getattr(module, "nonlinearity", None) or {"RNN_TANH": "tanh", "RNN_RELU": "relu"}.get(
        getattr(module, "mode", ""), "tanh")
    if nonlinearity not in ("tanh", "relu"):
        raise ExportError("nn.RNN nonlinearity %r is not tanh or relu" % (nonlinearity,))
    return {"name": name, "units": units, "activation": nonlinearity, "use_bias": use_bias,
            "return_sequences": return_sequences, **backwards}


KERAS_CLASS = {"LSTM": "LSTM", "GRU": "GRU", "RNN": "SimpleRNN"}
KERAS_NAME = {"LSTM": "lstm", "GRU": "gru", "RNN": "simple_rnn", "Bidirectional": "bidirectional",
              "Dense": "dense", "Activation": "activation"}


def to_keras(layers, input_features=None, timesteps=None, head="last", activation=None):
    """The Keras layer list (dicts with class_name, config, weights as float64 numpy arrays) for the modules."""
    if head not in ("last", "sequence"):
        raise ExportError('head must be "last" or "sequence", not %r' % (head,))
    modules = _flatten(list(layers))
    if activation is not None:
        modules.append(activation)
    recurrent_at = [i for i, m in enumerate(modules) if _kind(m) in KERAS_CLASS]
    if not recurrent_at:
        raise ExportError("no nn.LSTM, nn.GRU or nn.RNN among the layers")
    before = [m for m in modules[:recurrent_at[0]] if _kind(m) not in ("Dropout", "Identity")]
    if before and not (len(before) == 1 and _kind(before[0]) == "Embedding"):
        raise ExportError("the first layer must be nn.LSTM, nn.GRU or nn.RNN, or nn.Embedding followed by one "
                          "(LstmGen models start recurrent)")
    embedding_at = modules.index(before[0]) if before else None
    last_recurrent = recurrent_at[-1]

    counts = {}

    def unique(base):
        n = counts.get(base, 0)
        counts[base] = n + 1
        return base if n == 0 else "%s_%d" % (base, n)

    out = []
    width = None  # features of the current value
    first_features = None
    for index, m in enumerate(modules):
        kind = _kind(m)
        where = "layer %d (%s)" % (index, kind)
        if kind == "Embedding":
            if index != embedding_at:
                raise ExportError("%s: nn.Embedding is only supported as the first module" % where)
            if getattr(m, "max_norm", None) is not None:
                raise ExportError("%s: nn.Embedding with max_norm renormalizes rows at lookup; Keras has no "
                                  "equivalent (export the renormalized weight with max_norm=None)" % where)
            width = int(m.embedding_dim)
            first_features = None
            out.append({"class_name": "Embedding", "config": {
                "name": unique("embedding"), "input_dim": int(m.num_embeddings), "output_dim": width,
                "mask_zero": False}, "weights": [_state(m)["weight"]]})
        elif kind in KERAS_CLASS:
            if kind == "LSTM" and getattr(m, "proj_size", 0) > 0:
                raise ExportError("%s: nn.LSTM with proj_size=%d has no Keras equivalent" % (where, m.proj_size))
            in_size, units, num_layers = int(m.input_size), int(m.hidden_size), int(m.num_layers)
            directions = 2 if m.bidirectional else 1
            if width is None:
                width = in_size if input_features is None else int(input_features)
                first_features = width
            if in_size != width:
                raise ExportError("%s: input_size %d, but its input has %d features" % (where, in_size, width))
            state = _state(m)
            repeated = index + 1 < len(modules) and _kind(_next_layer(modules, index)) == "RepeatVector"
            for k in range(num_layers):
                sequences = not (k == num_layers - 1 and ((index == last_recurrent and head == "last") or repeated))
                base = KERAS_NAME[kind]
                use_bias = bool(m.bias)
                if directions == 1:
                    entry = {"class_name": KERAS_CLASS[kind],
                             "config": _rnn_config(kind, m, unique(base), units, sequences, None),
                             "weights": _rnn_weights(kind, state, "_l%d" % k, use_bias)}
                else:
                    name = unique("bidirectional")
                    inner = base if name == "bidirectional" else base + name[len("bidirectional"):]
                    entry = {"class_name": "Bidirectional", "config": {
                        "name": name, "merge_mode": "concat",
                        "layer": {"class_name": KERAS_CLASS[kind], "config": _rnn_config(
                            kind, m, "forward_" + inner, units, sequences, False)},
                        "backward_layer": {"class_name": KERAS_CLASS[kind], "config": _rnn_config(
                            kind, m, "backward_" + inner, units, sequences, True)}},
                        "weights": _rnn_weights(kind, state, "_l%d" % k, use_bias)
                        + _rnn_weights(kind, state, "_l%d_reverse" % k, use_bias)}
                out.append(entry)
            width = units * directions
        elif kind == "Linear":
            if width is None:
                raise ExportError("%s: nn.Linear before the first recurrent layer" % where)
            state = _state(m)
            if int(m.in_features) != width:
                raise ExportError("%s: in_features %d, but its input has %d features" % (where, m.in_features, width))
            weights = [state["weight"].T]
            if "bias" in state:
                weights.append(state["bias"])
            out.append({"class_name": "Dense", "config": {"name": unique("dense"), "units": int(m.out_features),
                                                          "activation": "linear", "use_bias": "bias" in state},
                        "weights": weights})
            width = int(m.out_features)
        elif kind == "RepeatVector":
            if width is None:
                raise ExportError("%s: RepeatVector before the first recurrent layer" % where)
            out.append({"class_name": "RepeatVector", "config": {"name": unique("repeat_vector"), "n": int(m.n)}})
        elif kind == "TimeDistributed":
            linear = m.linear
            if int(linear.in_features) != width:
                raise ExportError("%s: in_features %d, but its input has %d features" % (where, linear.in_features, width))
            state = _state(linear)
            weights = [state["weight"].T] + ([state["bias"]] if "bias" in state else [])
            dense = {"class_name": "Dense", "config": {"name": unique("dense"), "units": int(linear.out_features),
                                                       "activation": "linear", "use_bias": "bias" in state}}
            out.append({"class_name": "TimeDistributed", "config": {"name": unique("time_distributed"),
                                                                    "layer": dense}, "weights": weights})
            width = int(linear.out_features)
        elif kind in ("Dropout", "Identity"):
            continue
        else:
            name = _activation_name(m)
            if name is None:
                raise ExportError("%s: unsupported module %r (supported: Embedding, LSTM, GRU, RNN, Linear, "
                                  "RepeatVector, TimeDistributed, Softmax(dim=-1), Sigmoid, Tanh, ReLU, Dropout, "
                                  "Identity, Sequential)" % (where, type(m).__name__))
            if name == "linear":
                continue
            if out and out[-1]["class_name"] == "Dense" and out[-1]["config"]["activation"] == "linear":
                out[-1]["config"]["activation"] = name
            else:
                out.append({"class_name": "Activation", "config": {"name": unique("activation"), "activation": name}})

    # Keras 2 puts the input shape on the first layer: [batch, timesteps, features], or [batch, timesteps] of
    # token ids before an Embedding.
    first = out[0]["config"]
    shape = [None, None if timesteps is None else int(timesteps)]
    if out[0]["class_name"] != "Embedding":
        shape.append(first_features)
    out[0]["config"] = {"name": first.pop("name"), "batch_input_shape": shape, **first}
    return out


def _next_layer(modules, index):
    """The module after modules[index] that is not an inference no-op, or None."""
    for m in modules[index + 1:]:
        if _kind(m) not in ("Dropout", "Identity"):
            return m
    return None


def _float32_lists(weights):
    """Nested lists of Python floats, each exactly a float32 value (json writes them with repr: round-trips)."""
    return [np.asarray(w, dtype=np.float64).astype(np.float32).tolist() for w in weights]


def write_model(path, keras_layers, name="model", exported_by="tools/pytorch/lstmgen_export.py"):
    """Writes the layer list as LstmGen's weights file: a Keras 2 Sequential, one layer per line."""
    lines = []
    for layer in keras_layers:
        entry = {"class_name": layer["class_name"], "config": layer["config"]}
        if "weights" in layer:
            entry["weights"] = _float32_lists(layer["weights"])
        lines.append("  " + json.dumps(entry))
    # No keras_version: Keras did not write the file ("backend": "pytorch-export" says so). It would only decide
    # what hard_sigmoid means, and no PyTorch module maps to hard_sigmoid.
    header = {"class_name": "Sequential", "backend": "pytorch-export", "exported_by": exported_by}
    with open(path, "w") as f:
        f.write(json.dumps(header)[:-1] + ',\n "config": {"name": %s, "layers": [\n' % json.dumps(name))
        f.write(",\n".join(lines))
        f.write("\n]}}\n")


def export(path, layers, input_features=None, timesteps=None, head="last", activation=None, name="model",
           exported_by="tools/pytorch/lstmgen_export.py"):
    """Exports the modules (in the order forward() applies them) to `path`; returns the Keras layer list.

    layers: nn.LSTM / nn.GRU / nn.RNN / nn.Linear / activation modules or names / nn.Sequential.
    input_features: features per timestep (default: the first recurrent module's input_size; checked).
    timesteps: fixed sequence length, or None for variable length.
    head: "last" (return_sequences=False on the last recurrent layer: its final hidden state, h_n) or
          "sequence" (every timestep).
    activation: applied after the last module ("softmax", "sigmoid", "tanh", "relu" or None).
    """
    keras_layers = to_keras(layers, input_features, timesteps, head, activation)
    write_model(path, keras_layers, name, exported_by)
    return keras_layers


# ------------------------------------------------------------------ independent numpy evaluation (Keras semantics)

def _act(name):
    name = (name or "linear").lower()
    if name == "tanh":
        return np.tanh
    if name == "sigmoid":
        return lambda x: 1.0 / (1.0 + np.exp(-x))
    if name == "relu":
        return lambda x: np.maximum(x, 0.0)
    if name == "linear":
        return lambda x: x
    if name == "softmax":
        def softmax(x):
            e = np.exp(x - np.max(x, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
        return softmax
    raise ExportError("the numpy evaluator does not know activation %r" % name)


def _keras_rnn(cls, cfg, weights, xs):
    """Keras LSTM / GRU / SimpleRNN on xs (T, F), float64. Returns (T, units) or (units,)."""
    kernel, recurrent = np.asarray(weights[0], np.float64), np.asarray(weights[1], np.float64)
    units = recurrent.shape[0]
    use_bias = cfg.get("use_bias", True)
    act = _act(cfg.get("activation", "tanh"))
    rec = _act(cfg.get("recurrent_activation", "sigmoid"))
    h = np.zeros(units)
    c = np.zeros(units)
    steps = xs[::-1] if cfg.get("go_backwards", False) else xs
    outputs = []
    for x in steps:
        if cls == "LSTM":
            bias = np.asarray(weights[2], np.float64) if use_bias else 0.0
            z = x @ kernel + h @ recurrent + bias
            i, f, g, o = np.split(z, 4)
            c = rec(f) * c + rec(i) * act(g)
            h = rec(o) * act(c)
        elif cls == "GRU":
            if not cfg.get("reset_after", True):
                bias = np.asarray(weights[2], np.float64) if use_bias else np.zeros(3 * units)
                xz, xr, xh = np.split(x @ kernel + bias, 3)
                z = rec(xz + h @ recurrent[:, :units])
                r = rec(xr + h @ recurrent[:, units:2 * units])
                hh = act(xh + (r * h) @ recurrent[:, 2 * units:])
            else:
                bias = np.asarray(weights[2], np.float64) if use_bias else np.zeros((2, 3 * units))
                xz, xr, xh = np.split(x @ kernel + bias[0], 3)
                rz, rr, rh = np.split(h @ recurrent + bias[1], 3)
                z = rec(xz + rz)
                r = rec(xr + rr)
                hh = act(xh + r * rh)
            h = z * h + (1.0 - z) * hh
        elif cls == "SimpleRNN":
            bias = np.asarray(weights[2], np.float64) if use_bias else 0.0
            h = act(x @ kernel + bias + h @ recurrent)
        else:
            raise ExportError("the numpy evaluator does not know " + cls)
        outputs.append(h)
    # go_backwards: outputs stay in processing order, as Keras returns them.
    return np.stack(outputs) if cfg.get("return_sequences", False) else outputs[-1]


def _count_weights(layer_entry):
    cfg = layer_entry["config"]
    return 3 if cfg.get("use_bias", True) else 2


def keras_predict(model, x):
    """Evaluates a weights file (parsed JSON) on x (T, F) with Keras semantics in float64; returns a flat array."""
    layers = model["config"]["layers"] if isinstance(model["config"], dict) else model["config"]
    value = np.asarray(x, np.float64)
    for layer in layers:
        cls, cfg, weights = layer["class_name"], layer["config"], layer.get("weights", [])
        if cls == "Embedding":  # x: token ids, (T,) or (T, 1)
            value = np.asarray(weights[0], np.float64)[np.asarray(x).reshape(-1).astype(np.int64)]
        elif cls in ("LSTM", "GRU", "SimpleRNN"):
            value = _keras_rnn(cls, cfg, weights, value)
        elif cls == "Bidirectional":
            fwd, bwd = cfg["layer"], cfg.get("backward_layer")
            if bwd is None:  # Keras 2 / tfjs: the backward layer is the forward one with go_backwards flipped
                bwd = {"class_name": fwd["class_name"], "config": dict(fwd["config"])}
                bwd["config"]["go_backwards"] = not fwd["config"].get("go_backwards", False)
            n = _count_weights(fwd)
            y = _keras_rnn(fwd["class_name"], fwd["config"], weights[:n], value)
            y_rev = _keras_rnn(bwd["class_name"], bwd["config"], weights[n:], value)
            if fwd["config"].get("return_sequences", False):
                y_rev = y_rev[::-1]  # Bidirectional re-aligns the backward sequence in time
            mode = cfg.get("merge_mode", "concat")
            value = {"concat": lambda: np.concatenate([y, y_rev], axis=-1), "sum": lambda: y + y_rev,
                     "ave": lambda: 0.5 * (y + y_rev), "mul": lambda: y * y_rev}[mode]()
        elif cls == "Dense":
            y = value @ np.asarray(weights[0], np.float64)
            if cfg.get("use_bias", True):
                y = y + np.asarray(weights[1], np.float64)
            value = _act(cfg.get("activation", "linear"))(y)
        elif cls == "TimeDistributed":
            inner = cfg["layer"]["config"]
            y = value @ np.asarray(weights[0], np.float64)
            if inner.get("use_bias", True):
                y = y + np.asarray(weights[1], np.float64)
            value = _act(inner.get("activation", "linear"))(y)
        elif cls == "RepeatVector":
            value = np.tile(value.reshape(1, -1), (int(cfg["n"]), 1))
        elif cls == "Activation":
            value = _act(cfg.get("activation", "linear"))(value)
        elif cls in ("Dropout", "InputLayer"):
            pass
        else:
            raise ExportError("the numpy evaluator does not know " + cls)
    return np.asarray(value).reshape(-1)


# ------------------------------------------------------------- the same modules run by PyTorch itself

def _eager(m):
    """An ordinary nn module equal to a TorchScript one (scripted RNNs keep only their compiled overloads)."""
    if not isinstance(m, torch.jit.ScriptModule):
        return m
    kind = _kind(m)
    if kind in KERAS_CLASS:
        extra = {"nonlinearity": m.nonlinearity} if kind == "RNN" else {}
        eager = getattr(nn, kind)(int(m.input_size), int(m.hidden_size), num_layers=int(m.num_layers),
                                  bias=bool(m.bias), batch_first=bool(m.batch_first),
                                  bidirectional=bool(m.bidirectional), **extra)
    elif kind == "Linear":
        eager = nn.Linear(int(m.in_features), int(m.out_features), bias="bias" in m.state_dict())
    else:
        return m
    eager.load_state_dict(m.state_dict())
    return eager.eval()


def torch_predict(layers, x, head="last", activation=None):
    """Runs the modules with PyTorch on one sequence x (T, F) with the export's head semantics; flat float32."""
    modules = [_eager(m) for m in _flatten(list(layers))]
    if activation is not None:
        modules.append(activation)
    recurrent_at = [i for i, m in enumerate(modules) if _kind(m) in KERAS_CLASS]
    if any(_kind(m) == "Embedding" for m in modules):
        value = torch.as_tensor(np.asarray(x).reshape(-1).astype(np.int64))  # (T,) token ids
    else:
        value = torch.as_tensor(np.asarray(x, np.float32))  # (T, F)
    training = [(m, m.training) for m in modules if isinstance(m, nn.Module)]
    for m, _ in training:
        m.eval()  # inference: no dropout between stacked layers
    try:
        return _run(modules, recurrent_at, value, head)
    finally:
        for m, mode in training:
            m.train(mode)


def _run(modules, recurrent_at, value, head):
    with torch.no_grad():
        for index, m in enumerate(modules):
            kind = _kind(m)
            if kind in KERAS_CLASS:
                batch_first = bool(m.batch_first)
                inp = value.unsqueeze(0) if batch_first else value.unsqueeze(1)
                output, hidden = m(inp)
                repeated = _kind(_next_layer(modules, index)) == "RepeatVector"
                if (index == recurrent_at[-1] and head == "last") or repeated:
                    h_n = hidden[0] if kind == "LSTM" else hidden  # (num_layers * directions, 1, H)
                    directions = 2 if m.bidirectional else 1
                    value = torch.cat([h_n[-directions + d, 0] for d in range(directions)], dim=-1)
                else:
                    value = output[0] if batch_first else output[:, 0]
            elif kind in ("Linear", "Embedding", "TimeDistributed", "RepeatVector"):
                value = m(value)
            elif kind in ("Dropout", "Identity"):
                continue
            else:
                name = _activation_name(m)
                value = _act_torch(name)(value)
    return value.reshape(-1).numpy().astype(np.float32)


def _act_torch(name):
    return {"softmax": lambda v: torch.softmax(v, dim=-1), "sigmoid": torch.sigmoid, "tanh": torch.tanh,
            "relu": torch.relu, "linear": lambda v: v}[name]


def compare(expected, actual):
    """(ok, max |difference|, max relative difference) with the tests' tolerance max(1e-5, 1e-4 |expected|)."""
    expected = np.asarray(expected, np.float64)
    actual = np.asarray(actual, np.float64)
    if expected.shape != actual.shape:
        return False, math.inf, math.inf
    diff = np.abs(expected - actual)
    ok = bool(np.all(diff <= np.maximum(1e-5, 1e-4 * np.abs(expected))))
    rel = float(np.max(diff / np.maximum(1.0, np.abs(expected)))) if diff.size else 0.0
    return ok, float(np.max(diff)) if diff.size else 0.0, rel


SelfCheck = collections.namedtuple("SelfCheck", ["ok", "max_abs_difference", "max_relative_difference"])


def self_check(path, layers, head="last", activation=None, features=None, timesteps=None, cases=3, seed=0):
    """Re-reads the exported file with keras_predict and compares with torch_predict on random inputs.

    Returns SelfCheck(ok, max_abs_difference, max_relative_difference)."""
    with open(path) as f:
        model = json.load(f)
    modules = _flatten(list(layers))
    features = features or int(next(m for m in modules if _kind(m) in KERAS_CLASS).input_size)
    vocabulary = next((int(m.num_embeddings) for m in modules if _kind(m) == "Embedding"), None)
    rng = np.random.default_rng(seed)
    worst_abs, worst_rel, ok_all = 0.0, 0.0, True
    for case in range(cases):
        t = timesteps or (1, 5, 11)[case % 3]
        if vocabulary:
            x = rng.integers(0, vocabulary, size=t)
        else:
            x = rng.uniform(-2, 2, size=(t, features)).astype(np.float32)
        ok, d, rel = compare(torch_predict(layers, x, head, activation), keras_predict(model, x))
        ok_all &= ok
        worst_abs, worst_rel = max(worst_abs, d), max(worst_rel, rel)
    return SelfCheck(ok_all, worst_abs, worst_rel)


# --------------------------------------------------------------------------------------------------- CLI

def _load_module(path):
    try:
        return torch.jit.load(path, map_location="cpu")
    except Exception:  # not TorchScript: a whole module saved with torch.save(model)
        try:
            module = torch.load(path, map_location="cpu")
        except (AttributeError, ModuleNotFoundError) as e:
            # torch.save(model) pickles the class by reference; a class defined in the training script's
            # __main__ cannot be found when another program loads the file.
            raise ExportError(
                "%s holds a model whose class cannot be found here (%s): torch.save(model) stores only a reference "
                "to the class. Either save TorchScript in the training script (torch.jit.save(torch.jit.script(model), "
                "'model.pt')) and export that file, or export from the training script itself: "
                "from lstmgen_export import export; export('model.json', list(model.children()))" % (path, e)) from None
        if not isinstance(module, nn.Module):
            raise ExportError("%s holds a %s, not a module: save the whole model (torch.save(model)) or "
                              "TorchScript (torch.jit.save(torch.jit.script(model))); for a state_dict, "
                              "build the model and call export() from Python" % (path, type(module).__name__))
        return module


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export a PyTorch LSTM/GRU/RNN + Linear model to LstmGen's JSON.")
    parser.add_argument("model", help="TorchScript file or torch.save(model) file")
    parser.add_argument("output", help="the weights file to write, e.g. Models/model.json")
    parser.add_argument("--timesteps", type=int, default=None, help="fixed sequence length (default: variable)")
    parser.add_argument("--head", choices=("last", "sequence"), default="last")
    parser.add_argument("--activation", choices=("softmax", "sigmoid", "tanh", "relu"), default=None)
    parser.add_argument("--name", default="model")
    parser.add_argument("--self-check", action="store_true",
                        help="compare the written file (numpy Keras evaluator) with the PyTorch modules")
    args = parser.parse_args(argv)
    try:
        module = _load_module(args.model)
        module.eval()
        layers = list(module.children()) or [module]
        keras_layers = export(args.output, layers, timesteps=args.timesteps, head=args.head,
                              activation=args.activation, name=args.name)
    except ExportError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    print("wrote %s: %s" % (args.output, " -> ".join(l["class_name"] for l in keras_layers)))
    if args.self_check:
        ok, d, rel = self_check(args.output, layers, args.head, args.activation, timesteps=args.timesteps)
        print("self-check: %s, max |difference| %.3g (relative %.3g)" % ("ok" if ok else "MISMATCH", d, rel))
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
