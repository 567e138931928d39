"""Every shared conformance vector through the public Python API (the same files the Swift tests
and the C harness read), and every loss of the header has vectors, defaults included."""
import numpy as np
import pytest

from header import losses as header_losses
from vector_cases import DTYPES, all_cases, assert_close, call, call_update, gradients, is_update, python_name

CASES = all_cases()


def test_every_loss_of_the_header_has_vectors_and_nothing_else_does():
    assert len(CASES) > 200
    assert {c.loss for c in CASES} == set(header_losses())


@pytest.mark.parametrize("loss", sorted(header_losses()))
def test_every_loss_has_a_defaults_case_in_both_dtypes(loss):
    assert {c.dtype for c in CASES if c.loss == loss and c.defaults} == {"f32", "f64"}


@pytest.mark.parametrize("case", [c for c in CASES if c.status == 0 and is_update(c)], ids=lambda c: c.id)
def test_update(case):
    tables, returned = call_update(case)
    # What an update returns beside its tables: oim_update's new head.
    returns = {name for name in case.expect if name not in tables}
    assert returns <= {"new_head"}, f"{case.id}: expected {sorted(case.expect)}, tables {sorted(tables)}"
    if returns:
        assert returned == int(case.expect["new_head"][0]), f"{case.id}: head {returned}"
    for name, table in tables.items():
        assert table.dtype == DTYPES[case.dtype]
        assert_close(table, case.expect[name], case, name)


@pytest.mark.parametrize("case", [c for c in CASES if c.status != 0 and is_update(c)], ids=lambda c: c.id)
def test_update_refused_leaves_the_tables(case):
    tables = {}
    with pytest.raises(ValueError, match=python_name(case.loss)):
        call_update(case, tables)
    assert tables
    for name, table in tables.items():
        np.testing.assert_array_equal(table, case.arrays[name].astype(DTYPES[case.dtype]), err_msg=f"{case.id}: {name}")


@pytest.mark.parametrize("case", [c for c in CASES if c.status == 0 and not is_update(c)], ids=lambda c: c.id)
def test_value_and_gradient(case):
    value, grads = call(case)
    dtype = DTYPES[case.dtype]
    assert np.asarray(value).dtype == dtype and all(g.dtype == dtype for g in grads)
    if "out" in case.expect:  # a target gradient's case expects grad_target alone
        assert_close(value, case.expect["out"], case, "value")
    names = gradients(case)
    assert len(grads) == len(names), f"{case.id}: {len(grads)} gradients, expected {names}"
    for name, grad in zip(names, grads):
        assert_close(grad, case.expect[name], case, name)


@pytest.mark.parametrize("case", [c for c in CASES if c.status != 0 and not is_update(c)], ids=lambda c: c.id)
def test_invalid_arguments_raise(case):
    with pytest.raises(ValueError, match=python_name(case.loss)):
        call(case)
