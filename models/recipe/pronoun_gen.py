"""Generated passages with labelled pronouns (agreement decides), and the agreement probe.

Each passage has two to four characters or things of different gender or number (f, m, p, n; a role
noun such as "the doctor" takes whichever gender is free), then sentences with pronouns, sometimes after
unrelated sentences or a paragraph break. Every pronoun is labelled with the character spans of all
earlier mentions of its referent: the auxiliary loss pulls one head's attention there.
Training frames and the probe's frames are disjoint, and the probe draws from the lexicon's held-out half.
"""
import random

SUBJ = {"f": "she", "m": "he", "p": "they", "n": "it"}
OBJ = {"f": "her", "m": "him", "p": "them", "n": "it"}
POSS = {"f": "her", "m": "his", "p": "their", "n": "its"}
BE = {"f": "was", "m": "was", "p": "were", "n": "was"}
HAVE = {"f": "had", "m": "had", "p": "had", "n": "had"}

INTRO = ["{A} met {B} at the market.", "{A} and {B} walked to the river.", "{A} visited {B} on Sunday.",
         "{A} wrote to {B} in the spring.", "{A} sat next to {B} at dinner.", "{A} argued with {B} about money.",
         "{A} waited for {B} outside the station.", "{A} phoned {B} late at night.", "{A} followed {B} into the hall.",
         "{A} shared a table with {B}.", "{A} found {B} in the kitchen.", "{A} watched {B} from the window.",
         "{A} helped {B} with the harvest.", "{A} travelled with {B} to the coast.", "Yesterday {A} saw {B} near the church.",
         "{A} had known {B} for years.", "It was {A} who showed {B} the town.", "{A} and {B} had breakfast together.",
         "{A} asked {B} for directions.", "{A} invited {B} to the wedding.", "On Monday {A} ran into {B} in the park.",
         "{A} used to play cards with {B}.", "{A} lived across the road from {B}."]
INTRO_THING = ["{A} bought {B} last year.", "{A} looked after {B}.", "{A} brought {B} to the village.",
               "{A} repaired {B} in the morning.", "{A} carried {B} up the hill.", "{A} found {B} in the attic.",
               "{A} sold {B} to a neighbour.", "{B} belonged to {A}.", "{A} painted {B} green.", "{A} kept {B} in the barn."]
THIRD = ["{C} was there too.", "{C} joined them later.", "Nearby stood {C}.", "{C} watched from a distance."]
FILLER = ["The weather was cold that week.", "A bell rang somewhere in the town.", "Rain fell all afternoon.",
          "The road outside was quiet.", "Nothing happened for a while.", "The clock struck nine.",
          "It was the end of a long summer.", "The wind blew across the fields.", "Lights went on in the houses."]
ANIMATE_VP = ["opened the door", "laughed at the joke", "walked home alone", "wrote a long letter", "lost the key",
              "sat by the fire", "waited for an hour", "sang an old song", "counted the money", "missed the train",
              "found the map", "locked the gate", "painted the fence", "read the news", "cooked the dinner",
              "fell asleep", "went out for a walk", "began to laugh", "looked out of the window", "left the room"]
THING_VP = ["broke in the night", "stood in the yard", "needed repair", "was covered in dust", "made a strange noise",
            "fell over", "looked new", "stayed in the shed", "was lost for a week", "turned out to be old"]
# {S} subject pronoun, {O} object, {P} possessive, {BE}; {Y} the other character; {VP} a verb phrase
PRON = ["Later {S} {VP}.", "After a while {S} {VP}.", "{Y} said that {S} {BE} tired.", "When the rain stopped, {S} {VP}.",
        "In the evening {S} {VP}.", "The next day {S} {VP}.", "By noon {S} {VP}.", "{Y} wondered where {S} {BE}.",
        "{Y} could not forget {O}.", "Nobody saw {O} again.", "{Y} wanted to keep {O} close.",
        "{Y} thought about {O} all day.", "Soon {S} {VP}.", "Suddenly {S} {VP}.", "Then {S} {VP}."]
