"""Generated Winograd-style sentences for the encoder: both candidates agree with the pronoun, and a word
after the pronoun decides ("The horse would not jump over the ditch because it was too tired/deep").

Each schema pairs two kinds of noun with the cue words that fit each kind. Training and probe use
disjoint verb phrases (the frames) and disjoint nouns (the lexicon's hash split); the cue words are shared,
since they carry the meaning. Never in training: the seeds' sentences, the verb "cross" (their frame), the
pair animal/street, and every noun of the classic items in coref_text.WINOGRAD except "animal" and "street".
"""
import random
import re

from lexicon import held_out
from coref_text import WINOGRAD

CLASSIC_NOUNS = {w for t in WINOGRAD for w in (t[2], t[3])} - {"animal", "street"}

ANIMALS = """animal horse dog cow goat fox deer rabbit sheep pig mule donkey wolf bear lion tiger pony calf lamb ox
camel elephant monkey squirrel puppy kitten goose duck hen badger hedgehog otter beaver mole rat hare bull mare
foal kid zebra giraffe buffalo moose leopard panther cub lizard tortoise turtle frog toad creature beast""".split()
PATHS = """road river street stream canal ditch highway trench lane path trail creek channel moat ravine square railway
motorway avenue field lake pond valley gorge swamp marsh desert glacier bog brook gully crevasse torrent
estuary lagoon boulevard pass""".split()
CONTENTS = """ball book lamp shoe pillow bottle vase coat blanket chair guitar cake pumpkin melon statue umbrella map
painting? kettle clock radio helmet boot hat jacket cushion loaf doll drum toaster fan rug quilt sword""".split()
CONTAINERS = """box drawer cupboard basket envelope pocket case trunk crate jar sack tin cabinet locker chest pouch
wardrobe bin satchel backpack bucket barrel carton hamper""".split()
CARRIERS = """horse mule donkey ox camel pony dog elephant goat llama yak reindeer bull mare buffalo""".split()
LOADS = """sack barrel log stone crate trunk cart sledge piano anvil wardrobe bale boulder beam plank safe
chest bench wagon""".split()
EATERS = """fox dog owl hawk snake wolf bear lion heron frog goat pig rabbit horse cow hedgehog badger rat
squirrel mole crow""".split()
FOODS = """apple carrot bread cheese corn grain seed berry plum pear turnip cabbage grass hay meat bone biscuit pie
egg nut beetle fly moth slug snail cricket""".split()
HARD = """stone brick hammer ball bat branch hailstone anchor boot shovel wrench log iron""".split()
FRAGILE = """vase glass mirror plate bottle lamp jar egg teapot bowl bulb pane ornament""".split()

# name, X nouns, Y nouns, training frames, probe frames, cues for X, cues for Y; {c} is the cue
SCHEMAS = [
    ("travel", ANIMALS, PATHS,
     ["The {X} would not walk along the {Y} because it was too {c}.", "The {X} refused to enter the {Y} since it was so {c}.",
      "The {X} could not get over the {Y} because it was too {c}.", "The {X} stopped at the edge of the {Y} as it was very {c}.",
      "The {X} turned back at the {Y} because it was too {c}.", "The {X} would not jump over the {Y} since it was so {c}.",
      "The {X} never reached the end of the {Y} because it was too {c}."],
     ["The {X} would not wade into the {Y} because it was too {c}.", "The {X} never made it past the {Y}, for it was too {c}."],
     "tired hungry scared sleepy weak exhausted frightened lazy sick nervous weary old thirsty timid".split(),
     "wide deep busy crowded steep muddy icy flooded long dangerous rough slippery broad noisy".split()),
    ("size", CONTENTS, CONTAINERS,
     ["The {X} didn't fit in the {Y} because it was too {c}.", "The {X} would not go into the {Y} since it was so {c}.",
      "We could not pack the {X} in the {Y} because it was too {c}."],
     ["The {X} could not be squeezed into the {Y}, for it was too {c}."],
     "big large long tall bulky wide".split(), "small tiny narrow short full shallow".split()),
    ("carry", CARRIERS, LOADS,
     ["The {X} could not carry the {Y} because it was too {c}.", "The {X} would not pull the {Y} since it was so {c}.",
      "The {X} could not lift the {Y} because it was too {c}."],
     ["The {X} could hardly haul the {Y}, for it was too {c}."],
     "weak tired small old young sick lame thin".split(), "heavy big awkward bulky large".split()),
    ("eat", EATERS, FOODS,
     ["The {X} ate the {Y} because it was so {c}.", "The {X} gobbled up the {Y} since it was very {c}.",
      "The {X} swallowed the {Y} as it was so {c}."],
     ["The {X} devoured the {Y}, for it was very {c}."],
     "hungry starving greedy ravenous".split(), "tasty delicious fresh sweet juicy ripe".split()),
    ("break", HARD, FRAGILE,
     ["The {X} hit the {Y} and it {c}.", "The {X} fell on the {Y} and it {c}.", "The {X} knocked the {Y} and then it {c}."],
     ["The {X} landed on the {Y}, and it {c}."],
     ["bounced off", "rolled away", "fell to the floor", "stayed whole"], ["shattered", "cracked", "broke", "smashed"]),
]
# people of one gender: only what they did decides
HUMAN = [(["{A} gave {B} {obj} because {p} {c}.", "{A} handed {B} {obj} since {p} {c}.", "{A} offered {B} {obj} because {p} {c}."],
          ["{A} passed {B} {obj}, for {p} {c}."],
          ["had plenty", "had two", "was generous", "had no use for it"], ["had none", "needed one", "was poor", "had asked for it"]),
         (["{A} beat {B} at chess because {p} was {c}.", "{A} won against {B} since {p} was {c}."],
          ["{A} defeated {B} at cards, for {p} was {c}."],
          ["clever", "careful", "stronger", "better"], ["careless", "distracted", "weaker", "worse"]),
         (["{A} visited {B} in hospital because {p} {c}.", "{A} went to see {B} since {p} {c}."],
          ["{A} called on {B}, for {p} {c}."],
          ["was worried", "was a good friend", "had time"], ["was ill", "had broken a leg", "was sick"])]
