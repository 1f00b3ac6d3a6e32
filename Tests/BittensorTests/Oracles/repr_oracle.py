"""Python's str(list_of_str) and bittensor's body hash for the given lists: {"lists": [[str]]} -> {"reprs": [...], "hashes": [...]}."""
import hashlib
import json
import sys

sys.dont_write_bytecode = True


def get_hash(text):
    return hashlib.sha3_256(text.encode()).hexdigest()


request = json.load(sys.stdin)
reprs = [str(items) for items in request["lists"]]
print(json.dumps({"reprs": reprs, "hashes": [get_hash(get_hash(r)) for r in reprs]}))
