"""Make a synthetic wheelhouse for the validate-wheels benchmark from a real wheel.

Each synthetic wheel is the real wheel's entries (re-tagged for its own identifier) plus one
large, partly compressible data file, with WHEEL and RECORD rewritten as a build backend would.
usage: make-wheels.py <real.whl> <out-dir> <count> <megabytes-per-wheel>
"""
import base64, hashlib, os, random, sys, zipfile

real, out, count, mb = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
os.makedirs(out, exist_ok=True)
base = os.path.basename(real)[:-4].split("-")
name, version = base[0], base[1]
plat = base[-1]
pythons = ["cp313", "cp312", "cp311", "cp310", "cp39", "cp38", "cp314", "cp37"]
rng = random.Random(42)


def blob(size):
    # Half random, half zeros per 4 KiB block: deflates to about half, like a binary with data.
    chunks = []
    for _ in range(size // 4096):
        chunks.append(rng.randbytes(2048) + bytes(2048))
    return b"".join(chunks)


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


with zipfile.ZipFile(real) as z:
    entries = [(i, z.read(i)) for i in z.infolist()]
# Compressed size of blob() is about half its size.
payload = int(mb * 1024 * 1024 * 2)
for k in range(count):
    py = pythons[k]
    tag = f"{py}-{py}-{plat}"
    fn = f"{name}-{version}-{tag}.whl"
    di = f"{name}-{version}.dist-info"
    files = []
    for info, data in entries:
        if info.filename.endswith("/"):
            continue
        if info.filename == f"{di}/WHEEL":
            lines = [l for l in data.decode().splitlines() if l and not l.startswith("Tag:")]
            data = ("\n".join(lines + [f"Tag: {tag}"]) + "\n\n").encode()
        if info.filename == f"{di}/RECORD":
            continue
        files.append((info.filename, data))
    files.insert(0, (f"{name}/_data/blob.bin", blob(payload)))
    record = "".join(f"{p},{digest(d)},{len(d)}\n" for p, d in files) + f"{di}/RECORD,,\n"
    files.append((f"{di}/RECORD", record.encode()))
    with zipfile.ZipFile(os.path.join(out, fn), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for p, d in files:
            z.writestr(p, d)
    print(fn, os.path.getsize(os.path.join(out, fn)))
