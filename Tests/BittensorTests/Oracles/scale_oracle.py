"""SCALE oracle (the PyPI scalecodec that bittensor's stack ships): encodes/decodes Vec<NeuronInfoLite>.

{"op": "encode", "neurons": [...], "wrapped": bool} -> {"hex": "..."}
{"op": "decode", "hex": "..."} -> {"neurons": [...]}
Neuron JSON: hotkey/coldkey hex, uid, netuid, active, axon {block, version, ip, port, ip_type, protocol},
stake [[coldkey hex, amount]], rank, emission, incentive, consensus, trust, validator_trust, dividends, last_update,
validator_permit, pruning_score. ip is a decimal string (u128).
"""
import json
import sys

sys.dont_write_bytecode = True

from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

TYPES = {"types": {
    "AxonInfoLite": {"type": "struct", "type_mapping": [
        ["block", "u64"], ["version", "u32"], ["ip", "u128"], ["port", "u16"], ["ip_type", "u8"],
        ["protocol", "u8"], ["placeholder1", "u8"], ["placeholder2", "u8"]]},
    "PrometheusInfoLite": {"type": "struct", "type_mapping": [
        ["block", "u64"], ["version", "u32"], ["ip", "u128"], ["port", "u16"], ["ip_type", "u8"]]},
    "NeuronInfoLiteOracle": {"type": "struct", "type_mapping": [
        ["hotkey", "[u8; 32]"], ["coldkey", "[u8; 32]"], ["uid", "Compact<u16>"], ["netuid", "Compact<u16>"],
        ["active", "bool"], ["axon_info", "AxonInfoLite"], ["prometheus_info", "PrometheusInfoLite"],
        ["stake", "Vec<([u8; 32], Compact<u64>)>"], ["rank", "Compact<u16>"], ["emission", "Compact<u64>"],
        ["incentive", "Compact<u16>"], ["consensus", "Compact<u16>"], ["trust", "Compact<u16>"],
        ["validator_trust", "Compact<u16>"], ["dividends", "Compact<u16>"], ["last_update", "Compact<u64>"],
        ["validator_permit", "bool"], ["pruning_score", "Compact<u16>"]]},
}}

config = RuntimeConfiguration()
config.update_type_registry(load_type_registry_preset("legacy"))
config.update_type_registry(TYPES)


def to_scale(n):
    a = n["axon"]
    return {
        "hotkey": "0x" + n["hotkey"], "coldkey": "0x" + n["coldkey"], "uid": n["uid"], "netuid": n["netuid"],
        "active": n["active"],
        "axon_info": {"block": a["block"], "version": a["version"], "ip": int(a["ip"]), "port": a["port"],
                      "ip_type": a["ip_type"], "protocol": a["protocol"], "placeholder1": 0, "placeholder2": 0},
        "prometheus_info": {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0},
        "stake": [("0x" + c, amount) for c, amount in n["stake"]],
        "rank": n["rank"], "emission": n["emission"], "incentive": n["incentive"], "consensus": n["consensus"],
        "trust": n["trust"], "validator_trust": n["validator_trust"], "dividends": n["dividends"],
        "last_update": n["last_update"], "validator_permit": n["validator_permit"],
        "pruning_score": n["pruning_score"],
    }


def strip(value):
    return value[2:] if isinstance(value, str) and value.startswith("0x") else value


def from_scale(d):
    a = d["axon_info"]
    return {
        "hotkey": strip(d["hotkey"]), "coldkey": strip(d["coldkey"]), "uid": d["uid"], "netuid": d["netuid"],
        "active": d["active"],
        "axon": {"block": a["block"], "version": a["version"], "ip": str(a["ip"]), "port": a["port"],
                 "ip_type": a["ip_type"], "protocol": a["protocol"]},
        "stake": [[strip(c), amount] for c, amount in d["stake"]],
        "rank": d["rank"], "emission": d["emission"], "incentive": d["incentive"], "consensus": d["consensus"],
        "trust": d["trust"], "validator_trust": d["validator_trust"], "dividends": d["dividends"],
        "last_update": d["last_update"], "validator_permit": d["validator_permit"],
        "pruning_score": d["pruning_score"],
    }


request = json.load(sys.stdin)
if request["op"] == "encode":
    obj = config.create_scale_object("Vec<NeuronInfoLiteOracle>")
    data = obj.encode([to_scale(n) for n in request["neurons"]])
    raw = bytes(data.data)
    if request.get("wrapped"):
        raw = bytes(config.create_scale_object("Vec<u8>").encode(raw).data)
    print(json.dumps({"hex": raw.hex()}))
else:
    obj = config.create_scale_object("Vec<NeuronInfoLiteOracle>", data=ScaleBytes(bytes.fromhex(strip(request["hex"]))))
    print(json.dumps({"neurons": [from_scale(d) for d in obj.decode()]}))
