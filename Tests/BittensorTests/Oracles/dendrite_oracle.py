"""Sends requests from a real bittensor 10.5.0 Dendrite to an axon (the Swift axon under test).

stdin JSON: {"port": P, "axon_hotkey": SS58, "seed": hex, "synapse": "Prompting"|"StreamPromptingSynapse",
             "messages": [str], "modes": ["normal", "tamper_body", "stale_nonce", "bad_signature", "replay"],
             "bench": N (optional: N sequential normal calls, reports CPU seconds)}
stdout JSON: {"results": [{"mode": m, "status": int, "completion": str, "message": str}], "bench": {...}}
"""
import asyncio
import json
import os
import sys

sys.dont_write_bytecode = True
import tempfile
import time

os.environ["HOME"] = tempfile.mkdtemp(prefix="rt-dendrite-home-")
import bittensor.utils.networking as networking  # noqa: E402

networking.get_external_ip = lambda: "127.0.0.1"
import aiohttp  # noqa: E402
import bittensor as bt  # noqa: E402
from bittensor_wallet import Keypair  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synapses import Prompting, StreamPromptingSynapse  # noqa: E402

request = json.load(sys.stdin)
keypair = Keypair.create_from_seed(request["seed"])
dendrite = bt.Dendrite(wallet=keypair)
axon_info = bt.AxonInfo(version=10005000, ip="127.0.0.1", port=request["port"], ip_type=4,
                        hotkey=request["axon_hotkey"], coldkey=request["axon_hotkey"])
kind = Prompting if request["synapse"] == "Prompting" else StreamPromptingSynapse


def make():
    return kind(roles=["user"] * len(request["messages"]), messages=request["messages"])


async def raw_post(mode):
    if mode == "stale_nonce":
        dendrite.uuid = "stale-" + dendrite.uuid  # a fresh endpoint key: the first-nonce window applies
    synapse = dendrite.preprocess_synapse_for_request(axon_info, make(), 10.0)
    headers = synapse.to_headers()
    body = synapse.model_dump()
    if mode == "tamper_body":
        body["messages"] = body["messages"][:-1] + ["tampered"]
    elif mode == "stale_nonce":
        synapse.dendrite.nonce = time.time_ns() - 60 * 1_000_000_000
        message = (f"{synapse.dendrite.nonce}.{synapse.dendrite.hotkey}.{synapse.axon.hotkey}."
                   f"{synapse.dendrite.uuid}.{synapse.body_hash}")
        synapse.dendrite.signature = f"0x{keypair.sign(message).hex()}"
        headers = synapse.to_headers()
    elif mode == "bad_signature":
        other = Keypair.create_from_seed("11" * 32)
        headers["bt_header_dendrite_signature"] = "0x" + other.sign(b"something else").hex()
    elif mode == "missing_input":
        headers.pop("bt_header_input_obj_messages", None)
    elif mode == "unknown_synapse":
        pass
    url = f"http://127.0.0.1:{request['port']}/{'Nope' if mode == 'unknown_synapse' else kind.__name__}"
    results = []
    async with aiohttp.ClientSession() as session:
        for _ in range(2 if mode == "replay" else 1):
            async with session.post(url, headers=headers, json=body) as response:
                text = await response.text()
                message = ""
                completion = ""
                try:
                    parsed = json.loads(text)
                    message = parsed.get("message", "")
                    completion = parsed.get("completion", "")
                except Exception:
                    completion = text
                results.append({"mode": mode, "status": response.status, "completion": completion,
                                "message": message})
    return results


async def normal():
    synapse = make()
    if kind is StreamPromptingSynapse:
        chunks = []
        responses = dendrite.call_stream(axon_info, synapse, timeout=10.0, deserialize=False)
        final = None
        async for item in responses:
            if isinstance(item, str):
                chunks.append(item)
            else:
                final = item
        status = final.dendrite.status_code if final is not None else 0
        return {"mode": "normal", "status": status, "completion": "".join(chunks),
                "message": final.dendrite.status_message if final is not None else ""}
    answer = await dendrite.call(axon_info, synapse, timeout=10.0, deserialize=False)
    return {"mode": "normal", "status": answer.dendrite.status_code, "completion": answer.completion,
            "message": answer.dendrite.status_message or ""}


async def main():
    output = {"results": []}
    for mode in request.get("modes", []):
        if mode == "normal":
            output["results"].append(await normal())
        else:
            output["results"].extend(await raw_post(mode))
    if request.get("bench"):
        count = int(request["bench"])
        await normal()  # warm-up
        cpu, wall = time.process_time(), time.perf_counter()
        ok = 0
        for _ in range(count):
            if (await normal())["status"] == 200:
                ok += 1
        output["bench"] = {"count": count, "ok": ok, "cpu_seconds": time.process_time() - cpu,
                           "wall_seconds": time.perf_counter() - wall}
    await dendrite.aclose_session()
    print(json.dumps(output))


asyncio.run(main())