PRON_ANIMATE = ["Then {S} gave {Y} a small gift.", "Everyone knew {P} name.", "{cP} voice was soft.",
                "{Y} smiled at {O}.", "{S} {BE} the first to arrive.", "{Y} wanted to ask {O} a question.",
                "{cP} hands were cold.", "{Y} brought {O} a cup of tea.", "{S} {HAVE} never been so happy."]
PRON_THING = ["{cP} colour had faded.", "{Y} had paid a lot for {O}.", "{S} {BE} heavier than it looked."]

# one-sentence frames: both candidates, then the pronoun in a clause of the same sentence (built from parts, so
# the head meets many clause shapes; none of the probe's verbs or endings is among the parts)
PERSON_VERBS = ["visited", "greeted", "followed", "phoned", "warned", "hugged", "praised", "blamed", "helped", "admired",
                "interrupted", "teased", "paid", "hired", "questioned", "rescued", "chased", "invited", "ignored", "trusted",
                "comforted", "joined", "spoke to", "wrote to", "sat with", "walked with", "argued with", "played chess with",
                "laughed at", "shouted at", "listened to", "went to see", "envied", "forgave", "photographed", "drove",
                "taught", "pointed at", "waved to", "recognised", "interviewed", "visited", "defended", "copied", "avoided"]
THING_VERBS = ["bought", "sold", "repaired", "painted", "carried", "found", "lost", "borrowed", "hid", "washed", "fixed",
               "opened", "kicked", "lifted", "wrapped", "checked", "weighed", "examined", "wanted", "returned", "mended"]
CONJ = ["because", "after", "when", "before", "although", "since", "so", "but", "and then", "while", "as soon as",
        "even though", "and later", "once"]
ADJ_ANIMATE = ["tired", "hungry", "angry", "lonely", "happy", "worried", "sick", "busy", "bored", "afraid", "proud",
               "upset", "sleepy", "curious", "nervous", "cheerful"]
ADJ_THING = ["broken", "heavy", "old", "expensive", "too small", "rusty", "full", "empty", "cracked", "cheap", "wet"]
OBJ_CLAUSE = ["someone had praised {O}", "a friend had recommended {O}", "the neighbours mentioned {O}",
              "nobody else wanted {O}", "the whole town talked about {O}", "a stranger asked about {O}"]

# the probe's own frames: none of these appear in training passages
PROBE_FRAMES = ["{A} thanked {B} because {p} had helped with the move.", "{A} called {B} after {p} heard the news.",
                "{A} waited for {B}, but {p} never came.", "When {A} met {B}, {p} smiled.",
                "{A} told {B} that {p} would be late.", "{A} lent {B} a coat because {p} was cold.",
                "{A} stood beside {B} at the gate. A moment later {p} began to cry.",
                "{A} and {B} reached the farm at dusk.\n\nThe dogs barked as soon as {p} knocked.",
                "{A} danced with {B} all night. Afterwards {p} was exhausted.",
                "{A} overtook {B} on the stairs, so {p} arrived second."]
PROBE_THING = ["{A} pushed {B} until {p} moved.", "{A} cleaned {B} because {p} was dirty.",
               "{A} dropped {B}, and {p} rolled away.", "{A} polished {B} until {p} shone."]


def cap(s):
    return s[0].upper() + s[1:]


def mention(rng, lex, kind, pool):
    """(text, head span within text, pronoun class) for one entity of this kind."""
    if kind in ("f", "m"):
        if rng.random() < 0.5:
            n = rng.choice(pool[kind + "name"])
            return n, (0, len(n)), kind
        w = rng.choice(pool[kind + "noun"])
    elif kind == "h":
        w = rng.choice(pool["h"])
    else:
        w = rng.choice(pool[kind])
    if w.startswith("Mr"):
        return w, (0, len(w)), kind
    det = rng.choice(["the", "the", "my", "our", "that"] if kind != "p" else ["the", "the", "my", "those"])
    t = f"{det} {w}"
    return t, (len(det) + 1, len(t)), kind


