"""The types the public functions are annotated with (the package ships py.typed)."""
from typing import Literal, Optional, Sequence, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

Reduction = Literal["none", "mean", "sum"]

#: A reduced loss is a NumPy scalar of the computing dtype, an unreduced one an array.
LossValue = Union[np.floating, NDArray[np.floating]]

#: The value alone, or with return_grad=True the value and the gradient w.r.t. each
#: differentiable input (one for the losses, two for the distances: x1 and x2).
LossResult = Union[LossValue, Tuple[LossValue, NDArray[np.floating]],
                   Tuple[LossValue, NDArray[np.floating], NDArray[np.floating]]]

#: The feature maps of perceptual_loss: one array per layer, or one array (one layer).
FeatureMaps = Union[ArrayLike, Sequence[ArrayLike]]

__all__ = ["FeatureMaps", "Sequence", "ArrayLike", "NDArray", "Optional", "Union", "Reduction", "LossValue", "LossResult"]
