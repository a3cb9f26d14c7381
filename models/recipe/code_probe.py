"""The code probe: a later use of an identifier should attend to the identifier's first occurrence
(its definition) more than to another identifier defined nearby. Python and TypeScript snippets
are generated from templates with fresh identifier names, so the probe is not in the corpus."""
import random
import re

WORDS = ["apple", "border", "cursor", "delta", "engine", "filter", "gadget", "harbor", "index", "jacket", "kernel",
         "ladder", "marble", "needle", "orbit", "pepper", "quartz", "ribbon", "signal", "tunnel", "umbra", "velvet",
         "walnut", "yonder", "zephyr", "anchor", "bucket", "copper", "donor", "ember", "falcon", "glider", "hollow",
         "island", "jungle", "lantern", "meadow", "nectar", "oyster", "pillar", "rocket", "saddle", "timber", "vortex"]
SUFFIX = ["count", "total", "size", "value", "limit", "name", "list", "map", "score", "rate"]

PY = [
    "def {fn}({a}, {b}):\n    {x} = {a} * 2\n    {y} = {b} + 1\n    if {x} > {y}:\n        return {USE}\n    return {a}\n",
    "def {fn}({a}):\n    {x} = len({a})\n    {y} = []\n    for item in {a}:\n        {y}.append(item)\n    return {USE}\n",
    "class {Cls}:\n    def __init__(self, {a}):\n        self.{x} = {a}\n        self.{y} = None\n\n    def run(self):\n        print(self.{USE})\n",
]
TS = [
    "function {fn}({a}: number, {b}: number): number {{\n  const {x} = {a} * 2;\n  const {y} = {b} + 1;\n  return {USE} + 1;\n}}\n",
    "export function {fn}({a}: string[]): number {{\n  let {x} = 0;\n  let {y} = '';\n  for (const s of {a}) {{\n    {y} += s;\n  }}\n  return {USE};\n}}\n",
    "const {x} = new Map<string, number>();\nconst {y} = new Set<string>();\nfunction {fn}(key: string) {{\n  return {USE}.has(key);\n}}\n",
]


def ident(rng, used, style):
    while True:
        w, s = rng.choice(WORDS), rng.choice(SUFFIX)
        if w not in used:
            used.add(w)
            return f"{w}_{s}" if style == "py" else w + s.capitalize()


def code_probe(n=120, seed=5):
    rng = random.Random(seed)
    items = []
    for i in range(n):
        style = "py" if i % 2 == 0 else "ts"
        tpl = rng.choice(PY if style == "py" else TS)
        used = set()
        names = {k: ident(rng, used, style) for k in ("a", "b", "x", "y")}
        names["fn"] = ident(rng, used, style)
        names["Cls"] = names["fn"].title().replace("_", "")
        target, other = rng.choice([("x", "y"), ("y", "x")])
        text = tpl.format(USE=names[target], **names)
        use_start = text.rindex(names[target])
        first = re.search(r"\b" + re.escape(names[target]) + r"\b", text)
        oth = re.search(r"\b" + re.escape(names[other]) + r"\b", text)
        items.append({"text": text, "pronoun": [use_start, use_start + len(names[target])],
                      "antecedent": [first.start(), first.end()], "other": [oth.start(), oth.end()],
                      "kind": "python" if style == "py" else "typescript"})
    return items
