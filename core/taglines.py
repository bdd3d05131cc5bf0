"""Taglines: one short sentence in each of the languages a clinic's patients speak, saying that
help with language is free and how to ask for it (Section 1557 of the Affordable Care Act,
45 CFR 92.11: the notice of available language assistance carries taglines in at least the 15
languages most spoken by people with limited English in the state).

Each tagline is written in its own language and script, with ``{phone}`` and ``{tty}`` where the
clinic's numbers go; ``parts()`` splits it so that a template can make the number a link. The
languages shown are the ones the clinic chooses in its settings, else its state's list below,
else the national list.

The state lists follow the American Community Survey's counts of people who speak English less
than "very well", as HHS's Office for Civil Rights publishes them per state. They change when
HHS revises its tables: check a state's list against HHS's current one before relying on it, and
add a state by adding its list (every code must have a tagline in ``TAGLINES``)."""

from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Tagline:
    """One language's tagline."""

    code: str  # BCP 47, as the HTML lang attribute wants it
    name: str  # the language's name in that language
    english_name: str  # for editors choosing languages in the settings
    text: str  # with {phone} and {tty}
    direction: Direction = "ltr"

    def parts(self) -> list[tuple[str, str]]:
        """The text in pieces, each ``("text", …)``, ``("phone", "")`` or ``("tty", "")``, in
        reading order, so that a template draws the numbers (links, direction) itself."""
        pieces: list[tuple[str, str]] = []
        rest = self.text
        while rest:
            positions = [
                (rest.find(marker), kind)
                for marker, kind in (("{phone}", "phone"), ("{tty}", "tty"))
                if marker in rest
            ]
            if not positions:
                pieces.append(("text", rest))
                break
            position, kind = min(positions)
            if position:
                pieces.append(("text", rest[:position]))
            pieces.append((kind, ""))
            rest = rest[position + len(kind) + 2 :]
        return pieces


_TAGLINES = [
    Tagline(
        "es",
        "Español",
        "Spanish",
        "Ofrecemos servicios de idioma sin costo para usted. Llame al {phone} (TTY: {tty}).",
    ),
    Tagline(
        "zh-Hant",
        "繁體中文",
        "Chinese (Traditional)",
        "我們免費為您提供語言協助服務。請致電 {phone}（TTY：{tty}）。",
    ),
    Tagline(
        "zh-Hans",
        "简体中文",
        "Chinese (Simplified)",
        "我们免费为您提供语言协助服务。请致电 {phone}（TTY：{tty}）。",
    ),
    Tagline(
        "vi",
        "Tiếng Việt",
        "Vietnamese",
        "Chúng tôi cung cấp dịch vụ hỗ trợ ngôn ngữ miễn phí cho quý vị. "
        "Xin gọi số {phone} (TTY: {tty}).",
    ),
    Tagline(
        "tl",
        "Tagalog",
        "Tagalog",
        "Mayroon kaming libreng tulong sa wika para sa inyo. Tumawag sa {phone} (TTY: {tty}).",
    ),
    Tagline(
        "ko",
        "한국어",
        "Korean",
        "언어 지원 서비스를 무료로 받으실 수 있습니다. {phone}(TTY: {tty})번으로 전화해 주십시오.",
    ),
    Tagline(
        "hy",
        "Հայերեն",
        "Armenian",
        "Լեզվական օգնությունը տրամադրվում է անվճար։ Զանգահարեք {phone} (TTY՝ {tty})։",
    ),
    Tagline(
        "fa",
        "فارسی",
        "Persian (Farsi)",
        "خدمات زبانی به‌صورت رایگان در اختیار شماست. "
        "با شماره {phone} (تلفن متنی: {tty}) تماس بگیرید.",
        "rtl",
    ),
    Tagline(
        "ru",
        "Русский",
        "Russian",
        "Мы бесплатно предоставляем языковую помощь. Звоните по номеру {phone} (TTY: {tty}).",
    ),
    Tagline(
        "ja",
        "日本語",
        "Japanese",
        "言語支援サービスを無料でご利用いただけます。{phone}（TTY：{tty}）までお電話ください。",
    ),
    Tagline(
        "ar",
        "العربية",
        "Arabic",
        "نقدّم لك خدمات المساعدة اللغوية مجانًا. اتصل على الرقم {phone} (الهاتف النصي: {tty}).",
        "rtl",
    ),
    Tagline(
        "pa",
        "ਪੰਜਾਬੀ",
        "Punjabi",
        "ਭਾਸ਼ਾ ਸਹਾਇਤਾ ਤੁਹਾਡੇ ਲਈ ਮੁਫ਼ਤ ਉਪਲਬਧ ਹੈ। {phone} (TTY: {tty}) 'ਤੇ ਕਾਲ ਕਰੋ।",
    ),
    Tagline(
        "km",
        "ខ្មែរ",
        "Khmer (Cambodian)",
        "យើងផ្តល់ជំនួយផ្នែកភាសាដោយឥតគិតថ្លៃ។ សូមទូរស័ព្ទមកលេខ {phone} (TTY: {tty})។",
    ),
    Tagline(
        "hmn",
        "Hmoob",
        "Hmong",
        "Muaj kev pab txhais lus pub dawb rau koj. Hu rau {phone} (TTY: {tty}).",
    ),
    Tagline(
        "hi",
        "हिन्दी",
        "Hindi",
        "भाषा सहायता आपके लिए निःशुल्क उपलब्ध है। {phone} (TTY: {tty}) पर कॉल करें।",
    ),
    Tagline(
        "th",
        "ไทย",
        "Thai",
        "เรามีบริการช่วยเหลือด้านภาษาให้คุณโดยไม่มีค่าใช้จ่าย โทร {phone} (TTY: {tty})",
    ),
    Tagline(
        "ht",
        "Kreyòl ayisyen",
        "Haitian Creole",
        "Nou ofri w èd nan lang ou gratis. Rele {phone} (TTY: {tty}).",
    ),
    Tagline(
        "fr",
        "Français",
        "French",
        "Une aide linguistique vous est proposée gratuitement. Appelez le {phone} (ATS : {tty}).",
    ),
    Tagline(
        "pl",
        "Polski",
        "Polish",
        "Zapewniamy bezpłatną pomoc językową. Prosimy dzwonić pod numer {phone} (TTY: {tty}).",
    ),
    Tagline(
        "pt",
        "Português",
        "Portuguese",
        "Oferecemos assistência linguística gratuita. Ligue para {phone} (TTY: {tty}).",
    ),
    Tagline(
        "it",
        "Italiano",
        "Italian",
        "Offriamo assistenza linguistica gratuita. Chiami il numero {phone} (TTY: {tty}).",
    ),
    Tagline(
        "de",
        "Deutsch",
        "German",
        "Wir bieten Ihnen kostenlose Sprachunterstützung an. Rufen Sie {phone} an (TTY: {tty}).",
    ),
]

