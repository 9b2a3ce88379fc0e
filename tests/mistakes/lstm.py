"""LSTM step solutions as students write them: right ones in other styles, and one class
per typical mistake of CONTENT.md.

``StudentLSTM`` is a correct solution in a different style from the reference
(a tuple cache, gates picked by name). Each mistake is a subclass that overrides
the one step it gets wrong, and lists in ``fails`` the credits (forward outputs
"h", "c" and the six gradients) it must lose; it must keep every other credit.
``catalog_name`` is the known mistake its feedback must name.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

Array = Any  # numpy arrays; kept loose so wrong code can return what it likes

FORWARD_PARTS = frozenset({"h", "c"})
BACKWARD_PARTS = frozenset({"dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"})
# Parts that depend on da (the pre-activation gradient) but not on dc_prev's own rule.
THROUGH_DA = frozenset({"dx", "dh_prev", "dWx", "dWh", "db"})


def sigmoid(z: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class StudentLSTM:
    """Correct, in a student's style."""

    fails: ClassVar[frozenset[str]] = frozenset()
    # The entry of autograder.hidden.misconceptions.disc06 the feedback must name.
    catalog_name: ClassVar[str] = ""
    gate_order: ClassVar[str] = "ifog"

    def forward(
        self, x: Array, h_prev: Array, c_prev: Array, Wx: Array, Wh: Array, b: Array
    ) -> tuple[Array, Array, Any]:
        H = h_prev.shape[1]
        a = x @ Wx + h_prev @ Wh + b
        block = {gate: a[:, k * H : (k + 1) * H] for k, gate in enumerate(self.gate_order)}
        i, f, o = sigmoid(block["i"]), sigmoid(block["f"]), sigmoid(block["o"])
        g = np.tanh(block["g"])
        c = f * c_prev + i * g
        h = self.hidden(o, c)
        return h, c, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c)

    def backward(self, dh: Array, dc_next: Array, cache: Any) -> tuple[Array, ...]:
        x, h_prev, c_prev, Wx, Wh, i, f, o, g, c = cache
        t = np.tanh(c)
        dc = self.cell_gradient(dh, dc_next, o, t)
        gate_gradients = {
            "i": dc * g,
            "f": self.forget_gradient(dc, c_prev, c),
            "o": self.output_gradient(dh, t, c),
            "g": dc * i,
        }
        local = self.local_derivatives(i, f, o, g)
        da = np.concatenate([gate_gradients[k] * local[k] for k in self.gate_order], axis=1)
        return (
            da @ Wx.T,
            da @ Wh.T,
            self.cell_prev_gradient(dc, dc_next, f),
            self.weight_x_gradient(x, da),
            self.weight_h_gradient(h_prev, da),
            self.bias_gradient(da),
        )

    # The steps the mistakes get wrong, each in its correct form.

    def hidden(self, o: Array, c: Array) -> Array:
        return o * np.tanh(c)

    def cell_gradient(self, dh: Array, dc_next: Array, o: Array, t: Array) -> Array:
        return dc_next + dh * o * (1 - t**2)

    def forget_gradient(self, dc: Array, c_prev: Array, c: Array) -> Array:
        return dc * c_prev

    def output_gradient(self, dh: Array, t: Array, c: Array) -> Array:
        return dh * t

    def local_derivatives(self, i: Array, f: Array, o: Array, g: Array) -> dict[str, Array]:
        return {"i": i * (1 - i), "f": f * (1 - f), "o": o * (1 - o), "g": 1 - g**2}

    def cell_prev_gradient(self, dc: Array, dc_next: Array, f: Array) -> Array:
        return dc * f

    def weight_x_gradient(self, x: Array, da: Array) -> Array:
        return x.T @ da

    def weight_h_gradient(self, h_prev: Array, da: Array) -> Array:
        return h_prev.T @ da

    def bias_gradient(self, da: Array) -> Array:
        return da.sum(axis=0)


class LoopLSTM(StudentLSTM):
    """Correct, one sample at a time with Python loops, returning lists of floats."""

    def forward(
        self, x: Array, h_prev: Array, c_prev: Array, Wx: Array, Wh: Array, b: Array
    ) -> tuple[Array, Array, Any]:
        step = super().forward
        rows = [
            step(x[n : n + 1], h_prev[n : n + 1], c_prev[n : n + 1], Wx, Wh, b)
            for n in range(len(x))
        ]
        h = [list(map(float, r[0][0])) for r in rows]
        c = [list(map(float, r[1][0])) for r in rows]
        return h, c, {"rows": [r[2] for r in rows]}

    def backward(self, dh: Array, dc_next: Array, cache: Any) -> tuple[Array, ...]:
        step = super().backward
        parts = [
            step(dh[n : n + 1], dc_next[n : n + 1], row) for n, row in enumerate(cache["rows"])
        ]
        dx = np.vstack([p[0] for p in parts])
        dh_prev = np.vstack([p[1] for p in parts])
        dc_prev = np.vstack([p[2] for p in parts])
        dWx = sum(p[3] for p in parts)
        dWh = sum(p[4] for p in parts)
        db = [float(v) for v in sum(p[5] for p in parts)]
        return dx.tolist(), dh_prev.tolist(), dc_prev, dWx, dWh, db


# --- the typical mistakes (CONTENT.md), one class each ------------------------------


class ForgotTanhPathInDc(StudentLSTM):
    """dc = dc_next: the path through h = o*tanh(c) is missing."""

    fails = BACKWARD_PARTS
    catalog_name = "dc_without_path_through_h"

    def cell_gradient(self, dh: Array, dc_next: Array, o: Array, t: Array) -> Array:
        return dc_next


