"""Work measured without a clock: how many lines of our own code a call runs.

A unit test that guards a complexity regression (a quadratic loop, a file read twice) counts
the lines executed in the modules it names (``sys.settrace`` line events, deterministic for a
given input) and compares two sizes of input, instead of asserting elapsed seconds, which a
loaded machine makes flaky and a fast one lets a regression through.
"""

import sys
from collections.abc import Callable
from pathlib import Path


def lines_run(call: Callable[[], object], *modules) -> tuple[int, object]:
    """(line events inside ``modules``' files while ``call()`` runs, what it returned or
    raised). Frames of other files are not traced line by line (cheap), but the lines of our
    modules they call into are counted."""
    files = {str(Path(module.__file__).resolve()) for module in modules}
    count = 0

    def local(frame, event, _arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, _arg):
        if event == "call" and frame.f_code.co_filename in files:
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        outcome = call()
    except Exception as error:  # the caller checks what was raised
        outcome = error
    finally:
        sys.settrace(previous)
    return count, outcome


def growth(measure: Callable[[int], int], small: int, large: int) -> float:
    """How many times more work ``large`` costs than ``small``, per unit of input: about 1
    for linear work, about ``large / small`` for quadratic work."""
    return (measure(large) / large) / (measure(small) / small)