TAGLINES: dict[str, Tagline] = {tagline.code: tagline for tagline in _TAGLINES}

# The 15 languages most spoken by people with limited English, most spoken first.
NATIONAL_LANGUAGES = (
    "es",
    "zh-Hant",
    "vi",
    "ko",
    "tl",
    "ru",
    "ar",
    "ht",
    "fr",
    "pl",
    "pt",
    "it",
    "de",
    "ja",
    "fa",
)

STATE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "CA": (
        "es",
        "zh-Hant",
        "vi",
        "tl",
        "ko",
        "hy",
        "fa",
        "ru",
        "ja",
        "ar",
        "pa",
        "km",
        "hmn",
        "hi",
        "th",
    ),
}

# A state written out in the settings' "state or region" field, as its postal code.
STATE_NAMES = {"california": "CA"}


def state_code(region: str) -> str:
    """The postal code of the state ``region`` names ("CA", "ca" or "California"), else ""."""
    region = region.strip()
    if region.upper() in STATE_LANGUAGES:
        return region.upper()
    return STATE_NAMES.get(region.lower(), "")


def default_languages(region: str) -> tuple[str, ...]:
    """The state's 15 languages, or the national list for a state the table does not hold."""
    return STATE_LANGUAGES.get(state_code(region), NATIONAL_LANGUAGES)


def parse_codes(value: str) -> list[str]:
    """Language codes from the settings' comma-separated list, as ``TAGLINES`` spells them
    ("zh-hant" is "zh-Hant"), duplicates dropped."""
    by_lower = {code.lower(): code for code in TAGLINES}
    codes: list[str] = []
    for raw in value.replace(";", ",").split(","):
        code = by_lower.get(raw.strip().lower(), raw.strip())
        if code and code not in codes:
            codes.append(code)
    return codes


def unknown_codes(value: str) -> list[str]:
    """The codes in ``value`` that have no tagline."""
    return [code for code in parse_codes(value) if code not in TAGLINES]
