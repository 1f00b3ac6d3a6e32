"""sr25519 oracle for the Swift tests: reads one JSON request on stdin, answers JSON on stdout.

{"op": "verify", "items": [{"signature": hex, "message": hex, "public_key": hex}]} -> {"results": [bool]}
{"op": "sign", "seed": hex, "messages": [hex]} -> {"public_key": hex, "signatures": [hex]}
"""
import json
import sys

sys.dont_write_bytecode = True

import sr25519

request = json.load(sys.stdin)
if request["op"] == "verify":
    results = [
        bool(sr25519.verify(bytes.fromhex(i["signature"]), bytes.fromhex(i["message"]), bytes.fromhex(i["public_key"])))
        for i in request["items"]
    ]
    print(json.dumps({"results": results}))
elif request["op"] == "sign":
    public, secret = sr25519.pair_from_seed(bytes.fromhex(request["seed"]))
    signatures = [sr25519.sign((public, secret), bytes.fromhex(m)).hex() for m in request["messages"]]
    print(json.dumps({"public_key": public.hex(), "signatures": signatures}))
else:
    sys.exit("unknown op")
