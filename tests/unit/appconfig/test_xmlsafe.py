# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""xmlsafe refuses hostile XML, never reaches files or the network, and reads normal XML."""

from __future__ import annotations

import socket
import time

import pytest
from lxml import etree

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import xmlsafe
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml

SECRET = "s3cr3t-from-disk"

APPLE_PLIST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
    '<plist version="1.0">\n'
    "<dict>\n"
    "  <key>serverUrl</key>\n"
    "  <string>https://chat.example.com</string>\n"
    "</dict>\n"
    "</plist>\n"
)


def billion_laughs(levels: int = 10) -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n<lolz a="&lol{levels - 1};">&lol{levels - 1};</lolz>'


def refused(document, code: str) -> XmlError:
    with pytest.raises(XmlError) as caught:
        parse_xml(document)
    assert caught.value.code == code, str(caught.value)
    return caught.value


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    def connected() -> bool:
        # libxml2 fetches synchronously, so a connection would already wait in the backlog.
        try:
            server.accept()[0].close()
        except BlockingIOError:
            return False
        return True

    yield f"http://127.0.0.1:{server.getsockname()[1]}", connected
    server.close()


def test_xxe_file_entity_is_refused_and_never_read(secret_file):
    doc = f'<!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret_file}">]>\n<x>&leak;</x>'
    err = refused(doc, xmlsafe.UNSAFE)
    assert "entity 'leak'" in str(err) and err.line == 1
    assert SECRET not in str(err)


def test_xxe_fixture_really_leaks_with_a_permissive_parser(secret_file):
    # Control: the same document does disclose the file when entities are resolved.
    doc = f'<!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret_file}">]>\n<x>&leak;</x>'
    permissive = etree.XMLParser(resolve_entities=True)
    assert etree.fromstring(doc.encode(), permissive).text == SECRET


