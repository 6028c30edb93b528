"""Make one wheel per build identifier from the real quiverdb wheel, for the publish benchmark:
the real entries, WHEEL re-tagged for the identifier, the ELF header of each extension module
given the tag's machine and byte order (so validate-wheels' binary check accepts the re-tagged
copies: benchmark input only, not a working binary), RECORD rewritten, file renamed.
usage: make-wheels.py <real.whl> <out-dir> <identifier,...>
"""
import base64, hashlib, os, sys, zipfile

real, out, ids = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
os.makedirs(out, exist_ok=True)
base = os.path.basename(real)[:-4].split("-")
name, version = base[0], base[1]


# ELF e_machine and little-endian per manylinux/musllinux architecture (ELF gABI; as validate-wheels checks).
ELF = {"x86_64": (62, True), "i686": (3, True), "aarch64": (183, True), "armv7l": (40, True), "ppc64le": (21, True), "ppc64": (21, False), "s390x": (22, False), "riscv64": (243, True), "loongarch64": (258, True)}


def retarget(data, arch):
    if not data.startswith(b"\x7fELF") or arch not in ELF:
        return data
    machine, little = ELF[arch]
    b = bytearray(data)
    b[5] = 1 if little else 2
    b[18:20] = machine.to_bytes(2, "little" if little else "big")
    return bytes(b)


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
        elif info.filename.endswith(".so"):
            data = retarget(data, arch)
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
