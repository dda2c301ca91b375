# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property tests: every valid configuration survives render -> parse unchanged, in every format.

The configurations are drawn the way people write them (booleans, integers, "TRUE" with spaces
around it) and with the text that breaks naive serialisers: XML and JSON special characters,
quotes, carriage returns, leading and trailing spaces, non-ASCII text and EMM variables.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import ERROR, INFO, WARNING
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.specfile_schema import schema_errors
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_config, validate_document
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml

# (format, full plist?) and the one platform whose app reads it (None: both).
VARIANTS = {
    "specfile": ("specfile", False, None),
    "plist-fragment": ("plist", False, "ios"),
    "plist-full": ("plist", True, "ios"),
    "managed_properties": ("managed_properties", False, "android"),
    "amapi": ("amapi", False, "android"),
}

# Characters XML 1.0 cannot carry at all; the model refuses them, so they are never drawn.
_UNCARRIABLE = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]

_TRICKY = [
    "&", "<", ">", '"', "'", "]]>", "&amp;", "&#13;", "<!--", "-->", "\r", "\r\n", "\n", "\t", " ", "  ",
    "\\", "\\u0041", '"key":', "</string>", "<key>x</key>", "{{userprincipalname}}", "{EmailAddress}", "$EMAIL",
    "Ünïcødé", "日本語", "😀", "\u2028", "\x85", "\u00a0", "\x7f",
]

text_values = st.lists(
    st.one_of(
        st.sampled_from(_TRICKY),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters=_UNCARRIABLE), max_size=8),
    ),
    max_size=6,
).map("".join)

# Switch values as YAML gives them, or as strings in any case with stray whitespace.
switch_values = st.sampled_from(
    [True, False, "true", "false", "TRUE", "False", " true", "false\n", "\tTrue ", "FALSE  "]
)
millisecond_values = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.builds("{}{}{}".format, st.sampled_from(["", " ", "\t"]), st.integers(min_value=0, max_value=10**12),
              st.sampled_from(["", " ", "\n"])),
)
url_values = st.one_of(
    st.builds("https://{}{}".format, st.sampled_from(["chat.example.com", "mm.example.org:8065", "[::1]"]), text_values),
    st.sampled_from(["https://{{tenant}}.example.com", "http://chat.example.com", "chat.example.com", ""]),
    text_values,
)
plain_text_values = st.one_of(text_values, st.integers(), st.floats(allow_nan=False))

_VALUES = {
    catalog.SWITCH: switch_values,
    catalog.MILLISECONDS: millisecond_values,
    catalog.URL: url_values,
    catalog.TEXT: plain_text_values,
}


@st.composite
def configs(draw, min_keys=0):
    names = draw(st.lists(st.sampled_from([key.name for key in catalog.KEYS]), unique=True, min_size=min_keys))
    raw = {name: draw(_VALUES[catalog.BY_NAME[name].kind]) for name in names}
    platforms = draw(st.sampled_from([("ios", "android"), ("android", "ios"), ("ios",), ("android",)]))
    app_id = draw(st.sampled_from(catalog.APP_IDS))
    return AppConfig.from_input(raw, platforms, app_id)


def expected_settings(config: AppConfig, platform: str | None) -> dict[str, str]:
    """What a document read by `platform` (None: both) must carry: the keys that platform reads."""
    readers = {platform} if platform else set(config.platforms)
    return {name: value for name, value in config.settings.items() if readers & set(catalog.BY_NAME[name].platforms)}


def render(config: AppConfig, variant: str, version: int = 1) -> formats.Rendered:
    fmt, full, _platform = VARIANTS[variant]
    return formats.render(config, fmt, version=version, full_plist=full)


def renderable(config: AppConfig, variant: str) -> bool:
    platform = VARIANTS[variant][2]
    return platform is None or platform in config.platforms


def carried(config: AppConfig):
    """(variant, format, platform, expected settings) for each variant `config` can be rendered in.

    A specfile without any key is left out: the grammar wants at least one key in its dict.
    """
    for variant, (fmt, _full, platform) in VARIANTS.items():
        expected = expected_settings(config, platform)
        if renderable(config, variant) and (expected or fmt != "specfile"):
            yield variant, fmt, platform, expected


