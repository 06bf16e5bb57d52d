import pytest

from compare.errors import UsageError
from compare.params import Param

RATIO = Param("ratio", "float", 0.5, low=0.0, low_open=True, high=50.0)
GRID = Param("alpha", "floats", (0.1,), low=0.0, high=5.0)
COUNT = Param("count", "int", 3, low=1, high=10)
FLAG = Param("flag", "bool", False)
METHOD = Param("method", "str", "dense", choices=("dense", "tridiagonal"))


@pytest.mark.parametrize("param, text, expected", [
    (RATIO, "0.25", 0.25), (RATIO, "50", 50.0), (GRID, "0.1,0.2, 0.3", (0.1, 0.2, 0.3)),
    (COUNT, "7", 7), (FLAG, "yes", True), (FLAG, "False", False), (METHOD, "tridiagonal", "tridiagonal"),
])
def test_parse_by_declared_type(param, text, expected):
    assert param.parse(text) == expected


@pytest.mark.parametrize("param, text", [
    (RATIO, "0"), (RATIO, "-1"), (RATIO, "nan"), (RATIO, "inf"), (RATIO, "__import__('os')"),
    (RATIO, "1e400"), (GRID, "0.1,9"), (GRID, ""), (COUNT, "2.5"), (COUNT, "11"), (FLAG, "maybe"),
    (METHOD, "eig"), (RATIO, "2**3"),
])
def test_invalid_values_name_parameter_and_range(param, text):
    with pytest.raises(UsageError) as info:
        param.parse(text)
    message = str(info.value)
    assert param.name in message and "must be" in message and "\n" not in message


def test_range_text_is_readable():
    assert RATIO.range_text() == "in (0.0, 50.0]"
    assert METHOD.range_text() == "one of dense, tridiagonal"