def _kinds(rng, n):
    """n pronoun classes, all different; an 'h' role noun fills a free gender."""
    classes = rng.sample(["f", "m", "p", "n"], n)
    if "n" in classes[:1]:  # the first character is animate (intros start with a person)
        classes.reverse()
    out = []
    for c in classes:
        out.append(("h", c) if c in "fm" and rng.random() < 0.25 else (c, c))
    return out


class Text:
    """Builds a passage while recording character spans."""

    def __init__(self):
        self.s, self.spans = "", {}

    def add(self, tpl, ents, labels, q=None):
        """tpl uses {A} {B} {C} {Y} for entity mentions and {S}/{O}/{P}/{cP} for the pronoun of entity q."""
        import re
        pos = 0
        if self.s and not self.s.endswith("\n"):
            self.s += " "
        start_of_sentence = True
        for m in re.finditer(r"\{(\w+)\}", tpl):
            self.s += tpl[pos:m.start()]
            key = m.group(1)
            if key in ("A", "B", "C", "Y"):
                e = ents[key]
                txt = cap(e["text"]) if self.s.endswith((". ", "\n")) or not self.s or m.start() == 0 and start_of_sentence else e["text"]
                a = len(self.s)
                self.s += txt
                e["mentions"].append((a + e["head"][0], a + e["head"][1]))
            elif key in ("S", "O", "P", "cP"):
                e = ents[q]
                w = {"S": SUBJ, "O": OBJ, "P": POSS, "cP": POSS}[key][e["cls"]]
                if key == "cP" or (m.start() == 0 and start_of_sentence):
                    w = cap(w)
                a = len(self.s)
                self.s += w
                labels.append({"pronoun": [a, a + len(w)], "targets": [list(x) for x in e["mentions"]], "cls": e["cls"]})
            elif key == "BE":
                self.s += BE[ents[q]["cls"]]
            elif key == "HAVE":
                self.s += HAVE[ents[q]["cls"]]
            elif key == "VP":
                self.s += ents["_vp"]
            pos = m.end()
        self.s += tpl[pos:]


def clause_passage(rng, lex, pool):
    """One sentence: A does something to B, then a clause whose pronoun is A's or B's."""
    ents, labels = {}, []
    for key, (kind, cls) in zip("AB", _kinds(rng, 2)):
        t, head, _ = mention(rng, lex, kind, pool)
        ents[key] = {"text": t, "head": head, "cls": cls, "mentions": []}
    q = rng.choice("AB")
    animate = ents[q]["cls"] != "n"
    if rng.random() < 0.2:
        clause = rng.choice(OBJ_CLAUSE)
    elif rng.random() < 0.5:
        clause = "{S} {BE} " + rng.choice(ADJ_ANIMATE if animate else ADJ_THING)
    else:
        ents["_vp"] = rng.choice(ANIMATE_VP if animate else THING_VP)
        clause = "{S} {VP}"
    verb = rng.choice(THING_VERBS if ents["B"]["cls"] == "n" else PERSON_VERBS)
    txt = Text()
    if rng.random() < 0.3:
        txt.add(rng.choice(FILLER), ents, labels)
    txt.add("{A} " + verb + " {B} " + rng.choice(CONJ) + " " + clause + ".", ents, labels, q=q)
    return txt.s, labels


