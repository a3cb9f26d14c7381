"""Generated narrative dense in pronouns with clear antecedents, and the pronoun probe.

Training stories use one set of names and nouns; the probe uses another, so the probe
measures a head that resolves pronouns, not one that memorised names.

In training stories every pronoun is followed by its antecedent ("she Anna"), each story
opening with the marker line below. Predicting the word after a pronoun then needs the
antecedent, which is the signal that plain prose gives too rarely at this scale.
"""
import random

MARKER = "Story with resolved pronouns:"

TRAIN = {
    "f": ["Anna", "Mary", "Emma", "Lucy", "Sarah", "Grace", "Alice", "Helen", "Julia", "Clara", "Rose", "Laura",
          "Nora", "Ruth", "Jane", "Kate", "the queen", "the girl", "the woman", "the nurse", "the duchess", "my aunt"],
    "m": ["John", "Tom", "Peter", "James", "Henry", "David", "Paul", "Mark", "Frank", "George", "Oliver", "Simon",
          "Hugo", "Ivan", "Carl", "Luke", "the king", "the boy", "the man", "the farmer", "the duke", "my uncle"],
    "p": ["the twins", "the boys", "the girls", "the farmers", "the children", "the soldiers", "the sailors",
          "the students", "the neighbours", "the guests", "his parents", "the workers"],
    "n": ["the dog", "the horse", "the cart", "the letter", "the lamp", "the boat", "the parcel", "the clock",
          "the engine", "the bridge", "the kettle", "the garden"],
}
PROBE = {
    "f": ["Beth", "Olivia", "Maria", "Sophie", "Hannah", "Irene", "the widow", "the bride", "the actress", "his sister"],
    "m": ["Robert", "Edward", "Daniel", "Samuel", "Arthur", "Walter", "the waiter", "the groom", "the actor", "her brother"],
    "p": ["the cousins", "the sisters", "the brothers", "the tourists", "the builders", "the musicians"],
    "n": ["the car", "the ladder", "the basket", "the table", "the window", "the piano"],
}
SUBJ = {"f": "she", "m": "he", "p": "they", "n": "it"}
OBJ = {"f": "her", "m": "him", "p": "them", "n": "it"}
POSS = {"f": "her", "m": "his", "p": "their", "n": "its"}
BE = {"f": "was", "m": "was", "p": "were", "n": "was"}

ANIMATE_VP = ["opened the door", "laughed at the joke", "walked home alone", "wrote a long letter", "lost the key",
              "sat by the fire", "waited for an hour", "sang an old song", "counted the money", "missed the train",
              "found the map", "locked the gate", "painted the fence", "read the news", "cooked the dinner"]
THING_VP = ["broke in the night", "stood in the yard", "needed repair", "was covered in dust", "made a strange noise",
            "fell over", "looked new", "stayed in the shed"]
MEET = ["{a} met {b} at the market.", "{a} and {b} walked to the river.", "{a} visited {b} on Sunday.",
        "{a} wrote to {b} in the spring.", "{a} sat next to {b} at dinner.", "{a} argued with {b} about money."]
WITH_THING = ["{a} bought {b} last year.", "{a} looked after {b}.", "{a} brought {b} to the village."]


def cap(s):
    return s[0].upper() + s[1:]


def _pick_two(rng, pool):
    kinds = rng.choice([("f", "m"), ("m", "f"), ("f", "p"), ("p", "m"), ("m", "n"), ("f", "n"), ("p", "n")])
    a, b = (rng.choice(pool[k]) for k in kinds)
    return (a, kinds[0]), (b, kinds[1])


def story(rng, pool=TRAIN, annotate=True):
    """Two characters, then one or two sentences with a pronoun each, about different characters.
    Each character is named by a pronoun at most once, so an earlier "she Anna" in the document never
    tells what a later "she" means: the only way to predict the name is to find it by agreement."""
    (a, ka), (b, kb) = _pick_two(rng, pool)
    sents = [cap(rng.choice(WITH_THING if kb == "n" else MEET).format(a=a, b=b))]
    ents = [(a, ka), (b, kb)]
    note = (lambda n: " " + n) if annotate else (lambda n: "")
    for (x, kx) in rng.sample(ents, rng.choice([1, 1, 2])):
        (y, ky) = ents[1] if (x, kx) == ents[0] else ents[0]
        vp = rng.choice(THING_VP if kx == "n" else ANIMATE_VP)
        t = rng.randrange(5)
        if t == 0:
            s = f"Later {SUBJ[kx]}{note(x)} {vp}."
        elif t == 1 and kx != "n":
            s = f"Then {SUBJ[kx]}{note(x)} gave {y} a small gift."
        elif t == 2:
            s = f"{cap(y)} said that {SUBJ[kx]}{note(x)} {BE[kx]} tired."
        elif t == 3 and kx != "n":
            s = f"Everyone knew {POSS[kx]}{note(x)} name."
        else:
            s = f"After a while {SUBJ[kx]}{note(x)} {vp}."
        sents.append(s)
    return " ".join(sents)


def synth_docs(n, seed=7):
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        docs.append(MARKER + "\n" + "\n".join(story(rng) for _ in range(rng.randint(4, 10))))
    return docs


# ---- the probe -------------------------------------------------------------
# Each item: text, the pronoun's character span, the antecedent's and the other candidate's
# spans, and its kind ("agreement": gender or number decides; "winograd": only meaning does).

