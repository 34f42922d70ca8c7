"""One home for language rules: tags with regions or scripts get the same treatment as bare ones."""
from align.lang import UNDETERMINED, base_lang, chars_per_english_char, is_cjk, joiner, lang_name


def test_base_lang_drops_region_and_script_and_case():
    assert base_lang("en-US") == "en"
    assert base_lang("zh_TW") == "zh"
    assert base_lang("JA") == "ja"
    assert base_lang("") == UNDETERMINED
    assert base_lang(None) == UNDETERMINED


def test_joiner_follows_the_script_not_the_exact_tag():
    assert joiner("ja") == joiner("ja-JP") == joiner("zh-cn") == ""
    assert joiner("en") == joiner("ru-RU") == joiner(UNDETERMINED) == " "
    assert is_cjk("th") and not is_cjk("ko")  # Korean separates words with spaces


def test_language_names_and_length_priors():
    assert lang_name("zh-cn") == "Chinese"
    assert lang_name("xx-yy") == "xx-yy"
    assert chars_per_english_char("ja-JP") == chars_per_english_char("ja") < 1 < chars_per_english_char("de")
    assert chars_per_english_char("xx") == 1.0
