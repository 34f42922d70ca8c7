"""Sentences unrelated to any document, for the aligner to measure "unrelated" on where a document cannot.

A link's cost is its distance relative to how far the sentence is from
unrelated sentences on the other side (``search._unrelatedness``), which a
document of a few sentences cannot say: against a one-sentence translation
the only "unrelated" sentence is the translation itself, so every link looks
like chance and a headline pair came out as a 1-0 and a 0-1. These everyday
sentences, written for the purpose in several languages, stand in. Those in
the documents' own languages are left out: a sentence is closer to unrelated
text in its own language than in another, for the bundled encoder
(multilingual-e5-small) 0.80 against 0.74-0.77, where unrelated sentences of
the other side of a news translation score 0.77.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from align.embed import Encoder, centred
from align.lang import base_lang
from align.pairing.search import mean_windows

STRANGERS = {
    "en": ("The kettle was already boiling when she came downstairs.", "Our train leaves at seven, so pack tonight.",
           "He planted tomatoes along the fence last spring.", "Please return the library books by Friday.",
           "The museum is closed on Mondays.", "A strong wind knocked over the garden chairs.",
           "She learned to swim when she was six.", "The soup needs a little more salt."),
    "ja": ("駅前の本屋は夜九時まで開いている。", "昨日は一日中雨が降っていた。", "彼女は毎朝公園を散歩する。",
           "この店のパンはとてもおいしい。", "来月、祖母の家を訪ねる予定だ。", "子どもたちは川で魚を捕まえた。",
           "冷蔵庫に牛乳がもう残っていない。", "古い自転車を修理してもらった。"),
    "ru": ("Утром на озере было тихо и туманно.", "Он забыл ключи на кухонном столе.",
           "Мы купили новый диван для гостиной.", "Кошка спит на подоконнике весь день.",
           "Завтра обещают снег и сильный ветер.", "Она выучила стихотворение наизусть.",
           "В этом кафе подают вкусные блины.", "Дети строили замок из песка."),
    "de": ("Der Bäcker öffnet jeden Morgen um sechs Uhr.", "Im Herbst fallen die Blätter von den Bäumen.",
           "Wir haben den Zug knapp verpasst.", "Meine Schwester spielt seit Jahren Geige.",
           "Das Fenster im Bad klemmt.", "Am Wochenende fahren wir an den See.",
           "Der Hund wartet geduldig vor der Tür.", "Bitte schließ die Tür leise."),
    "zh": ("今天早上下了一场大雨。", "他每天骑自行车去上班。", "这家餐厅的面条很好吃。", "孩子们在院子里踢足球。",
           "我把雨伞忘在出租车上了。", "图书馆周末也开放。", "她正在学习弹钢琴。", "冬天的时候湖面会结冰。"),
    "fr": ("Le marché ouvre tôt le samedi matin.", "Il a oublié son parapluie dans le bus.",
           "Nous avons repeint la cuisine en jaune.", "La voisine arrose ses fleurs chaque soir.",
           "Le chat dort sur le canapé.", "Les enfants jouent dans la neige.", "Ce gâteau est encore tiède.",
           "Le musée ferme à dix-huit heures."),
}


def stranger_sentences(langs: Iterable[str]) -> list[str]:
    """The stand-ins in every language but ``langs`` (the documents' own)."""
    own = {base_lang(lang) for lang in langs}
    return [text for lang, texts in STRANGERS.items() if lang not in own for text in texts]


def stranger_windows(encoder: Encoder, langs: Iterable[str], centres: Iterable[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Window embeddings of the stand-ins (``mean_windows``), encoded once and centred on each of ``centres``
    (the centre of the side they stand in for, as that side's own windows are)."""
    vectors = encoder.encode(stranger_sentences(langs))
    return tuple(mean_windows(centred(vectors, centre)) for centre in centres)