def passage(rng, lex, pool, clause_frames=True):
    """clause_frames=False is the generator before the one-sentence clause frames (commit 19eb203): it draws
    nothing for them, so the same seed gives that version's passages (the bundled decoder's first steps)."""
    if clause_frames and rng.random() < 0.4:
        return clause_passage(rng, lex, pool)
    n = rng.choice([2, 2, 2, 3, 3, 4])
    ents, labels = {}, []
    for key, (kind, cls) in zip("ABC", _kinds(rng, min(n, 3))):
        t, head, _ = mention(rng, lex, kind, pool)
        ents[key] = {"text": t, "head": head, "cls": cls, "mentions": []}
    txt = Text()
    intro = rng.choice(INTRO_THING if ents["B"]["cls"] == "n" else INTRO)
    txt.add(cap(intro) if not intro.startswith("{") else intro, ents, labels)
    if "C" in ents:
        txt.add(rng.choice(THIRD), ents, labels)
    keys = [k for k in ents]
    for _ in range(rng.choice([1, 2, 2, 3])):
        if rng.random() < 0.3:
            txt.add(rng.choice(FILLER), ents, labels)
        if rng.random() < 0.15:
            txt.s += "\n\n"
        q = rng.choice(keys)
        y = rng.choice([k for k in keys if k != q])
        e = ents[q]
        animate = e["cls"] != "n"
        ents["_vp"] = rng.choice(ANIMATE_VP if animate else THING_VP)
        tpl = rng.choice(PRON + (PRON_ANIMATE if animate else PRON_THING))
        ents["Y"] = ents[y]
        txt.add(tpl, ents, labels, q=q)
        del ents["Y"]
    return txt.s, labels


def agreement_probe(lex, n=240, seed=11):
    """Items in the probe format: a pronoun, its antecedent and the other candidate, held-out words only."""
    rng = random.Random(seed)
    pool = lex.probe
    items = []
    pairs = [("f", "m"), ("m", "f"), ("f", "p"), ("p", "f"), ("m", "p"), ("p", "m"), ("h", "p"), ("p", "h")]
    while len(items) < n:
        thing = len(items) % 6 == 5
        if thing:
            ka, kb = rng.choice("fmhp"), "n"
        else:
            ka, kb = pairs[len(items) % len(pairs)]
        (ta, ha, _), (tb, hb, _) = mention(rng, lex, ka, pool), mention(rng, lex, kb, pool)
        ca = ka if ka != "h" else ("f" if kb == "m" else "m" if kb == "f" else rng.choice("fm"))
        cb = kb if kb != "h" else ("f" if ka == "m" else "m" if ka == "f" else rng.choice("fm"))
        if ca == cb or ta.split()[-1] == tb.split()[-1]:
            continue
        target = 1 if thing else rng.choice([0, 1])
        p = SUBJ[(ca, cb)[target]]
        frame = rng.choice(PROBE_THING if thing else PROBE_FRAMES)
        # spans: A is at the frame's start, B after it, the pronoun after B
        ia = frame.index("{A}"); text = frame[:ia]
        sa = (len(text) + ha[0], len(text) + ha[1]); text += cap(ta) if ia == 0 else ta
        rest = frame[ia + 3:]; ib = rest.index("{B}"); text += rest[:ib]
        sb = (len(text) + hb[0], len(text) + hb[1]); text += tb
        rest = rest[ib + 3:]; ip = rest.index("{p}"); text += rest[:ip]
        sp = (len(text), len(text) + len(p))
        if text.endswith((". ", "\n")):
            p = cap(p)
        text += p + rest[ip + 3:]
        ant, oth = (sa, sb) if target == 0 else (sb, sa)
        items.append({"text": text, "pronoun": list(sp), "antecedent": list(ant), "other": list(oth), "kind": "agreement"})
    return items


if __name__ == "__main__":
    import os, sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from lexicon import Lexicon
    lex = Lexicon(sys.argv[1])
    rng = random.Random(1)
    for _ in range(6):
        s, labels = passage(rng, lex, lex.train)
        print(s)
        for l in labels:
            print("   ", s[slice(*l["pronoun"])], "->", [s[a:b] for a, b in l["targets"]])
    for it in agreement_probe(lex)[:12]:
        t = it["text"]
        print(t, "|", t[slice(*it["pronoun"])], "->", t[slice(*it["antecedent"])], "vs", t[slice(*it["other"])])