@settings(max_examples=150)
@given(config=configs(), version=st.integers(min_value=1, max_value=99999))
def test_parse_of_render_gives_back_the_settings_the_format_carries(config, version):
    for variant, fmt, _platform, expected in carried(config):
        text = render(config, variant, version).text
        parsed = formats.parse(text, fmt)

        assert parsed.findings == [], variant
        assert parsed.settings() == expected, variant
        assert [entry.key for entry in parsed.entries] == list(expected), variant  # catalog order, once each
        assert {entry.value_type for entry in parsed.entries} <= {"string"}, variant
        assert formats.detect(text) == formats.detect(text.encode("utf-8")) == fmt, variant
        if fmt == "specfile":
            assert (parsed.app_id, parsed.version) == (config.app_id, version)
        if fmt == "managed_properties":
            assert parsed.app_id == config.app_id


@settings(max_examples=100)
@given(config=configs(), version=st.integers(min_value=1, max_value=99999))
def test_render_parse_render_is_byte_exact(config, version):
    for variant, fmt, _platform, _expected in carried(config):
        text = render(config, variant, version).text

        parsed = formats.parse(text.encode("utf-8"), fmt)
        rebuilt = AppConfig.from_input(parsed.settings(), config.platforms, parsed.app_id or config.app_id)

        assert render(rebuilt, variant, parsed.version or version).text == text, variant


_KEY_MARKERS = {
    "specfile": 'keyName="{}"',
    "plist": "<key>{}</key>",
    "managed_properties": '"key": "{}"',
    "amapi": '  "{}": ',
}


@settings(max_examples=60)
@given(config=configs())
def test_each_entry_line_points_at_its_key(config):
    for variant, fmt, _platform, _expected in carried(config):
        text = render(config, variant).text
        lines = text.split("\n")  # the parsers count "\n" only; "\u2028" and "\x85" are not line breaks

        for entry in formats.parse(text, fmt).entries:
            assert _KEY_MARKERS[fmt].format(entry.key) in lines[entry.line - 1], variant


@settings(max_examples=60)
@given(config=configs(min_keys=1), version=st.integers(min_value=1, max_value=99999))
def test_rendered_specfile_passes_the_specfile_schema(config, version):
    assume(expected_settings(config, None))  # an android-only config of iOS-only keys declares nothing
    text = formats.render(config, "specfile", version=version).text
    assert schema_errors(parse_xml(text)) == []


def _summary(report):
    # A document for both platforms also notes each iOS-only key it carries; a configuration says so when rendered.
    return Counter((f.severity, f.code, f.key) for f in report.findings if f.code != "platform-only-key")


@settings(max_examples=100)
@given(config=configs())
def test_a_rendered_document_is_judged_like_the_configuration_it_carries(config):
    for variant, fmt, platform, expected in carried(config):
        readers = (platform,) if platform else config.platforms
        if not expected:  # an empty desired configuration is refused outright ("empty-config")
            continue

        document = validate_document(render(config, variant).text)
        desired = validate_config(expected, readers, config.app_id)

        assert document.format == fmt
        assert _summary(document) == _summary(desired), variant
        ios_only = [name for name in expected if platform is None and name in ("useVPN", "timeoutVPN")]
        assert [f.key for f in document.findings if f.code == "platform-only-key"] == ios_only, variant


@settings(max_examples=60)
@given(config=configs())
def test_a_clean_configuration_renders_only_clean_documents(config):
    if validate_config(config.settings, config.platforms, config.app_id).failed(strict=True):
        return
    for variant, _fmt, _platform, _expected in carried(config):
        report = validate_document(render(config, variant).text)
        assert [f for f in report.findings if f.severity in (ERROR, WARNING)] == [], variant


@settings(max_examples=60)
@given(config=configs())
def test_keys_a_format_cannot_carry_are_reported_not_dropped_silently(config):
    for variant, _fmt, platform, expected in carried(config):
        omitted = [f.key for f in render(config, variant).findings if f.code == "platform-key-omitted"]
        assert omitted == [name for name in config.settings if name not in expected], variant


@settings(max_examples=60)
@given(config=configs(), data=st.data())
def test_a_mangled_document_gets_findings_never_an_exception(config, data):
    variant = data.draw(st.sampled_from([v for v in VARIANTS if renderable(config, v)]))
    text = render(config, variant).text
    edits = st.tuples(st.integers(0, len(text)), st.integers(0, 6), st.sampled_from(["", "<", ">", "&", '"', "{", "]", "\x00", "é"]))
    for position, removed, inserted in data.draw(st.lists(edits, min_size=1, max_size=3)):
        text = text[:position] + inserted + text[position + removed:]

    for fmt in (None, *formats.FORMATS):
        for document in (text, text.encode("utf-8")):
            report = validate_document(document, fmt)
            for finding in report.findings:
                assert finding.severity in (ERROR, WARNING, INFO)
                assert finding.line is None or finding.line >= 1
