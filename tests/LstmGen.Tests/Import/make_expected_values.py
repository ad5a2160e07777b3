"""Expected weights of the real-world model files, read independently of LstmGen (json + numpy for tfjs,
h5py for HDF5, zipfile + h5py for .keras). Writes realworld_expected.json beside this script.

Run with a python that has h5py and numpy:  /usr/bin/python3 make_expected_values.py /work/shared/realworld
For each file: every weight's layer, name and shape in the import layout's order, and the values at a few
flat indices (first, last, middle) as float32 bit patterns (exact comparison)."""
import io, json, os, sys, zipfile
import h5py
import numpy as np

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/realworld"


def picks(a):
    flat = np.asarray(a, dtype=np.float32).reshape(-1)
    idx = sorted({0, len(flat) - 1, len(flat) // 2, len(flat) // 3}) if len(flat) else []
    return [[int(i), int(flat[i:i + 1].view(np.uint32)[0])] for i in idx]


def entry(layer, name, arr):
    return {"layer": layer, "name": name, "shape": list(arr.shape), "values": picks(arr)}


def tfjs(model_json):
    d = json.load(open(model_json))
    out = []
    for group in d["weightsManifest"]:
        data = b"".join(open(os.path.join(os.path.dirname(model_json), p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"], dtype=np.int64))
            q = w.get("quantization")
            if q and q["dtype"] in ("uint8", "uint16"):
                codes = np.frombuffer(data, dtype="<u1" if q["dtype"] == "uint8" else "<u2", count=n, offset=off)
                # tfjs: v * scale + min in JavaScript doubles, stored into a Float32Array
                vals = (codes.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
                off += n * codes.itemsize
            elif (q and q["dtype"] == "float16") or w["dtype"] == "float16":
                vals = np.frombuffer(data, dtype="<f2", count=n, offset=off).astype(np.float32)
                off += 2 * n
            else:
                vals = np.frombuffer(data, dtype="<f4", count=n, offset=off)
                off += 4 * n
            out.append(entry(None, w["name"], vals.reshape(w["shape"])))
        assert off == len(data)
    return {"layout": "Tfjs", "weights": out}


def names(attr):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in np.asarray(attr).reshape(-1)] if np.asarray(attr).size else []


def keras2(group):
    out = []
    for layer in names(group.attrs["layer_names"]):
        g = group[layer]
        for w in names(g.attrs["weight_names"]):
            out.append(entry(layer, w, g[w][()]))
    return out


def keras3(f):
    out = []
    for key in sorted(f["layers"].keys()):
        def walk(g, prefix):
            if "vars" in g:
                for i in sorted(g["vars"].keys(), key=int):
                    out.append(entry(key, prefix + "vars/" + i, g["vars"][i][()]))
            for part in ("cell", "layer", "forward_layer", "backward_layer"):
                if part == "layer" and "forward_layer" in g:
                    continue
                if part in g:
                    walk(g[part], prefix + part + "/")
        walk(f["layers"][key], "")
    return out


def hdf5(path):
    with h5py.File(path, "r") as f:
        if "layer_names" in f.attrs:
            return {"layout": "Keras2", "weights": keras2(f)}
        return {"layout": "Keras2", "weights": keras2(f["model_weights"])}


def archive(path):
    z = zipfile.ZipFile(path)
    with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
        return {"layout": "Keras3", "weights": keras3(f)}


CASES = {
    "aa760_abusive_bilstm3/model.json": tfjs,
    "adithya_gesture_lstm3/model.json": tfjs,
    "aksha_stock_lstm/model.json": tfjs,
    "mbittu_bilstm3_relu/model.json": tfjs,
    "reiinakano_lstm_keras215/model.json": tfjs,
    "jessvb_drseuss_keras224/dr-seuss-20.json": tfjs,
    "jessvb_nietzsche_tfjs074/nietzsche.json": tfjs,
    "zapp_bilstm/model.json": tfjs,
    "zapp_gru/model.json": tfjs,
    "zapp_simple_rnn/model.json": tfjs,
    "agampandeyy_sarcasm_h5/model_weights.h5": hdf5,
    "anushree_imdb_bigru_h5/bigru_model.h5": hdf5,
    "arafat_emoji_bilstm2_h5/bilstm_model.h5": hdf5,
    "galalen_arabic_lstm_h5/bilstm_model.h5": hdf5,
    "vaishakh_phoneme_bilstm_h5/bilstm_model.h5": hdf5,
    "sailesh_bilstm_keras_hdf5/bilstm_model.keras": hdf5,
    "komei_lstm2_keras/lstm_model.keras": archive,
    "obaiz_btc_gru_keras/gru_model.keras": archive,
    "partha_stock_bilstm2_keras/bilstm_model.keras": archive,
}

result = {name: read(os.path.join(ROOT, name)) for name, read in CASES.items()}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "realworld_expected.json"), "w") as out:
    json.dump(result, out, indent=1, sort_keys=True)
    out.write("\n")
