"""Writes the .npy fixtures of NpyFilesTest. Run from this folder: python3 make_npy.py (NumPy 2.x)."""
import numpy as np
from numpy.lib import format as npf

np.save("f4_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3) / 4)
np.save("f8_vec.npy", np.array([1.5, -2.25, 1e300], dtype="<f8"))
np.save("i8_scalar.npy", np.array(-7, dtype="<i8"))
np.save("i4.npy", np.array([[1, -2], [3, 2**31 - 1]], dtype="<i4"))
np.save("i2.npy", np.array([-300, 300], dtype="<i2"))
np.save("i1.npy", np.array([-128, 127], dtype="i1"))
np.save("u1.npy", np.array([0, 255], dtype="u1"))
np.save("u2.npy", np.array([65535], dtype="<u2"))
np.save("u4.npy", np.array([4294967295], dtype="<u4"))
np.save("u8.npy", np.array([18446744073709551615], dtype="<u8"))
np.save("b1.npy", np.array([True, False, True]))
np.save("f2.npy", np.array([1.0, -0.5, 65504.0], dtype="<f2"))
np.save("empty.npy", np.zeros((0, 4), dtype="<f4"))
with open("v2_f4.npy", "wb") as f:
    npf.write_array(f, np.array([1.0, 2.0], dtype="<f4"), version=(2, 0))
with open("v3_f4.npy", "wb") as f:
    npf.write_array(f, np.array([3.0, 4.0], dtype="<f4"), version=(3, 0))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save("big_endian.npy", np.array([1.0], dtype=">f4"))
np.save("unicode.npy", np.array(["ab", "c"]))
np.save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