OBJS = ["a coat", "some bread", "an umbrella", "a pen", "some money", "a book", "a blanket", "an apple"]


def _nouns(words, probe):
    words = [w for w in words if not w.endswith("?")]
    if probe:
        return [w for w in words if held_out(w) and w not in ("animal", "street")]
    return [w for w in words if not held_out(w) and w not in CLASSIC_NOUNS]


def _span(text, word, start=0):
    m = re.search(r"\b" + re.escape(word) + r"\b", text[start:])
    return (start + m.start(), start + m.end())


def item(rng, lex, probe):
    """One sentence: text, pronoun span, antecedent span, other span, cue span."""
    if rng.random() < 0.25:
        frames, pframes, cA, cB = rng.choice(HUMAN)
        g = rng.choice("fm")
        pool = (lex.probe if probe else lex.train)[g + "name"]
        a, b = rng.sample(pool, 2)
        right = rng.choice([0, 1])
        c = rng.choice((cA, cB)[right])
        p = "she" if g == "f" else "he"
        text = rng.choice(pframes if probe else frames).format(A=a, B=b, p=p, c=c, obj=rng.choice(OBJS))
        sa = _span(text, a); sb = _span(text, b, sa[1]); sp = _span(text, p, sb[1])
    else:
        name, X, Y, frames, pframes, cX, cY = rng.choice(SCHEMAS)
        while True:
            x, y = rng.choice(_nouns(X, probe)), rng.choice(_nouns(Y, probe))
            if x != y and {x, y} != {"animal", "street"}:
                break
        right = rng.choice([0, 1])
        c = rng.choice((cX, cY)[right])
        text = rng.choice(pframes if probe else frames).format(X=x, Y=y, c=c)
        sa = _span(text, x); sb = _span(text, y, sa[1]); sp = _span(text, "it", sb[1])
    s0 = _span(text, c.split()[0], sp[1])[0]
    sc = (s0, s0 + len(c))
    ant, oth = (sa, sb) if right == 0 else (sb, sa)
    return {"text": text, "pronoun": list(sp), "antecedent": list(ant), "other": list(oth), "cue": list(sc)}


def training_item(rng, lex):
    it = item(rng, lex, probe=False)
    assert "cross" not in it["text"]
    return it["text"], [{"pronoun": it["pronoun"], "targets": [it["antecedent"]], "cls": "w", "cue": it["cue"]}]


def winograd_probe(lex, n=80, seed=21):
    rng = random.Random(seed)
    items, seen = [], set()
    while len(items) < n:
        it = item(rng, lex, probe=True)
        if it["text"] in seen:
            continue
        seen.add(it["text"])
        del it["cue"]
        it["kind"] = "winograd"
        items.append(it)
    return items


if __name__ == "__main__":
    import os, sys
    from lexicon import Lexicon
    lex = Lexicon(sys.argv[1])
    rng = random.Random(3)
    for _ in range(8):
        t, l = training_item(rng, lex)
        print(t, "|", t[slice(*l[0]["pronoun"])], "->", t[slice(*l[0]["targets"][0])], "cue", t[slice(*l[0]["cue"])])
    for it in winograd_probe(lex)[:8]:
        t = it["text"]
        print("PROBE", t, "->", t[slice(*it["antecedent"])], "vs", t[slice(*it["other"])])
    print({s[0]: (len(_nouns(s[1], False)), len(_nouns(s[1], True)), len(_nouns(s[2], False)), len(_nouns(s[2], True))) for s in SCHEMAS})
