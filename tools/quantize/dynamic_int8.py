"""Dynamic INT8 quantization of an ONNX graph's MatMul/Gemm weights, as ONNX Runtime runs it fastest on CPU.

Every MatMul (and Gemm without transA) whose weight is a constant float matrix W[K, N] becomes

    A ──DynamicQuantizeLinear──► A_q (uint8), A_scale, A_zero
    MatMulInteger(A_q, W_q, A_zero, W_zero) ──Cast(float)──► Mul(·, Mul(A_scale, W_scale)) ──► Y

with W_q int8, one symmetric scale per output column (W_scale[N], W_zero[N] = 0) and the activations
quantized per tensor at run time. That is the pattern ONNX Runtime's CPU graph optimizer fuses, first into
MatMulIntegerToFloat (taking the following bias Add along) and then, with its DynamicQuantizeLinear, into
DynamicQuantizeMatMul. Two details the fusions depend on: the scale product is Mul(A_scale, W_scale) in
that order (swapped, nothing fuses), and each DynamicQuantizeLinear feeds exactly one MatMulInteger.
Everything else stays fp32.

Written here because ONNX Runtime's own Python quantizer (onnxruntime.quantization) is not installable on
these machines; only Debian's python3-onnx and python3-numpy are.
"""

from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT8_MAX = 127
# 7-bit weights for CPUs without VNNI, where the u8×s8 kernel's 16-bit pair sums can saturate
# (ONNX Runtime's reduce_range gives symmetric int8 weights the range ±64).
INT8_MAX_REDUCED = 64


@dataclass
class QuantizeStats:
    quantized: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    float_weight_bytes: int = 0
    int8_weight_bytes: int = 0


def quantize_per_column(weight, qmax=INT8_MAX):
    """Symmetric per-column int8: W ≈ W_q[:, n] * scale[n]. A column of zeros gets scale 1 (all zeros)."""
    w = np.asarray(weight, dtype=np.float32)
    if w.ndim != 2:
        raise ValueError(f"expected a matrix, got shape {w.shape}")
    absmax = np.abs(w).max(axis=0)
    scale = np.where(absmax > 0, absmax / qmax, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -qmax, qmax).astype(np.int8)
    return q, scale


