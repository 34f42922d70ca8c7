"""Tables for :mod:`align.review.names`: data only.

``KNOWN_NAMES`` lists names whose forms in English, Japanese and Russian (and for countries,
German and French) cannot be guessed from their sound: exonyms (Germany / ドイツ / Германия /
Allemagne, les Autrichiens / die Österreicher) and names written in
kanji where a reading is known (北京, 平壌), with the Chinese form where it differs
(德国, 北约: Chinese names are checked only where a Han form is known). Each row is one
name; an entry matches a word that starts with it, in any case (Russian ``япони`` covers
Япония, Японии, японский); an entry with a capital letter must match a whole word exactly
(``US``, not "us"). Kanji and kana entries match anywhere in Japanese or Chinese text.

The stop lists hold capitalised words that are not names, or not names a translation
must keep: sentence openers, titles, common nouns of institutions, months, weekdays.
"""
from __future__ import annotations

import re

KNOWN_NAMES: tuple[tuple[str, ...], ...] = (
    ("japan", "japon", "日本", "邦", "япони", "японск", "японец", "японц"),
    ("china", "chinese", "chinois", "chinesisch", "中国", "中華", "китай", "китае", "китая", "китаю"),
    ("korea", "韓国", "朝鮮", "韩国", "朝鲜", "コリア", "коре", "КНДР"),
    ("pyongyang", "平壌", "平壤", "ピョンヤン", "пхеньян"),
    ("seoul", "ソウル", "сеул"),
    ("tokyo", "東京", "东京", "токио"),
    ("beijing", "peking", "北京", "пекин"),
    ("moscow", "モスクワ", "москв", "московск"),
    ("russia", "russian", "Russe", "Russes", "Russie", "russland", "russisch", "露", "俄", "ロシア", "росси",
     "российск", "русск"),
    ("america", "american", "améric", "amerika", "US", "U.S.", "USA", "米", "米国", "美国", "美方", "アメリカ",
     "合衆国", "США", "америк", "штат"),
    ("britain", "british", "britann", "UK", "U.K.", "england", "english", "anglais", "angleterre", "英", "英国",
     "イギリス", "イングランド", "великобритан", "британ", "англи"),
    ("germany", "german", "allemand", "allemagne", "deutsch", "独", "德国", "ドイツ", "германи", "немец", "немц",
     "немецк"),
    ("france", "french", "franç", "frankreich", "französ", "仏", "法国", "フランス", "франци", "француз"),
    ("europe", "european", "europa", "europä", "européen", "EU", "欧州", "欧洲", "欧盟", "ヨーロッパ", "европ",
     "евро", "ЕС"),
    ("mexico", "mexican", "メキシコ", "мексик", "мехико"),
    ("spain", "spanish", "espagn", "spanien", "スペイン", "испани", "испанск"),
    ("italy", "italian", "イタリア", "итали"),
    ("austria", "austrian", "autrich", "österreich", "オーストリア", "австри"),
    ("switzerland", "swiss", "suisse", "schweiz", "スイス", "швейцар"),
    ("indonesia", "indonesian", "インドネシア", "индонези"),
    ("india", "indian", "インド", "инди"),
    ("wales", "welsh", "ウェールズ", "уэльс", "валлийск"),
    ("scotland", "scottish", "scots", "スコットランド", "шотланд"),
    ("ireland", "irish", "アイルランド", "ирланд"),
    ("netherlands", "dutch", "holland", "オランダ", "нидерланд", "голланд"),
    ("greece", "greek", "ギリシャ", "греци", "греческ"),
    ("turkey", "turkish", "トルコ", "турци", "турецк"),
    ("belgium", "belgian", "ベルギー", "бельги"),
    ("catalonia", "catalan", "カタルーニャ", "カタロニア", "каталони", "каталонск"),
    ("naples", "napoli", "ナポリ", "неапол", "наполи"),
    ("london", "ロンドン", "лондон"),
    ("washington", "ワシントン", "вашингтон"),
    ("york", "ヨーク", "ニューヨーク", "йорк"),
    ("nato", "NATO", "北大西洋条約機構", "北约", "北大西洋公约组织", "НАТО"),
    ("UN", "U.N.", "国連", "国際連合", "联合国", "ООН"),
    ("christian", "christians", "キリスト", "христиан"),
    ("muslim", "muslims", "islam", "islamic", "イスラム", "мусульман", "ислам"),
    ("Kim", "金正恩", "金", "Ким"),
    ("Moon", "文在寅", "Мун"),
    ("Xi", "習近平", "习近平", "Си"),
    ("Abe", "安倍", "Абэ"),
)

