"""`aaprof lsp` driven by a real LSP client (pytest-lsp, on pygls), as an
editor drives it: initialize, didOpen, didChange, hover, definition,
completion, documentSymbol, shutdown. Expected answers are derived by
hand for the profiles in fixtures/lsp/ (the same ones tests/lsp_protocol.rs
uses). Run by tests/lsp_editor_client.rs, which sets AAPROF_BIN.
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "lsp"
AAPROF = os.environ.get("AAPROF_BIN", str(ROOT / "target" / "release" / "aaprof"))


def uri(name: str) -> str:
    return (FIXTURES / name).as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[AAPROF, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={
                "aaprof": {
                    "includePaths": [str(FIXTURES)],
                    "baseDir": str(FIXTURES),
                    "configFile": "/dev/null",
                    "featuresFile": "builtin:upstream-all",
                }
            },
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, name: str) -> str:
    u = uri(name)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=u, language_id="apparmor", version=1, text=(FIXTURES / name).read_text()
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return u


async def wait_diagnostics(client: LanguageClient, u: str, nonempty: bool = False):
    """The diagnostics published for `u` (popped), waiting at most 20 s
    for them (and, with `nonempty`, for a non-empty set)."""

    async def wait():
        while not (u in client.diagnostics and (client.diagnostics[u] or not nonempty)):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics.pop(u))

    return await asyncio.wait_for(wait(), 20)


def pos(line: int, character: int):
    return types.Position(line=line, character=character)


async def hover(client: LanguageClient, u: str, line: int, character: int) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=u), position=pos(line, character))
    )
    return result.contents.value if result else ""


async def test_diagnostics_on_open_and_change(client: LanguageClient):
    demo = await open_doc(client, "demo.profile")
    assert list(client.diagnostics.get(demo)) == []
    broken = uri("broken.profile")
    client.diagnostics.clear()
    await open_doc(client, "broken.profile")
    # The two files' diagnostics arrive in either order.
    inside = await wait_diagnostics(client, uri("abstractions/broken"), nonempty=True)
    outside = await wait_diagnostics(client, broken, nonempty=True)
    assert [(d.code, d.message) for d in inside] == [("AA1012", "unknown capability `not_a_capability`")]
    assert (inside[0].range.start.line, inside[0].range.start.character) == (1, 13)
    assert inside[0].related_information[0].location.uri == broken
    assert outside[0].range.start == pos(2, 2)
    # Typing `x` after `net_raw` (line 5, column 20).
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=demo, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=pos(5, 20), end=pos(5, 20)), text="x"
                )
            ],
        )
    )
    client.diagnostics.pop(demo, None)
    edited = await wait_diagnostics(client, demo, nonempty=True)
    assert [d.message for d in edited] == ["unknown capability `net_rawx`"]
    assert edited[0].range.start == pos(5, 13)


async def test_hover(client: LanguageClient):
    demo = await open_doc(client, "demo.profile")
    assert "CAP_NET_RAW, 13" in await hover(client, demo, 5, 15)
    assert "address family `inet` (AF_INET)" in await hover(client, demo, 6, 11)
    assert "profile flag `complain`" in await hover(client, demo, 3, 36)
    var = await hover(client, demo, 10, 5)
    assert var.startswith("`@{DEMO_DIRS}`: 3 value(s)")
    assert all(f"- `{v}`" in var for v in ["/srv/demo", "/var/lib/demo", "/opt/demo"])
    grant = await hover(client, demo, 9, 5)
    assert "- granted: r\n" in grant
    assert "- deny `deny /etc/demo/secret w,`" in grant


async def test_definition(client: LanguageClient):
    demo = await open_doc(client, "demo.profile")

    async def definition(line, character):
        result = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=demo), position=pos(line, character)
            )
        )
        return [(pathlib.Path(l.uri.removeprefix("file://")).relative_to(FIXTURES).as_posix(), l.range.start.line) for l in result or []]

    assert await definition(4, 14) == [("abstractions/demo", 0)]
    assert await definition(10, 5) == [("tunables/demo", 1), ("tunables/demo", 2)]
    assert await definition(11, 23) == [("demo.profile", 13)]


async def test_completion(client: LanguageClient):
    demo = await open_doc(client, "demo.profile")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=demo, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text="include <tunables/demo>\nprofile p {\n  capability n\n  include <abstractions/\n  /x @{\n}\n"
            )],
        )
    )

    async def labels(line, character):
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=demo), position=pos(line, character)
            )
        )
        items = result.items if isinstance(result, types.CompletionList) else result
        return [i.label for i in items or []]

    assert "net_raw" in await labels(2, 14)
    assert await labels(3, 24) == ["abstractions/broken", "abstractions/demo"]
    assert await labels(4, 7) == ["DEMO_DIRS"]


async def test_document_symbols(client: LanguageClient):
    demo = await open_doc(client, "demo.profile")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=demo))
    )
    assert [s.name for s in symbols] == ["include <tunables/demo>", "demo"]
    assert symbols[1].kind == types.SymbolKind.Class
    assert [c.name for c in symbols[1].children] == ["include <abstractions/demo>", "helper"]
