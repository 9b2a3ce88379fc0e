"""What crosses between the grading process and the worker: plain values, and handles."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import sympy
from sandbox_support import FAST, same

from autograder.sandbox import (
    Sandbox,
    StudentError,
    StudentFunction,
    StudentObject,
    UnreadableExpression,
)
from autograder.sandbox.values import Decoder

PLAIN_VALUES: list[Any] = [
    None,
    ...,
    True,
    False,
    0,
    -7,
    2**100,
    -(2**63),
    0.0,
    -0.0,
    1.5,
    1e-310,
    math.inf,
    -math.inf,
    math.nan,
    1 + 2j,
    complex(math.nan, -math.inf),
    "",
    'héllo ∑ 🐍\n"quoted"\x00',
    [],
    (),
    {},
    [1, [2.5, ("a", None)], {"k": (1,)}],
    ((),),
    {"__tuple__": [1], "nested": {"__dict__": {}}},  # keys that look like wire tags
    np.arange(6.0).reshape(2, 3),
    np.array([[1 + 2j, math.nan]], dtype=np.complex64),
    np.array([True, False]),
    np.array([np.iinfo(np.uint64).max], dtype=np.uint64),
    np.array([-1, 2], dtype=np.int8),
    np.array([math.inf, -0.0, math.nan], dtype=np.float16),
    np.zeros((0, 3), dtype=np.float32),
    np.array(3.5),  # 0-d
    np.ones((2, 2, 2, 2), dtype=np.int32),
]


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    cells = [
        "import numpy as np\nimport sympy\n"
        "def echo(*args, **kwargs):\n    return args[0] if args else kwargs",
        "x = sympy.Symbol('x')\n"
        "expr = sympy.exp(-x) / (1 + sympy.exp(-x))**2\n"
        "quarter = sympy.Rational(1, 4)\n"
        "matrix = sympy.Matrix([[1, 2]])",
    ]
    # Megabytes cross here: room for a loaded machine (CI shares its two cores).
    with Sandbox(limits=replace(FAST, call_timeout=20.0)) as sandbox:
        assert [outcome.status for outcome in sandbox.run_cells(cells)] == ["ok", "ok"]
        yield sandbox


def lookup(box: Sandbox, name: str) -> Any:
    return box.lookup([name])[name]


@pytest.mark.parametrize("value", PLAIN_VALUES, ids=lambda value: type(value).__name__)
def test_plain_values_round_trip_exactly(box: Sandbox, value: Any) -> None:
    echo = lookup(box, "echo")
    assert same(echo(value), value)


def test_keyword_arguments_cross_too(box: Sandbox) -> None:
    echo = lookup(box, "echo")
    assert echo(a=1, b=[np.ones(2)]) == {"a": 1, "b": [pytest.approx(np.ones(2))]}


def test_arrays_arrive_writable_native_and_independent(box: Sandbox) -> None:
    echo = lookup(box, "echo")
    strided = np.arange(12.0).reshape(3, 4)[:, ::2]
    big_endian = np.arange(3, dtype=">i4")
    fortran = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    for value in (strided, big_endian, fortran):
        back = echo(value)
        assert isinstance(back, np.ndarray)
        assert np.array_equal(back, value) and back.dtype.isnative and back.flags.writeable
    sent = np.zeros(3)
    back = echo(sent)
    back[0] = 1.0
    assert sent[0] == 0.0


def test_numpy_scalars_become_python_numbers(box: Sandbox) -> None:
    box.run_cells(
        [
            "scalars = [np.float32(1.5), np.int64(-3), np.bool_(True), np.complex64(1j), "
            "np.str_('s'), np.uint8(255)]"
        ]
    )
    assert same(lookup(box, "scalars"), [1.5, -3, True, 1j, "s", 255])


def test_sympy_expressions_arrive_parsed(box: Sandbox) -> None:
    found = box.lookup(["expr", "quarter", "x"])
    symbol = sympy.Symbol("x")
    assert sympy.simplify(found["expr"] - sympy.exp(-symbol) / (1 + sympy.exp(-symbol)) ** 2) == 0
    assert found["quarter"] == sympy.Rational(1, 4)
    assert found["x"] == symbol


def test_sympy_text_the_parser_rejects_arrives_unreadable(box: Sandbox) -> None:
    box.run_cells(["weird = sympy.Function('f')(x)"])
    found = box.lookup(["weird", "matrix"])
    weird = found["weird"]
    assert isinstance(weird, UnreadableExpression)
    assert weird.text == "f(x)" and "unknown function" in weird.reason
    assert isinstance(found["matrix"], StudentObject)  # a mutable Matrix is not a sympy Basic


def test_sympy_arguments_are_sent_as_text(box: Sandbox) -> None:
    echo = lookup(box, "echo")
    symbol = sympy.Symbol("p")
    assert echo(sympy.sqrt(symbol) / (1 - symbol)) == sympy.sqrt(symbol) / (1 - symbol)


@pytest.mark.parametrize(
    ("source", "type_name"),
    [
        ("{1: 'int key'}", "builtins.dict"),
        ("{1, 2}", "builtins.set"),
        ("b'bytes'", "builtins.bytes"),
        ("np.array([object()])", "numpy.ndarray"),
        ("np.array(['text'])", "numpy.ndarray"),
        ("np.ones(2, dtype=np.longdouble)", "numpy.ndarray"),
        ("np.ma.masked_array([1.0])", "numpy.ma.MaskedArray"),
        ("(i for i in range(3))", "builtins.generator"),
        ("np", "builtins.module"),
        ("type('Custom', (), {})()", "__main__.Custom"),
    ],
)
def test_everything_else_stays_behind_a_handle(box: Sandbox, source: str, type_name: str) -> None:
    box.run_cells([f"other = {source}"])
    other = lookup(box, "other")
    assert type(other) is StudentObject
    assert other.type_name == type_name


def test_callables_are_student_functions(box: Sandbox) -> None:
    box.run_cells(["class Model:\n    pass\nsquare = lambda v: v * v"])
    found: dict[str, Any] = box.lookup(["Model", "square", "echo"])
    assert all(isinstance(value, StudentFunction) for value in found.values())
    assert isinstance(found["Model"](), StudentObject)
    square = found["square"]
    assert isinstance(square, StudentFunction)
    assert square(3) == 9


def test_handles_inside_plain_containers(box: Sandbox) -> None:
    box.run_cells(["mixed = (np.ones(2), {'f': echo, 'n': 1}, [object()])"])
    mixed = lookup(box, "mixed")
    assert isinstance(mixed, tuple)
    assert isinstance(mixed[1]["f"], StudentFunction)
    assert isinstance(mixed[2][0], StudentObject)
    echo = lookup(box, "echo")
    assert echo(mixed[2][0]) is not mixed[2][0]  # a new proxy, of the same worker object
    assert echo([mixed[2][0]])[0].type_name == "builtins.object"


def test_too_large_or_too_deep_values_stay_behind(box: Sandbox) -> None:
    box.run_cells(
        ["huge = np.zeros(70 * 2**20 // 8)\ndeep = []\nfor _ in range(200):\n    deep = [deep]"]
    )
    found = box.lookup(["huge", "deep"])
    assert isinstance(found["huge"], StudentObject) and "too large" in found["huge"].note
    innermost: Any = found["deep"]
    while isinstance(innermost, list):
        innermost = innermost[0]
    assert isinstance(innermost, StudentObject) and "deeply" in innermost.note


def test_missing_names_are_left_out(box: Sandbox) -> None:
    assert box.lookup(["undefined_name", "echo", "echo"]).keys() == {"echo"}


def test_unsendable_arguments_are_refused_here(box: Sandbox) -> None:
    echo = lookup(box, "echo")
    for value in ({1: 2}, object(), np.array([object()]), b"bytes"):
        with pytest.raises(TypeError):
            echo(value)


# -- the decoder alone, on data a tampered worker could send ---------------------------------


@pytest.mark.parametrize(
    "node",
    [
        {"__tuple__": 1},
        {"__float__": "1e5"},
        {"__unknown__": 1},
        {"__tuple__": [], "__dict__": {}},
        {},
        {"__complex__": [1.0]},
        {"__ndarray__": {"dtype": "object", "shape": [1], "data": ""}},
        {"__ndarray__": {"dtype": "float64", "shape": [2], "data": "AAAA"}},
        {"__ndarray__": {"dtype": "float64", "shape": [-1], "data": ""}},
        {"__ndarray__": {"dtype": "float64", "shape": [1], "data": "!!!!not base64"}},
        {"__ndarray__": {"dtype": "float64", "shape": [1] * 40, "data": ""}},
        {"__ndarray__": {"dtype": "float64", "shape": [1], "data": "A" * (1 << 22)}},
        {"__handle__": {"id": "1", "type": "t", "callable": False, "name": "", "note": ""}},
        {"__handle__": {"id": 1}},
        {"__sympy__": 5},
        {"__ellipsis__": 1},
        [],  # nested 200 deep below
    ],
)
def test_malformed_data_is_a_student_error(box: Sandbox, node: Any) -> None:
    decoder = Decoder(box, 1, array_bytes=1 << 20)
    if isinstance(node, list):  # nest deeper than the decoder accepts
        for _ in range(200):
            node = [node]
    with pytest.raises(StudentError, match="unreadable data"):
        decoder.decode(node)


def test_decoder_caps_the_number_of_values(box: Sandbox) -> None:
    decoder = Decoder(box, 1, array_bytes=1 << 20)
    with pytest.raises(StudentError, match="more than"):
        decoder.decode([0] * 1_000_001)


def test_decoder_cleans_lone_surrogates(box: Sandbox) -> None:
    text = Decoder(box, 1, array_bytes=1 << 20).decode("a\ud800b")
    assert isinstance(text, str)
    text.encode("utf-8")


def test_one_oversized_value_does_not_crowd_out_the_others(box: Sandbox) -> None:
    box.run_cells(["big_list = list(range(10_000_000))\nsmall = [1, 2]"])
    found = box.lookup(["big_list", "small"])
    assert isinstance(found["big_list"], StudentObject) and "too large" in found["big_list"].note
    assert "over 6" in found["big_list"].note  # the budget, not what was left of it
    assert found["small"] == [1, 2]


def test_large_arrays_cross_in_many_pipe_reads(box: Sandbox) -> None:
    echo = lookup(box, "echo")
    array = np.random.default_rng(1).normal(size=(1000, 1000))  # 8 MB: hundreds of reads
    assert same(echo({"a": array, "b": [array[0]]}), {"a": array, "b": [array[0]]})