def _constants(graph):
    """Name → numpy array of every initializer and Constant node output with a tensor value."""
    values = {i.name: i for i in graph.initializer}
    out = {name: numpy_helper.to_array(t) for name, t in values.items()}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            out[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return out


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _float_matrix(value):
    return value is not None and value.ndim == 2 and value.dtype == np.float32 and min(value.shape) > 1


def _weight_of(node, constants):
    """The [K, N] float weight a MatMul/Gemm multiplies by, or None when it cannot be quantized this way."""
    if node.op_type == "MatMul":
        w = constants.get(node.input[1])
        return w if _float_matrix(w) else None
    if node.op_type == "Gemm" and _attr(node, "transA", 0) == 0:
        w = constants.get(node.input[1])
        if not _float_matrix(w):
            return None
        return np.ascontiguousarray(w.T) if _attr(node, "transB", 0) else w
    return None


class _Rewriter:
    def __init__(self, graph, qmax):
        self.graph = graph
        self.qmax = qmax
        self.initializers = []
        self.weights = {}  # float weight name (+ transposition) → (q name, scale name, zero name)

    def weight(self, key, w, alpha, stats):
        if key not in self.weights:
            q, scale = quantize_per_column(w, self.qmax)
            scale = (scale * np.float32(alpha)).astype(np.float32)
            base = f"{key}_int8"
            names = (base, f"{base}_scale", f"{base}_zero_point")
            self.initializers += [
                numpy_helper.from_array(q, names[0]),
                numpy_helper.from_array(scale, names[1]),
                numpy_helper.from_array(np.zeros(q.shape[1], dtype=np.int8), names[2]),
            ]
            self.weights[key] = names
            stats.float_weight_bytes += w.nbytes
            stats.int8_weight_bytes += q.nbytes + scale.nbytes + q.shape[1]
        return self.weights[key]

    def replace(self, node, w, constants, stats):
        """The nodes that compute `node`'s output with an int8 weight."""
        gemm = node.op_type == "Gemm"
        alpha = _attr(node, "alpha", 1.0) if gemm else 1.0
        key = f"{node.input[1]}_T" if gemm and _attr(node, "transB", 0) else node.input[1]
        if gemm and alpha != 1.0:
            key = f"{key}_alpha{alpha:g}"
        w_q, w_scale, w_zero = self.weight(key, w, alpha, stats)
        p = node.name or node.output[0]
        a_q, a_scale, a_zero = f"{p}/a_quantized", f"{p}/a_scale", f"{p}/a_zero_point"
        has_c = gemm and len(node.input) > 2 and node.input[2] != ""
        product = f"{p}/product" if has_c else node.output[0]
        nodes = [
            helper.make_node("DynamicQuantizeLinear", [node.input[0]], [a_q, a_scale, a_zero], f"{p}/QuantizeInput"),
            helper.make_node("MatMulInteger", [a_q, w_q, a_zero, w_zero], [f"{p}/int32"], f"{p}/MatMulInteger"),
            helper.make_node("Cast", [f"{p}/int32"], [f"{p}/float"], f"{p}/Cast", to=TensorProto.FLOAT),
            helper.make_node("Mul", [a_scale, w_scale], [f"{p}/scale"], f"{p}/Scale"),
            helper.make_node("Mul", [f"{p}/float", f"{p}/scale"], [product], f"{p}/Dequantize"),
        ]
        if has_c:
            nodes += self.gemm_bias(node, product, constants)
        return nodes

    def gemm_bias(self, node, product, constants):
        """Gemm's + beta·C, as an Add with a constant second input (the shape the bias fusion takes)."""
        p = node.name or node.output[0]
        beta = _attr(node, "beta", 1.0)
        c = constants.get(node.input[2])
        if c is not None:
            name = f"{p}/bias"
            self.initializers.append(numpy_helper.from_array((c * np.float32(beta)).astype(np.float32), name))
            return [helper.make_node("Add", [product, name], [node.output[0]], f"{p}/AddBias")]
        beta_name = f"{p}/beta"
        self.initializers.append(numpy_helper.from_array(np.array(beta, dtype=np.float32), beta_name))
        return [
            helper.make_node("Mul", [node.input[2], beta_name], [f"{p}/scaled_c"], f"{p}/ScaleC"),
            helper.make_node("Add", [product, f"{p}/scaled_c"], [node.output[0]], f"{p}/AddC"),
        ]


def quantize_dynamic_int8(model, reduce_range=False):
    """Returns (a new ModelProto, QuantizeStats). The input model is left unchanged."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    constants = _constants(graph)
    rewriter = _Rewriter(graph, INT8_MAX_REDUCED if reduce_range else INT8_MAX)
    stats = QuantizeStats()
    nodes = []
    for node in graph.node:
        w = _weight_of(node, constants) if node.op_type in ("MatMul", "Gemm") else None
        if w is None:
            if node.op_type in ("MatMul", "Gemm"):
                stats.skipped.append(node.name)
            nodes.append(node)
            continue
        nodes += rewriter.replace(node, w, constants, stats)
        stats.quantized.append(node.name)
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(rewriter.initializers)
    _drop_unused(graph)
    onnx.checker.check_model(model)
    return model, stats


def _drop_unused(graph):
    """Removes the float weights (and Constant nodes) nothing reads any more."""
    used = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
    dropped = {i.name for i in graph.initializer if i.name not in used}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    # Old IR versions also list initializers as graph inputs: a dropped one must not become a required input.
    inputs = [i for i in graph.input if i.name not in dropped]
    del graph.input[:]
    graph.input.extend(inputs)
    nodes = [n for n in graph.node if n.op_type != "Constant" or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(nodes)
