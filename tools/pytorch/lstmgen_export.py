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
  Convolutional front end, before the first recurrent layer (after nn.Embedding if there is one):
  nn.Conv1d -> Conv1D (channels_last; padding 0 / "valid" -> valid; "same", or a symmetric int padding equal to it
            (stride 1, dilation * (kernel_size - 1) = 2 * padding) -> same; any other int padding p ->
            ZeroPadding1D([p, p]) then a valid Conv1D, exactly PyTorch's zero padding; stride > 1 together with
            dilation > 1, which Keras's Conv1D does not allow, -> a stride-1 Conv1D then MaxPooling1D(pool_size=1,
            strides=stride), which keeps every stride-th row: the same numbers). padding_mode other than "zeros"
            is rejected. A following activation becomes the Conv1D's activation, as for Linear.
  nn.MaxPool1d -> MaxPooling1D(pool_size, strides, "valid"); padding > 0, dilation > 1, ceil_mode=True and
            return_indices=True are rejected.
  nn.AvgPool1d -> AveragePooling1D(pool_size, strides, "valid"); padding p > 0 with count_include_pad=True (the
            default) -> ZeroPadding1D([p, p]) first (PyTorch divides by kernel_size there too); padding > 0 with
            count_include_pad=False and ceil_mode=True are rejected.
  Transpose() (this module's) -> nothing: it marks where the layout changes (see "Layout" below).
  nn.BatchNorm1d -> BatchNormalization (inference form: y = weight * (x - running_mean) / sqrt(running_var + eps)
            + bias over the features / channels; axis -1, epsilon = eps; affine=False -> center and scale false,
            no gamma or beta arrays; momentum is training-only and ignored). Anywhere: in the convolutional front
            end (after nn.Conv1d, each channel), on a vector after the recurrent layers (LSTM last output ->
            BatchNorm1d -> Linear), or on their sequence output (each timestep's features; in PyTorch that is
            bn(out.transpose(1, 2)).transpose(1, 2), since BatchNorm1d takes (batch, channels, length)).
            The running statistics are exported, i.e. the module's eval() behaviour: a BatchNorm1d in training mode
            (which would use the batch's statistics) is rejected (call model.eval() first), and so is
            track_running_stats=False (no running statistics: it always normalizes with the batch's).
Anything else (proj_size > 0, LSTMCell, Conv2d, BatchNorm2d, ...) raises ExportError naming the module.

Layout: PyTorch's Conv1d and pools take (batch, channels, length) and its recurrent layers (batch, length,
features) (or (length, batch, features)), so a CNN-LSTM's forward() transposes twice:
    x = self.pool(torch.relu(self.conv(x.transpose(1, 2))))   # x: (batch, T, F) -> (batch, C, T')
    out, _ = self.lstm(x.transpose(1, 2))                      # back to (batch, T', C)
The transposes are not modules, and the exporter does not need them: pass [conv, nn.ReLU(), pool, lstm, fc]. The
convolution and pooling modules are understood to see channels-first data, everything from the first recurrent
layer on channels-last data, and the exported model takes the sequence as (T, F) rows, like the recurrent layers.
An activation in the front end is elementwise (nn.Softmax there must be over the channels: dim=1 or dim=-2).
For a front end written as an nn.Sequential that runs in PyTorch as it is, put this module's Transpose() (x ->
x.transpose(-1, -2)) where the layout changes: nn.Sequential(Transpose(), nn.Conv1d(...), nn.ReLU(),
nn.MaxPool1d(2), Transpose()). Once a Transpose is among the modules the layout is taken from them and checked:
each Conv1d / pool must see channels-first data, each other module channels-last data, except nn.BatchNorm1d,
which on a sequence must see channels-first data (nn.Sequential(Transpose(), nn.BatchNorm1d(H), Transpose()) after
a recurrent layer), and on a vector either; the modules must end on channels-last data.
nn.BatchNorm1d needs no Transpose on a vector (batch, features). Without Transpose modules a BatchNorm1d before the
first recurrent layer belongs to the front end (channels-first, like a Conv1d), and one on the recurrent layers'
sequence output is understood to see it transposed (bn(out.transpose(1, 2)).transpose(1, 2)).

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
  BatchNormalization: gamma = weight, beta = bias (both only when affine=True), moving_mean = running_mean,
             moving_variance = running_var; epsilon = eps.
  Conv1D:    kernel = weight.permute(2, 1, 0) (kernel_size, in / groups, out), bias = bias; groups keep their
             order (PyTorch and Keras both give filter group g the g-th slice of input channels).
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

__all__ = ["RepeatVector", "TimeDistributed", "Transpose", "export", "to_keras", "write_model", "keras_predict", "torch_predict", "self_check", "compare", "ExportError"]

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


class Transpose(nn.Module):
    """Swaps the last two axes, (batch, length, channels) <-> (batch, channels, length), for convolutional front ends
    written as an nn.Sequential: nn.Sequential(Transpose(), nn.Conv1d(...), nn.ReLU(), nn.MaxPool1d(2), Transpose()).
    The exporter writes nothing for it; it only tells the exporter where the layout changes."""

    def forward(self, x):
        return x.transpose(-1, -2)


def _kind(module):
    """The nn class name of a module, also for TorchScript modules (which keep it as original_name)."""
    if isinstance(module, str):
        return "str"
    if isinstance(module, torch.jit.ScriptModule):
        return getattr(module, "original_name", type(module).__name__)
    for cls in (nn.LSTM, nn.GRU, nn.RNN, nn.Linear, nn.Sequential, nn.Softmax, nn.Sigmoid, nn.Tanh, nn.ReLU,
                nn.Dropout, nn.Identity, nn.Embedding, nn.Conv1d, nn.MaxPool1d, nn.AvgPool1d, nn.BatchNorm1d):
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


def _activation_name(m, channels_first=False):
    kind = _kind(m)
    if kind == "str":
        name = m.lower()
        if name not in ACTIVATIONS:
            raise ExportError("activation %r is not one of %s" % (m, ", ".join(ACTIVATIONS)))
        return name
    if kind == "Softmax":
        dim = getattr(m, "dim", None)
        if channels_first:
            if dim not in (1, -2):
                raise ExportError("nn.Softmax(dim=%r) in the convolutional front end, which sees (batch, channels, "
                                  "length): only dim=1 or dim=-2 (over the channels) has a Keras equivalent" % (dim,))
        elif dim != -1:
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


FRONT_END = ("Conv1d", "MaxPool1d", "AvgPool1d")  # before the first recurrent layer only; see "Layout"
FRONT_END_LAYOUT = FRONT_END + ("BatchNorm1d",)  # without Transpose modules: channels-first before the recurrent layers
ACTIVATION_KINDS = ("str", "Softmax", "Sigmoid", "Tanh", "ReLU")
NO_OPS = ("Dropout", "Identity")


def _one(value):
    """A 1-D module option: an int or a tuple of one int (as Conv1d stores them)."""
    if isinstance(value, (tuple, list)):
        (value,) = value
    return int(value)


def _layouts(modules, recurrent_at):
    """For each module, True when PyTorch gives it (batch, channels, length) data (see "Layout" above).

    With Transpose modules among them the layout is what they make it; without, the modules from the first
    Conv1d / pool on (and any activation between the Embedding and them) up to the first recurrent layer are
    channels-first, since forward() transposes around them."""
    first_recurrent = recurrent_at[0] if recurrent_at else len(modules)
    if any(_kind(m) == "Transpose" for m in modules):
        layouts, channels_first = [], False
        for m in modules:
            layouts.append(channels_first)
            if _kind(m) == "Transpose":
                channels_first = not channels_first
        return layouts
    front = any(_kind(m) in FRONT_END_LAYOUT for m in modules[:first_recurrent])
    return [front and i < first_recurrent and _kind(m) != "Embedding" for i, m in enumerate(modules)]


def _sequence_rows(layer, rows):
    """Rows out of a ZeroPadding1D / Conv1D / pooling layer (Keras semantics) for `rows` rows in; None: not one."""
    cls, cfg = layer["class_name"], layer["config"]
    if cls == "ZeroPadding1D":
        return rows + sum(cfg["padding"])
    if cls not in ("Conv1D", "MaxPooling1D", "AveragePooling1D"):
        return None
    size = cfg["kernel_size"][0] if cls == "Conv1D" else cfg["pool_size"][0]
    span = (cfg.get("dilation_rate", [1])[0] * (size - 1) + 1) if cls == "Conv1D" else size
    stride = cfg["strides"][0]
    if cfg.get("padding", "valid") in ("same", "causal"):
        return -(-rows // stride)
    return 0 if rows < span else (rows - span) // stride + 1


def _conv_layers(m, where, unique, width):
    """The Keras layers for an nn.Conv1d: [ZeroPadding1D], Conv1D, [MaxPooling1D(1, stride) subsampling]."""
    if getattr(m, "padding_mode", "zeros") != "zeros":
        raise ExportError("%s: padding_mode=%r: only 'zeros' has a Keras equivalent (Keras pads convolutions with "
                          "zeros); pad the input yourself and use padding=0" % (where, m.padding_mode))
    in_channels, filters, groups = int(m.in_channels), int(m.out_channels), int(m.groups)
    if in_channels != width:
        raise ExportError("%s: in_channels %d, but its input has %d features" % (where, in_channels, width))
    k, stride, dilation = _one(m.kernel_size), _one(m.stride), _one(m.dilation)
    layers = []
    if isinstance(m.padding, str):  # "valid" or "same" (PyTorch allows "same" with stride 1 only)
        if m.padding not in ("valid", "same"):
            raise ExportError("%s: padding=%r is not 'valid', 'same' or a number" % (where, m.padding))
        padding = m.padding
    else:
        pad = _one(m.padding)
        if pad == 0:
            padding = "valid"
        elif stride == 1 and 2 * pad == dilation * (k - 1):
            padding = "same"  # Keras "same" pads dilation * (k - 1) zeros, half before and half after: the same
        else:
            padding = "valid"  # exactly PyTorch's: pad zeros at both ends, then a valid convolution
            layers.append({"class_name": "ZeroPadding1D", "config": {"name": unique("zero_padding1d"),
                                                                      "padding": [pad, pad]}})
    state = _state(m)
    weights = [state["weight"].transpose(2, 1, 0)]  # (out, in / groups, k) -> (k, in / groups, out)
    if "bias" in state:
        weights.append(state["bias"])
    # Keras's Conv1D does not take strides > 1 together with dilation_rate > 1: such a convolution is written with
    # stride 1, then every stride-th row is kept (MaxPooling1D of one row), which gives PyTorch's rows exactly.
    subsample = stride > 1 and dilation > 1
    layers.append({"class_name": "Conv1D", "config": {
        "name": unique("conv1d"), "filters": filters, "kernel_size": [k], "strides": [1 if subsample else stride],
        "padding": padding, "data_format": "channels_last", "dilation_rate": [dilation], "groups": groups,
        "activation": "linear", "use_bias": "bias" in state}, "weights": weights})
    if subsample:
        layers.append({"class_name": "MaxPooling1D", "_subsample": True, "config": {
            "name": unique("max_pooling1d"), "pool_size": [1], "strides": [stride], "padding": "valid",
            "data_format": "channels_last"}})
    return layers


def _pool_layers(m, kind, where, unique):
    """The Keras layers for an nn.MaxPool1d / nn.AvgPool1d: [ZeroPadding1D], MaxPooling1D / AveragePooling1D."""
    k = _one(m.kernel_size)
    stride = k if m.stride is None else _one(m.stride)
    pad = _one(m.padding)
    if getattr(m, "ceil_mode", False):
        raise ExportError("%s: ceil_mode=True (a last, partial window) has no Keras equivalent; use ceil_mode=False"
                          % where)
    layers = []
    if kind == "MaxPool1d":
        if getattr(m, "return_indices", False):
            raise ExportError("%s: return_indices=True: the model must use the pooled values only" % where)
        if _one(m.dilation) != 1:
            raise ExportError("%s: dilation=%d has no Keras equivalent (MaxPooling1D has no dilation)"
                              % (where, _one(m.dilation)))
        if pad:
            raise ExportError("%s: padding=%d (PyTorch pads with -inf) has no exact Keras equivalent; use padding=0"
                              % (where, pad))
    elif pad:
        if not getattr(m, "count_include_pad", True):
            raise ExportError("%s: padding=%d with count_include_pad=False (the average of the real rows only) has "
                              "no exact Keras equivalent; use count_include_pad=True or padding=0" % (where, pad))
        # count_include_pad=True: zeros padded at both ends count in every average, as a ZeroPadding1D gives.
        layers.append({"class_name": "ZeroPadding1D", "config": {"name": unique("zero_padding1d"),
                                                                  "padding": [pad, pad]}})
    cls = "MaxPooling1D" if kind == "MaxPool1d" else "AveragePooling1D"
    layers.append({"class_name": cls, "config": {
        "name": unique("max_pooling1d" if kind == "MaxPool1d" else "average_pooling1d"), "pool_size": [k],
        "strides": [stride], "padding": "valid", "data_format": "channels_last"}})
    return layers


def _batch_norm_layer(m, where, unique, width):
    """The Keras BatchNormalization (inference form) for an nn.BatchNorm1d in eval mode."""
    features = int(m.num_features)
    if features != width:
        raise ExportError("%s: num_features %d, but its input has %d features" % (where, features, width))
    state = _state(m)
    if not getattr(m, "track_running_stats", True) or "running_mean" not in state or "running_var" not in state:
        raise ExportError("%s: nn.BatchNorm1d with track_running_stats=False has no running statistics (it normalizes "
                          "with each batch's own mean and variance, also in eval mode); only the inference form with "
                          "running statistics has a Keras equivalent: train with track_running_stats=True" % where)
    if m.training:
        raise ExportError("%s: nn.BatchNorm1d is in training mode, where it normalizes with the batch's statistics; "
                          "the export uses the running statistics (eval mode): call model.eval() first" % where)
    affine = "weight" in state and "bias" in state
    weights = ([state["weight"], state["bias"]] if affine else []) + [state["running_mean"], state["running_var"]]
    return {"class_name": "BatchNormalization", "config": {
        "name": unique("batch_normalization"), "axis": -1, "epsilon": float(m.eps), "center": affine,
        "scale": affine}, "weights": weights}


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
    before = [(i, m) for i, m in enumerate(modules[:recurrent_at[0]]) if _kind(m) not in NO_OPS]
    front = any(_kind(m) in FRONT_END_LAYOUT for _, m in before)
    for position, (i, m) in enumerate(before):
        kind = _kind(m)
        if (position == 0 and kind == "Embedding") or kind in FRONT_END_LAYOUT + ("Transpose",) or (
                front and kind in ACTIVATION_KINDS):
            continue
        hint = ""
        if front:
            hint = ("; the transposes between (batch, length, channels) and (batch, channels, length) around "
                    "convolutions are left out (the exporter knows where they are) or written as "
                    "lstmgen_export.Transpose()")
        raise ExportError("the first layer must be nn.LSTM, nn.GRU or nn.RNN, or come before one as nn.Embedding "
                          "(first) or a convolutional front end (nn.Conv1d, nn.MaxPool1d, nn.AvgPool1d, nn.BatchNorm1d, "
                          "activations): "
                          "layer %d (%s) is none of these%s" % (i, kind, hint))
    embedding_at = before[0][0] if before and _kind(before[0][1]) == "Embedding" else None
    last_recurrent = recurrent_at[-1]
    layouts = _layouts(modules, recurrent_at)
    steps = None if timesteps is None else int(timesteps)  # rows of the current value, when fixed
    explicit = any(_kind(m) == "Transpose" for m in modules)  # the layout is taken from Transpose modules
    sequence = True  # whether the current value is a sequence (else one vector)

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
        if kind in FRONT_END and index > recurrent_at[0]:
            raise ExportError("%s: nn.Conv1d, nn.MaxPool1d and nn.AvgPool1d are supported before the first recurrent "
                              "layer only (a convolutional front end)" % where)
        if kind == "BatchNorm1d":
            if explicit and sequence and not layouts[index]:
                raise ExportError("%s sees (batch, length, channels) data here (after the Transpose modules before "
                                  "it), but nn.BatchNorm1d normalizes dimension 1: put lstmgen_export.Transpose() "
                                  "before and after it" % where)
        elif kind not in ACTIVATION_KINDS + NO_OPS + ("Transpose",) and layouts[index] != (kind in FRONT_END):
            raise ExportError("%s sees (batch, %s) data here (after the Transpose modules before it): put "
                              "lstmgen_export.Transpose() before it" % (
                                  where, "channels, length" if layouts[index] else "length, channels"))
        if kind == "Transpose":
            if not sequence:
                raise ExportError("%s: Transpose on a vector (the recurrent layer before it returns its last "
                                  "state); it is for sequences only" % where)
            if index > recurrent_at[0] and _kind(_next_layer(modules, index)) not in ("BatchNorm1d", "Transpose") and (
                    index == 0 or _kind(modules[index - 1]) != "BatchNorm1d"):
                raise ExportError("%s: after the first recurrent layer, Transpose is only for an nn.BatchNorm1d on "
                                  "the sequence (Transpose(), nn.BatchNorm1d(H), Transpose())" % where)
            continue
        if kind == "BatchNorm1d":
            if width is None:
                width = int(m.num_features) if input_features is None else int(input_features)
                first_features = width
            out.append(_batch_norm_layer(m, where, unique, width))
            continue
        if kind in FRONT_END:
            if width is None:
                if kind == "Conv1d" and input_features is None:
                    width = int(m.in_channels)
                elif input_features is not None:
                    width = int(input_features)
                else:
                    raise ExportError("%s: a pool as the first module of the front end: pass input_features= (the "
                                      "features per timestep)" % where)
                first_features = width
            added = _conv_layers(m, where, unique, width) if kind == "Conv1d" else _pool_layers(m, kind, where, unique)
            for layer in added:
                rows = None if steps is None else _sequence_rows(layer, steps)
                if rows is not None and rows < 1:
                    raise ExportError("%s: with timesteps=%d, %d rows reach its Keras %s (%s), which leaves no rows" % (
                        where, int(timesteps), steps, layer["class_name"], ", ".join(
                            "%s %s" % (k, v) for k, v in layer["config"].items() if k not in ("name", "data_format"))))
                steps = rows
            out.extend(added)
            if kind == "Conv1d":
                width = int(m.out_channels)
            continue
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
            sequence = not ((index == last_recurrent and head == "last") or repeated)
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
            sequence = True
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
            name = _activation_name(m, layouts[index])
            if name is None:
                raise ExportError("%s: unsupported module %r (supported: Embedding, Conv1d, MaxPool1d, AvgPool1d, "
                                  "LSTM, GRU, RNN, Linear, RepeatVector, TimeDistributed, Transpose, Softmax, Sigmoid, "
                                  "Tanh, ReLU, BatchNorm1d, Dropout, Identity, Sequential)" % (where, type(m).__name__))
            if name == "linear":
                continue
            if not out:
                raise ExportError("%s: an activation cannot be the first layer" % where)
            target = out[-2] if out[-1].get("_subsample") else out[-1]  # Conv1D then its row subsampling
            if target["class_name"] in ("Dense", "Conv1D") and target["config"]["activation"] == "linear":
                target["config"]["activation"] = name
            else:
                out.append({"class_name": "Activation", "config": {"name": unique("activation"), "activation": name}})

    if explicit and sequence and layouts[-1] != (_kind(modules[-1]) == "Transpose"):
        raise ExportError("the modules end on (batch, channels, length) data (after the Transpose modules): add "
                          "lstmgen_export.Transpose() at the end")

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

    layers: nn.LSTM / nn.GRU / nn.RNN / nn.Linear / activation modules or names / nn.Sequential, optionally
          after nn.Embedding and a convolutional front end (nn.Conv1d / nn.MaxPool1d / nn.AvgPool1d; the
          transposes around it left out, see "Layout" at the top of this file).
    input_features: features per timestep (default: the first Conv1d's in_channels or recurrent module's
          input_size; checked).
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


def _keras_conv1d(cfg, weights, xs):
    """Keras Conv1D (channels_last, valid / same / causal padding, dilation, groups) on xs (T, C), float64."""
    kernel = np.asarray(weights[0], np.float64)  # (k, in / groups, filters)
    k, group_in, filters = kernel.shape
    stride, dilation = int(cfg.get("strides", [1])[0]), int(cfg.get("dilation_rate", [1])[0])
    groups = int(cfg.get("groups", 1))
    span = dilation * (k - 1) + 1
    rows = xs.shape[0]
    padding = cfg.get("padding", "valid")
    if padding == "same":  # TensorFlow: out = ceil(T / stride); the odd zero, if any, goes after
        total = max((-(-rows // stride) - 1) * stride + span - rows, 0)
        xs = np.concatenate([np.zeros((total // 2, xs.shape[1])), xs, np.zeros((total - total // 2, xs.shape[1]))])
    elif padding == "causal":
        xs = np.concatenate([np.zeros((span - 1, xs.shape[1])), xs])
    count = (xs.shape[0] - span) // stride + 1
    group_out = filters // groups
    ys = np.zeros((count, filters))
    for t in range(count):
        window = xs[t * stride: t * stride + span: dilation]  # (k, in)
        for g in range(groups):
            part = window[:, g * group_in:(g + 1) * group_in]
            ys[t, g * group_out:(g + 1) * group_out] = np.einsum("ki,kio->o", part,
                                                                  kernel[:, :, g * group_out:(g + 1) * group_out])
    if cfg.get("use_bias", True):
        ys = ys + np.asarray(weights[1], np.float64)
    return _act(cfg.get("activation", "linear"))(ys)


def _keras_pool1d(cls, cfg, xs):
    """Keras MaxPooling1D / AveragePooling1D with padding valid on xs (T, C)."""
    if cfg.get("padding", "valid") != "valid":
        raise ExportError("the numpy evaluator only knows valid pooling")
    size = int(cfg["pool_size"][0])
    stride = int((cfg.get("strides") or cfg["pool_size"])[0])
    count = (xs.shape[0] - size) // stride + 1
    reduce = np.max if cls == "MaxPooling1D" else np.mean
    return np.stack([reduce(xs[t * stride:t * stride + size], axis=0) for t in range(count)])


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
        elif cls == "ZeroPadding1D":
            before, after = cfg["padding"] if isinstance(cfg["padding"], list) else (cfg["padding"],) * 2
            value = np.concatenate([np.zeros((before, value.shape[1])), value, np.zeros((after, value.shape[1]))])
        elif cls == "Conv1D":
            value = _keras_conv1d(cfg, weights, value)
        elif cls in ("MaxPooling1D", "AveragePooling1D"):
            value = _keras_pool1d(cls, cfg, value)
        elif cls == "BatchNormalization":  # inference form, over the last axis
            k = 0
            gamma = np.asarray(weights[k], np.float64) if cfg.get("scale", True) else 1.0
            k += 1 if cfg.get("scale", True) else 0
            beta = np.asarray(weights[k], np.float64) if cfg.get("center", True) else 0.0
            k += 1 if cfg.get("center", True) else 0
            mean, variance = np.asarray(weights[k], np.float64), np.asarray(weights[k + 1], np.float64)
            value = gamma * (value - mean) / np.sqrt(variance + float(cfg.get("epsilon", 0.001))) + beta
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
    layouts = _layouts(modules, recurrent_at)
    if any(_kind(m) == "Embedding" for m in modules):
        value = torch.as_tensor(np.asarray(x).reshape(-1).astype(np.int64))  # (T,) token ids
    else:
        value = torch.as_tensor(np.asarray(x, np.float32))  # (T, F)
    training = [(m, m.training) for m in modules if isinstance(m, nn.Module)]
    for m, _ in training:
        m.eval()  # inference: no dropout between stacked layers
    try:
        return _run(modules, recurrent_at, layouts, value, head)
    finally:
        for m, mode in training:
            m.train(mode)


def _run(modules, recurrent_at, layouts, value, head):
    # value is one sequence, (T, features), throughout; PyTorch's convolutions and pools get it as (1, C, T).
    with torch.no_grad():
        for index, m in enumerate(modules):
            kind = _kind(m)
            if kind in FRONT_END:
                value = m(value.t().unsqueeze(0))[0].t()
            elif kind == "Transpose":
                continue
            elif kind == "BatchNorm1d":  # (1, C, T) for a sequence, (1, C) for a vector
                value = m(value.t().unsqueeze(0))[0].t() if value.dim() == 2 else m(value.unsqueeze(0))[0]
            elif kind in KERAS_CLASS:
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
                name = _activation_name(m, layouts[index])
                value = _act_torch(name)(value)  # over the features (the channels in a front end)
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


def _shortest_input(keras_layers, longest=100000):
    """The fewest timesteps that leave at least one row after every convolution and pooling layer."""
    for t in range(1, longest):
        rows = t
        for layer in keras_layers:
            rows = _sequence_rows(layer, rows) if _sequence_rows(layer, rows) is not None else rows
            if rows < 1:
                break
        else:
            return t
    raise ExportError("no input of fewer than %d timesteps reaches the recurrent layers" % longest)


SelfCheck = collections.namedtuple("SelfCheck", ["ok", "max_abs_difference", "max_relative_difference"])


def self_check(path, layers, head="last", activation=None, features=None, timesteps=None, cases=3, seed=0):
    """Re-reads the exported file with keras_predict and compares with torch_predict on random inputs.

    Returns SelfCheck(ok, max_abs_difference, max_relative_difference)."""
    with open(path) as f:
        model = json.load(f)
    modules = _flatten(list(layers))
    shape = model["config"]["layers"][0]["config"].get("batch_input_shape") or []
    features = features or (int(shape[2]) if len(shape) == 3 else
                            int(next(m for m in modules if _kind(m) in KERAS_CLASS).input_size))
    vocabulary = next((int(m.num_embeddings) for m in modules if _kind(m) == "Embedding"), None)
    shortest = _shortest_input(model["config"]["layers"])
    rng = np.random.default_rng(seed)
    worst_abs, worst_rel, ok_all = 0.0, 0.0, True
    for case in range(cases):
        t = timesteps or max((1, 5, 11)[case % 3], shortest)
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
    parser = argparse.ArgumentParser(description="Export a PyTorch (Conv1d +) LSTM/GRU/RNN + Linear model to LstmGen's JSON.")
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
