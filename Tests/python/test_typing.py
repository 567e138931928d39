"""Every public function carries type annotations (the package ships py.typed, so type checkers
read them): each parameter and the return, all resolvable."""
import inspect
import os
import typing

import losses


def test_every_public_function_is_fully_annotated():
    for name in losses.__all__:
        function = getattr(losses, name)
        if inspect.isclass(function):  # a class (FIDStatistics): its constructor's annotations
            function = function.__init__
        signature = inspect.signature(function)
        parameters = [p for p in signature.parameters.values() if p.name != "self"]
        missing = [p.name for p in parameters if p.annotation is inspect.Parameter.empty]
        assert not missing, f"{name}: unannotated {missing}"
        assert signature.return_annotation is not inspect.Signature.empty, name
        hints = typing.get_type_hints(function)
        assert set(hints) == {p.name for p in parameters} | {"return"}, name


def test_the_package_declares_itself_typed():
    assert os.path.exists(os.path.join(os.path.dirname(losses.__file__), "py.typed"))
