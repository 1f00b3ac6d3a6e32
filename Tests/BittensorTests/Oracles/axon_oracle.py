"""Runs a real bittensor 10.5.0 Axon on 127.0.0.1 for the Swift tests.

argv: MNEMONIC_SEED_HEX [--blacklist-except SS58]
Prints {"port": P, "hotkey": SS58} on one line once serving; serves until stdin closes.
Answers: Prompting -> "axon says: <last message>"; StreamPromptingSynapse streams the same text in 3 chunks.
"""
import json
import os
import socket
import sys

sys.dont_write_bytecode = True
from typing import Tuple
import tempfile
import time

os.environ["HOME"] = tempfile.mkdtemp(prefix="rt-axon-home-")
import bittensor.utils.networking as networking  # noqa: E402

networking.get_external_ip = lambda: "127.0.0.1"
import bittensor as bt  # noqa: E402
from bittensor_wallet import Keypair, Wallet  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synapses import Prompting, StreamPromptingSynapse  # noqa: E402

seed_hex = sys.argv[1]
allowed = None
if "--blacklist-except" in sys.argv:
    allowed = sys.argv[sys.argv.index("--blacklist-except") + 1]

keypair = Keypair.create_from_seed(seed_hex)
wallet = Wallet(name="oracle", hotkey="axon", path=os.path.join(os.environ["HOME"], "wallets"))
wallet.set_hotkey(keypair, encrypt=False, overwrite=True)
wallet.set_coldkeypub(keypair, overwrite=True)

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]


def answer(messages):
    return "axon says: " + (messages[-1] if messages else "")


async def forward_prompting(synapse: Prompting) -> Prompting:
    synapse.completion = answer(synapse.messages)
    return synapse


async def forward_stream(synapse: StreamPromptingSynapse):
    text = answer(synapse.messages)
    third = max(1, len(text) // 3)
    parts = [text[:third], text[third:2 * third], text[2 * third:]]

    async def streamer(send):
        for part in parts:
            await send({"type": "http.response.body", "body": part.encode("utf-8"), "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return synapse.create_streaming_response(streamer)


def blacklist_prompting(synapse: Prompting) -> Tuple[bool, str]:
    if allowed is not None and synapse.dendrite.hotkey != allowed:
        return True, "Unrecognized hotkey"
    return False, "ok"


def blacklist_stream(synapse: StreamPromptingSynapse) -> Tuple[bool, str]:
    if allowed is not None and synapse.dendrite.hotkey != allowed:
        return True, "Unrecognized hotkey"
    return False, "ok"


axon = bt.Axon(wallet=wallet, ip="127.0.0.1", port=port, external_ip="127.0.0.1", external_port=port)
axon.fast_server.config.host = "127.0.0.1"
axon.attach(forward_fn=forward_prompting, blacklist_fn=blacklist_prompting)
axon.attach(forward_fn=forward_stream, blacklist_fn=blacklist_stream)
axon.start()
for _ in range(200):  # the server starts on a thread: announce the port once it accepts connections
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        break
    except OSError:
        time.sleep(0.05)
print(json.dumps({"port": port, "hotkey": keypair.ss58_address}), flush=True)
sys.stdin.read()
axon.stop()
