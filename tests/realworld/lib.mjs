// Helpers for make-references.mjs: PRNG, float32 printing, a minimal zip reader, HDF5 access via h5wasm.
import fs from 'node:fs';
import zlib from 'node:zlib';

/** mulberry32: a small 32-bit seeded PRNG, returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string: the fixed per-model seed. */
export function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Standard normal samples (Box-Muller on mulberry32), rounded to float32. */
export function normalSampler(rand) {
  let spare = null;
  return function () {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = Math.fround(r * Math.sin(2 * Math.PI * v));
    return Math.fround(r * Math.cos(2 * Math.PI * v));
  };
}

/** Shortest decimal text that reads back (as float32) to the same float32 value. */
export function f32String(x) {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) throw new Error(`non-finite value ${x}`);
  if (Number.isInteger(f) && Math.abs(f) < 1e15) return String(f);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/** Minimal zip reader (stored / deflate entries) over the central directory. */
export function readZip(path) {
  const buf = fs.readFileSync(path);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${path}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = {};
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const lNameLen = buf.readUInt16LE(local + 26), lExtraLen = buf.readUInt16LE(local + 28);
    const data = buf.subarray(local + 30 + lNameLen + lExtraLen, local + 30 + lNameLen + lExtraLen + csize);
    entries[name] = method === 0 ? Buffer.from(data) : method === 8 ? zlib.inflateRawSync(data) : (() => { throw new Error(`zip method ${method}`); })();
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Keras's to_snake_case (keras/src/utils/naming.py). */
export function toSnakeCase(name) {
  let s = name.replace(/\W+/g, '');
  s = s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  s = s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return s;
}

/** Serializes an expected-file object: header fields pretty, number arrays on one line. */
export function expectedJson(obj) {
  const head = Object.entries(obj).filter(([k]) => k !== 'cases')
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const cases = obj.cases.map(c =>
    `    {\n      "timesteps": ${c.timesteps},\n      "input": [${c.input.map(f32String).join(', ')}],\n      "output": [${c.output.map(f32String).join(', ')}]\n    }`);
  return `{\n${head.join(',\n')},\n  "cases": [\n${cases.join(',\n')}\n  ]\n}\n`;
}