class DroppedDcNext(StudentLSTM):
    """dc = dh*o*(1 - t^2): the upstream cell gradient is dropped."""

    fails = BACKWARD_PARTS
    catalog_name = "dc_without_dc_next"

    def cell_gradient(self, dh: Array, dc_next: Array, o: Array, t: Array) -> Array:
        return dh * o * (1 - t**2)


class OneMinusT(StudentLSTM):
    """(1 - t) where tanh' needs (1 - t^2)."""

    fails = BACKWARD_PARTS
    catalog_name = "tanh_derivative_one_minus_t"

    def cell_gradient(self, dh: Array, dc_next: Array, o: Array, t: Array) -> Array:
        return dc_next + dh * o * (1 - t)


class MissingOInDc(StudentLSTM):
    """dc = dc_next + dh*(1 - t^2): the output gate is forgotten."""

    fails = BACKWARD_PARTS
    catalog_name = "dc_without_output_gate"

    def cell_gradient(self, dh: Array, dc_next: Array, o: Array, t: Array) -> Array:
        return dc_next + dh * (1 - t**2)


class SigmoidGradOnG(StudentLSTM):
    """g is a tanh gate but gets the sigmoid derivative g(1 - g)."""

    fails = THROUGH_DA
    catalog_name = "sigmoid_derivative_on_g"

    def local_derivatives(self, i: Array, f: Array, o: Array, g: Array) -> dict[str, Array]:
        return {**super().local_derivatives(i, f, o, g), "g": g * (1 - g)}


class TanhGradOnSigmoidGates(StudentLSTM):
    """i, f, o are sigmoid gates but get the tanh derivative 1 - s^2."""

    fails = THROUGH_DA
    catalog_name = "tanh_derivative_on_sigmoid_gates"

    def local_derivatives(self, i: Array, f: Array, o: Array, g: Array) -> dict[str, Array]:
        return {"i": 1 - i**2, "f": 1 - f**2, "o": 1 - o**2, "g": 1 - g**2}


class GateOrderIFGO(StudentLSTM):
    """Gates split in the order i, f, g, o, consistently in forward and backward."""

    fails = FORWARD_PARTS | BACKWARD_PARTS
    catalog_name = "gate_order_ifgo"
    gate_order = "ifgo"


class ForgetGradientUsesC(StudentLSTM):
    """df = dc*c instead of dc*c_prev."""

    fails = THROUGH_DA
    catalog_name = "forget_gradient_uses_c"

    def forget_gradient(self, dc: Array, c_prev: Array, c: Array) -> Array:
        return dc * c


class OutputGradientUsesC(StudentLSTM):
    """do = dh*c: the tanh of the cell state is forgotten (the subtlest one)."""

    fails = THROUGH_DA
    catalog_name = "output_gradient_uses_c"

    def output_gradient(self, dh: Array, t: Array, c: Array) -> Array:
        return dh * c


class CellPrevWithoutF(StudentLSTM):
    """dc_prev = dc: the forget gate is left out."""

    fails = frozenset({"dc_prev"})
    catalog_name = "dc_prev_without_forget_gate"

    def cell_prev_gradient(self, dc: Array, dc_next: Array, f: Array) -> Array:
        return dc


class CellPrevFromDcNext(StudentLSTM):
    """dc_prev = dc_next*f: the path through h is left out."""

    fails = frozenset({"dc_prev"})
    catalog_name = "dc_prev_from_dc_next"

    def cell_prev_gradient(self, dc: Array, dc_next: Array, f: Array) -> Array:
        return dc_next * f


class BiasGradientAveraged(StudentLSTM):
    """db averaged over the batch instead of summed."""

    fails = frozenset({"db"})
    catalog_name = "db_averaged"

    def bias_gradient(self, da: Array) -> Array:
        return da.mean(axis=0)


class WeightHGradientDividedByN(StudentLSTM):
    """dWh divided by the batch size."""

    fails = frozenset({"dWh"})
    catalog_name = "dWh_divided_by_batch"

    def weight_h_gradient(self, h_prev: Array, da: Array) -> Array:
        return h_prev.T @ da / len(h_prev)


class WeightXGradientTransposed(StudentLSTM):
    """dWx = da^T x, shape (4H, D) instead of (D, 4H)."""

    fails = frozenset({"dWx"})
    catalog_name = "dWx_transposed"

    def weight_x_gradient(self, x: Array, da: Array) -> Array:
        return da.T @ x


class HiddenWithoutTanh(StudentLSTM):
    """h = o*c in the forward pass (not in CONTENT.md's list: it shows that h and c,
    and forward and backward, earn separate credit)."""

    fails = frozenset({"h"})
    catalog_name = "hidden_without_tanh"

    def hidden(self, o: Array, c: Array) -> Array:
        return o * c


CORRECT: tuple[type[StudentLSTM], ...] = (StudentLSTM, LoopLSTM)
MISTAKES: tuple[type[StudentLSTM], ...] = (
    ForgotTanhPathInDc,
    DroppedDcNext,
    OneMinusT,
    MissingOInDc,
    SigmoidGradOnG,
    TanhGradOnSigmoidGates,
    GateOrderIFGO,
    ForgetGradientUsesC,
    OutputGradientUsesC,
    CellPrevWithoutF,
    CellPrevFromDcNext,
    BiasGradientAveraged,
    WeightHGradientDividedByN,
    WeightXGradientTransposed,
    HiddenWithoutTanh,
)