AGREEMENT_FRAMES = [
    "{A} thanked {B} because {p} had helped with the move.",
    "{A} called {B} after {p} heard the news.",
    "{A} waited for {B}, but {p} never came.",
    "When {A} met {B}, {p} smiled.",
    "{A} told {B} that {p} would be late.",
    "{A} lent {B} a coat because {p} was cold.",
]
THING_FRAMES = [
    "{A} pushed {B} until {p} moved.",
    "{A} cleaned {B} because {p} was dirty.",
]

# Winograd-style pairs: both candidates agree with the pronoun; only meaning picks one.
# (text, pronoun, antecedent, other) — written for this project.
WINOGRAD = [
    ("The animal didn't cross the street because it was too tired.", "it", "animal", "street"),
    ("The animal didn't cross the street because it was too wide.", "it", "street", "animal"),
    ("The trophy didn't fit in the suitcase because it was too big.", "it", "trophy", "suitcase"),
    ("The trophy didn't fit in the suitcase because it was too small.", "it", "suitcase", "trophy"),
    ("The city council refused the demonstrators a permit because they feared violence.", "they", "council", "demonstrators"),
    ("The city council refused the demonstrators a permit because they advocated violence.", "they", "demonstrators", "council"),
    ("The lawyer asked the witness a question, but he was reluctant to repeat it.", "he", "lawyer", "witness"),
    ("The lawyer asked the witness a question, but he was reluctant to answer it.", "he", "witness", "lawyer"),
    ("The man couldn't lift his son because he was so weak.", "he", "man", "son"),
    ("The man couldn't lift his son because he was so heavy.", "he", "son", "man"),
    ("The fish ate the worm because it was hungry.", "it", "fish", "worm"),
    ("The fish ate the worm because it was tasty.", "it", "worm", "fish"),
    ("The sculpture rolled off the shelf because it wasn't anchored.", "it", "shelf", "sculpture"),
    ("The sculpture rolled off the shelf because it wasn't level.", "it", "shelf", "sculpture"),
    ("The bag fell off the table because it was too heavy.", "it", "bag", "table"),
    ("The cup broke the glass table because it was fragile.", "it", "table", "cup"),
    ("The doctor scolded the patient because she ignored the advice.", "she", "patient", "doctor"),
    ("The doctor scolded the patient because she was worried.", "she", "doctor", "patient"),
    ("The cat chased the mouse until it was caught.", "it", "mouse", "cat"),
    ("The cat chased the mouse until it got bored.", "it", "cat", "mouse"),
    ("The teacher praised the student because she worked hard.", "she", "student", "teacher"),
    ("The painting hung over the bed because it was the only wall space.", "it", "bed", "painting"),
    ("The storm hit the town, and it lost power for days.", "it", "town", "storm"),
    ("The soldiers attacked the rebels because they had orders.", "they", "soldiers", "rebels"),
    ("The firemen rescued the children because they were trapped.", "they", "children", "firemen"),
    ("The boy hid from the dog because it was barking.", "it", "dog", "boy"),
    ("The waiter served the customer, who said he was rude.", "he", "waiter", "customer"),
    ("The rock hit the window and it shattered.", "it", "window", "rock"),
    ("The mother comforted the baby because she was crying.", "she", "baby", "mother"),
    ("The key didn't open the lock because it was rusty.", "it", "lock", "key"),
]


def _find(text, word, start=0):
    import re
    m = re.search(r"\b" + re.escape(word) + r"\b", text[start:])
    if not m:
        raise ValueError(f"{word!r} not in {text!r}")
    return (start + m.start(), start + m.end())


def pronoun_probe(seed=11):
    rng = random.Random(seed)
    items = []
    pairs = [("f", "m"), ("m", "f"), ("f", "p"), ("p", "f"), ("m", "p"), ("p", "m")]
    for i in range(96):
        ka, kb = pairs[i % len(pairs)]
        a, b = rng.choice(PROBE[ka]), rng.choice(PROBE[kb])
        target = rng.choice([0, 1])  # which candidate the pronoun refers to
        kp = (ka, kb)[target]
        frame = rng.choice(AGREEMENT_FRAMES)
        text = cap(frame.format(A=a, B=b, p=SUBJ[kp]))
        sa = _find(text, a.split()[-1]) if not text.startswith(cap(a)) else (len(a) - len(a.split()[-1]), len(a))
        sb = _find(text, b.split()[-1], sa[1])
        sp = _find(text, SUBJ[kp], sb[1])
        ant, oth = (sa, sb) if target == 0 else (sb, sa)
        items.append({"text": text, "pronoun": sp, "antecedent": ant, "other": oth, "kind": "agreement"})
    for i in range(12):
        a, b = rng.choice(PROBE[rng.choice("fm")]), rng.choice(PROBE["n"])
        text = cap(rng.choice(THING_FRAMES).format(A=a, B=b, p="it"))
        sa = (len(a) - len(a.split()[-1]), len(a))
        sb = _find(text, b.split()[-1], sa[1])
        sp = _find(text, "it", sb[1])
        items.append({"text": text, "pronoun": sp, "antecedent": sb, "other": sa, "kind": "agreement"})
    for text, p, ant, oth in WINOGRAD:
        sa, so = _find(text, ant), _find(text, oth)
        sp = _find(text, p, max(sa[1], so[1]))
        items.append({"text": text, "pronoun": sp, "antecedent": sa, "other": so, "kind": "winograd"})
    return items


if __name__ == "__main__":
    for d in synth_docs(2):
        print(d, "\n")
    for it in pronoun_probe()[:8] + pronoun_probe()[-3:]:
        t = it["text"]
        print(t, "|", t[slice(*it["pronoun"])], "->", t[slice(*it["antecedent"])], "vs", t[slice(*it["other"])], it["kind"])
