"""Make one wheel per build identifier from the real quiverdb wheel, for the publish benchmark:
the real entries, WHEEL re-tagged for the identifier, RECORD's WHEEL row rewritten, file renamed.
usage: make-wheels.py <real.whl> <out-dir> <identifier,...>
"""
import base64, hashlib, os, sys, zipfile

real, out, ids = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
os.makedirs(out, exist_ok=True)
base = os.path.basename(real)[:-4].split("-")
name, version = base[0], base[1]


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


with zipfile.ZipFile(real) as z:
    entries = [(i, z.read(i)) for i in z.infolist()]
for ident in ids:
    py, plat = ident.split("-", 1)
    libc, arch = plat.split("_", 1)
    ptag = f"manylinux_2_34_{arch}" if libc == "manylinux" else f"musllinux_1_2_{arch}"
    tag = f"{py}-{py}-{ptag}"
    fn = os.path.join(out, f"{name}-{version}-{tag}.whl")
    new = {}
    for info, data in entries:
        if info.filename.endswith(".dist-info/WHEEL"):
            lines = [l for l in data.decode().splitlines() if l and not l.startswith("Tag: ")]
            data = ("\n".join(lines + [f"Tag: {tag}"]) + "\n\n").encode()
        new[info.filename] = data
    rec = next(n for n in new if n.endswith(".dist-info/RECORD"))
    rows = [f"{n},{digest(d)},{len(d)}" for n, d in new.items() if n != rec and not n.endswith("/")] + [f"{rec},,"]
    new[rec] = ("\n".join(rows) + "\n").encode()
    with zipfile.ZipFile(fn, "w", zipfile.ZIP_DEFLATED) as z:
        for info, _ in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.external_attr = info.external_attr
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, new[info.filename])
print(len(ids))