def test_entity_declared_by_an_external_dtd_is_never_loaded(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">')
    err = refused(f'<!DOCTYPE x SYSTEM "file://{dtd}">\n<x>\n&leak;</x>', xmlsafe.UNSAFE)
    assert "&leak;" in str(err) and err.line == 3
    assert SECRET not in str(err)
    tree = parse_xml(f'<!DOCTYPE x SYSTEM "file://{dtd}"><x/>')
    assert tree.docinfo.externalDTD is None


def test_xxe_over_http_is_refused_without_connecting(listener):
    url, connected = listener
    err = refused(f'<!DOCTYPE x [<!ENTITY e SYSTEM "{url}/e">]><x>&e;</x>', xmlsafe.UNSAFE)
    assert "entity 'e'" in str(err)
    refused(f'<!DOCTYPE x [<!ENTITY e PUBLIC "-//Evil//EN" "{url}/p">]><x>&e;</x>', xmlsafe.UNSAFE)
    assert not connected()


def test_external_dtd_over_http_is_not_fetched(listener):
    url, connected = listener
    tree = parse_xml(APPLE_PLIST.replace("http://www.apple.com/DTDs/PropertyList-1.0.dtd", f"{url}/plist.dtd"))
    assert tree.getroot().tag == "plist"
    assert tree.docinfo.externalDTD is None
    assert not connected()


def test_parameter_entities_are_refused(listener, secret_file):
    url, connected = listener
    for doc in (
        f'<!DOCTYPE x [<!ENTITY % remote SYSTEM "{url}/pe.dtd"> %remote;]><x/>',
        f'<!DOCTYPE x [<!ENTITY % file SYSTEM "file://{secret_file}"> %file;]><x/>',
        "<!DOCTYPE x [<!ENTITY % inner \"<!ENTITY g 'G'>\"> %inner;]><x>&g;</x>",
    ):
        err = refused(doc, xmlsafe.UNSAFE)
        assert "parameter entity" in str(err)
        assert SECRET not in str(err)
    assert not connected()


def test_billion_laughs_is_refused_quickly():
    start = time.perf_counter()
    err = refused(billion_laughs(), xmlsafe.UNSAFE)
    assert time.perf_counter() - start < 0.2
    assert "entity 'lol0'" in str(err) and err.line == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_entity_declarations_are_seen_in_wide_encodings(encoding):
    doc = billion_laughs().replace('version="1.0"', f'version="1.0" encoding="{encoding.upper()}"')
    refused(doc.encode(encoding), xmlsafe.UNSAFE)


def test_entities_hidden_by_utf7_are_refused_after_parsing(secret_file):
    # In UTF-7 '<' can be written '+ADw-', so no '<!ENTITY' bytes appear before parsing.
    doc = f'<?xml version="1.0" encoding="UTF-7"?>\n<!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret_file}">]><x>&leak;</x>'
    hidden = doc.replace("<!", "+ADw-!").replace("]>", "]+AD4-").encode("ascii")
    assert b"<!ENTITY" not in hidden
    err = refused(hidden, xmlsafe.UNSAFE)
    assert "entity 'leak'" in str(err) and SECRET not in str(err)
    start = time.perf_counter()
    with pytest.raises(XmlError):
        parse_xml(billion_laughs().replace("<!", "+ADw-!").replace('"1.0"?>', '"1.0" encoding="UTF-7"?>').encode())
    assert time.perf_counter() - start < 0.2


def test_undeclared_entity_is_malformed():
    err = refused("<x>\n&nope;</x>", xmlsafe.MALFORMED)
    assert err.line == 2 and "nope" in err.message


def test_oversize_is_refused_before_parsing(monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed a document over the size cap")

    monkeypatch.setattr(etree, "fromstring", must_not_parse)
    big = "<x>" + "a" * xmlsafe.DEFAULT_MAX_BYTES + "</x>"
    for doc in (big, big.encode()):
        err = refused(doc, xmlsafe.TOO_LARGE)
        assert str(len(big)) in str(err) and str(xmlsafe.DEFAULT_MAX_BYTES) in str(err)
    with pytest.raises(XmlError) as caught:
        parse_xml("<x>\u00e9\u00e9</x>", max_bytes=10)  # 9 characters, 11 bytes in UTF-8
    assert caught.value.code == xmlsafe.TOO_LARGE


def test_cap_is_inclusive():
    doc = b"<x>" + b"a" * (xmlsafe.DEFAULT_MAX_BYTES - 7) + b"</x>"
    assert len(doc) == xmlsafe.DEFAULT_MAX_BYTES
    assert parse_xml(doc).getroot().tag == "x"


def test_malformed_xml_reports_the_parser_line():
    doc = '<?xml version="1.0"?>\n<plist>\n<dict>\n</plist>\n'
    err = refused(doc, xmlsafe.MALFORMED)
    assert err.line == 4
    assert err.message == "Opening and ending tag mismatch: dict line 3 and plist"
    assert str(err) == "line 4: Opening and ending tag mismatch: dict line 3 and plist"


@pytest.mark.parametrize("doc", ["", "not xml", "<a></b>", "<a/><b/>"])
def test_not_xml_is_malformed(doc):
    err = refused(doc, xmlsafe.MALFORMED)
    assert err.line == 1 and err.message


def test_apple_plist_doctype_is_accepted_with_lines_and_comments():
    tree = parse_xml(APPLE_PLIST.replace("<dict>", "<dict><!-- managed -->"))
    root = tree.getroot()
    assert tree.docinfo.public_id == "-//Apple//DTD PLIST 1.0//EN"
    assert root.find("dict/string").text == "https://chat.example.com"
    assert root.find("dict/string").sourceline == 6
    assert isinstance(root.find("dict")[0], etree._Comment)


def test_str_with_encoding_declaration_and_bom():
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<x>caf\u00e9 \u65e5\u672c</x>'
    assert parse_xml(text).getroot().text == "caf\u00e9 \u65e5\u672c"
    assert parse_xml("\ufeff" + text).getroot().text == "caf\u00e9 \u65e5\u672c"
    assert parse_xml(b"\xef\xbb\xbf" + text.replace("ISO-8859-1", "UTF-8").encode()).getroot().text == "caf\u00e9 \u65e5\u672c"
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><x>caf\u00e9</x>'.encode("latin-1")
    assert parse_xml(latin1).getroot().text == "caf\u00e9"
    assert parse_xml('<x a="&amp;&#233;"/>').getroot().get("a") == "&\u00e9"