# Capitalised in English for grammar, not because they name someone.
ENGLISH_STOP_WORDS = frozenset("""
a an the this that these those there then than it its he she his her him they them their we our us you your i
my me in on at of to for from by with as after before during when while where if but and or nor so yet not no
yes all any some many most more much each every one two three both either neither other another such what
which who whom whose why how here now today yesterday tomorrow also just only even still however although
though because since until unless mr mrs ms dr st rev sir lord lady madam president vice prime minister chief
secretary general governor senator judge justice king queen prince princess pope father mother saint captain
coach manager chairman officer sergeant police department ministry office government parliament assembly
congress senate court supreme house party church university college school street road avenue beach bridge
square park lake river mount mountain island islands bay sea ocean north south east west northern southern
eastern western central national international federal state states united republic kingdom union council
committee agency centre center institute museum hospital airport station league cup championship club company
inc ltd group day night morning evening week month year christmas easter new old great royal city county
district region province democrats democrat republicans republican democratic labour conservative liberal
tv am pm bst gmt est edt pdt cst utc ceo mp mps online internet email website web app smartphone
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
""".split())

# Russian capitalises only names, so this is mostly sentence openers and abbreviations.
RUSSIAN_STOP_WORDS = frozenset("""
а в во и к ко на над о об от по под при про с со у из за до для без как так что это этот эта эти тот та те
он она оно они мы вы я его ее её их но или ли же бы не ни да нет все всё уже еще ещё также тоже когда где
если чтобы потому после перед между через около г гг т тыс млн млрд св ул пр им др
""".split())

# Russian capitalises the first word of an institution's name: these open one, they do not name.
RUSSIAN_INSTITUTION_STEMS = tuple("""
университет институт академи ассамбле комитет комисси конгресс парламент правительств министерств сенат
совет палат суд обществ парти лиг союз республик федераци агентств управлени служб департамент центр
фонд банк музей церк собор член национальн государствен верховн генеральн министр премьер президент
север юг запад восток юго северо договор соглашени конвенци конституци закон указ кодекс устав декларац харти
пакт протокол резолюц меморандум постановлени посольств консульств администрац мэри армия армии флот
""".split())

# What follows a katakana name and never a loanword: titles, honorifics, kinds of place.
KATAKANA_NAME_SUFFIXES = "|".join("""
氏 さん 君 ちゃん 様 大統領 首相 外相 国務長官 長官 議員 議長 大臣 選手 監督 容疑者 被告 教授 博士 知事 市長 社長 会長 報道官
夫人 牧師 神父 司祭 王子 王女 女王 国王 州 市 県 島 湾 川 山 湖 町 村 郡 通り 大学 空港 駅 病院 教会 刑務所 社 党 軍 地方 地区
""".split())

# German capitalises every noun: after one of these, or with one of these endings, a capitalised word is a noun.
GERMAN_DETERMINERS = frozenset("""
der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner keines mein meine
sein seine ihr ihre unser unsere euer eure dieser diese dieses diesen diesem jeder jede jedes jeden jedem
welcher welche welches im am zum zur vom beim ins ans
""".split())
GERMAN_NOUN_ENDING = re.compile(r"(?:ung|heit|keit|schaft|tion|tät|ismus|nis|tum|ment|chen|lein|ei|ik|ur|enz|anz)(?:en|s)?$")
# A capitalised dictionary word after one of these is a noun (the Commission), not a name.
DETERMINERS = frozenset("the a an this that these those its his her their our my your whose which what every each".split())
# A capitalised word right after one of these is a name, even if it is also a dictionary word
# (President Trump, Mr. Bell).
TITLES = frozenset("""
mr mrs ms dr st rev prof gen sen gov lt col capt sgt president senator governor judge minister chancellor
king queen prince princess pope father sir lord lady captain coach manager chairman inspector secretary
""".split())
# Words whose full stop does not end a sentence.
ABBREVIATIONS = TITLES | frozenset("vs v etc inc ltd co corp jr sr no mt ft".split())
