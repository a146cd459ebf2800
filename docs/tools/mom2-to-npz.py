#!/usr/bin/env python3
"""Writes an EditUnit statistics cache file (.mom2) as a ROME-layout .npz (no numpy needed).

ROME's util/runningstats.py saves CombinedStat(mom2=SecondMoment()) with np.savez: members
mom2.mom2 (float32 [d_k, d_k], the raw sum of k k^T), mom2.count (int64, token positions) and the
unicode constructor names. This script multiplies EditUnit's C (float64 mean) by its token count and
rounds to float32, so `./editunit stats import` (or `edit --stats-file`) of the result must give C
back to float32 precision. Used for the round trip in docs/statistics.md.

usage: mom2-to-npz.py FILE.mom2 OUT.npz [--stored]
"""
import array
import json
import struct
import sys
import zipfile


def npy(descr, shape, data):
    sh = "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, sh)
    pad = (64 - (10 + len(d) + 1) % 64) % 64
    h = (d + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + data


def unicode_scalar(s):
    return npy("<U%d" % len(s), (), b"".join(struct.pack("<I", ord(c)) for c in s))


def main(src, out, stored):
    with open(src, "rb") as f:
        raw = f.read()
    if raw[:8] != b"EUMOM2\r\n":
        sys.exit(src + ": not a .mom2 file")
    (hlen,) = struct.unpack("<I", raw[8:12])
    header = json.loads(raw[12:12 + hlen])
    d, count = header["dim"], header["tokenCount"]
    c = array.array("d")
    c.frombytes(raw[12 + hlen:12 + hlen + 8 * d * d])
    if sys.byteorder != "little":
        c.byteswap()
    total = array.array("f", (v * count for v in c))
    if sys.byteorder != "little":
        total.byteswap()
    members = {
        "constructor": unicode_scalar("util.runningstats.CombinedStat"),
        "mom2.constructor": unicode_scalar("util.runningstats.SecondMoment"),
        "mom2.count": npy("<i8", (), struct.pack("<q", count)),
        "mom2.mom2": npy("<f4", (d, d), total.tobytes()),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name + ".npy", data)
    print("%s: d_k %d, count %d, layer %d -> %s" % (src, d, count, header["layer"], out))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], "--stored" in sys.argv[3:])
