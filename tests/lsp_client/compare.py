"""Runs the editor scenario of test_aaprof_lsp.py against any LSP server
and prints what it answers, for the README's comparison table:

    target/lsp-venv/bin/python tests/lsp_client/compare.py target/release/aaprof lsp
    target/lsp-venv/bin/python tests/lsp_client/compare.py /tmp/als-lsp/bin/apparmor-language-server

Not a test: it asserts nothing (the answers differ by design).
"""

import asyncio
import json
import pathlib
import sys

from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "lsp"


def pos(line, character):
    return types.Position(line=line, character=character)


def show(label, value):
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    print(f"== {label}\n{text.strip()[:600]}\n")


async def main(command):
    client = await ClientServerConfig(server_command=command).start()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"aaprof": {
                "includePaths": [str(FIXTURES)], "baseDir": str(FIXTURES),
                "configFile": "/dev/null", "featuresFile": "builtin:upstream-all"}},
        )
    )
    for name in ["demo.profile", "broken.profile"]:
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=(FIXTURES / name).as_uri(), language_id="apparmor", version=1,
                text=(FIXTURES / name).read_text())))
    await asyncio.sleep(3)
    for uri, diags in sorted(client.diagnostics.items()):
        show(f"diagnostics {pathlib.Path(uri).name}",
             [(d.range.start.line, d.range.start.character, d.code, d.message) for d in diags])
    demo = types.TextDocumentIdentifier(uri=(FIXTURES / "demo.profile").as_uri())

    async def hover(line, character):
        try:
            r = await client.text_document_hover_async(types.HoverParams(text_document=demo, position=pos(line, character)))
        except Exception as e:  # noqa: BLE001 - print whatever the server did
            return f"error: {e}"
        return r.contents.value if r and hasattr(r.contents, "value") else str(r and r.contents)

    for label, at in [("hover capability net_raw", (5, 15)), ("hover network inet", (6, 11)),
                      ("hover flag complain", (3, 36)), ("hover perms rw", (9, 20)),
                      ("hover variable @{DEMO_DIRS}", (10, 5)), ("hover file rule /etc/demo/secret", (9, 5))]:
        show(label, await hover(*at))

    async def definition(line, character):
        try:
            r = await client.text_document_definition_async(types.DefinitionParams(text_document=demo, position=pos(line, character)))
        except Exception as e:  # noqa: BLE001
            return f"error: {e}"
        r = r if isinstance(r, list) else [r] if r else []
        return [(getattr(l, "uri", getattr(l, "target_uri", "")).rsplit("/lsp/", 1)[-1],
                 (getattr(l, "range", None) or l.target_range).start.line) for l in r]

    for label, at in [("definition include <abstractions/demo>", (4, 14)),
                      ("definition @{DEMO_DIRS}", (10, 5)), ("definition cx -> helper", (11, 23)),
                      ("definition peer=demo//helper", (7, 35))]:
        show(label, await definition(*at))
    try:
        refs = await client.text_document_references_async(types.ReferenceParams(
            text_document=demo, position=pos(10, 5), context=types.ReferenceContext(include_declaration=True)))
        show("references @{DEMO_DIRS}", [(l.uri.rsplit("/lsp/", 1)[-1], l.range.start.line) for l in refs or []])
    except Exception as e:  # noqa: BLE001
        show("references @{DEMO_DIRS}", f"error: {e}")
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=demo))

    def tree(items):
        return [(s.name, tree(getattr(s, "children", None) or [])) for s in items or []]

    show("documentSymbol", tree(symbols))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=demo.uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(
            text="include <tunables/demo>\nprofile p {\n  capability n\n  include <abstractions/\n  /x @{\n}\n")]))
    await asyncio.sleep(1)
    for label, at in [("completion capability", (2, 14)), ("completion include", (3, 24)), ("completion @{", (4, 7))]:
        try:
            r = await client.text_document_completion_async(types.CompletionParams(text_document=demo, position=pos(*at)))
            items = r.items if isinstance(r, types.CompletionList) else r or []
            show(label, f"{len(items)} items: " + ", ".join(i.label for i in items[:12]))
        except Exception as e:  # noqa: BLE001
            show(label, f"error: {e}")
    await client.shutdown_session()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
